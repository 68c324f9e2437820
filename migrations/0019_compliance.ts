// Compliance status (Art. 3–22), issue 7: the evidence summary per agency (folded by the compliance
// projection), each article's current status, and its history (a row whenever the status or its reasons
// changed, at the event that changed it), which answers the status as of any past instant.
// Frozen in time: imports nothing from src/.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE compliance_evidence (
      agency_id text PRIMARY KEY,
      evidence jsonb NOT NULL,
      position bigint NOT NULL
    )`.execute(db)
  await sql`
    CREATE TABLE compliance_status (
      agency_id text NOT NULL,
      article integer NOT NULL,
      status text NOT NULL,
      reasons jsonb NOT NULL,
      exceptions jsonb NOT NULL,
      since_position bigint NOT NULL,
      since_at timestamptz NOT NULL,
      PRIMARY KEY (agency_id, article)
    )`.execute(db)
  await sql`
    CREATE TABLE compliance_history (
      agency_id text NOT NULL,
      article integer NOT NULL,
      position bigint NOT NULL,
      recorded_at timestamptz NOT NULL,
      status text NOT NULL,
      previous_status text,
      reasons jsonb NOT NULL,
      exceptions jsonb NOT NULL,
      event_type text NOT NULL,
      PRIMARY KEY (agency_id, article, position)
    )`.execute(db)
  // Changes of an agency in log order (the subscription feed, "what changed since").
  await sql`CREATE INDEX compliance_history_position_idx ON compliance_history (agency_id, position)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['compliance_history', 'compliance_status', 'compliance_evidence']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db)
  }
}

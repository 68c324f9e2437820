// Read models of the foundation: agencies and incidents' current state. (An incident's timeline is its
// stream in the event log, read in order through the stream-version key; it needs no copy.)
// Frozen in time: imports nothing from src/.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE agencies (
      agency_id text PRIMARY KEY,
      name text NOT NULL,
      kind text NOT NULL,
      parent_id text,
      registered_at timestamptz NOT NULL
    )`.execute(db)
  await sql`CREATE INDEX agencies_parent_idx ON agencies (parent_id) WHERE parent_id IS NOT NULL`.execute(db)

  await sql`
    CREATE TABLE incidents (
      agency_id text NOT NULL,
      incident_id text NOT NULL,
      opened_position bigint NOT NULL,
      last_position bigint NOT NULL,
      version integer NOT NULL,
      status text NOT NULL,
      title text NOT NULL,
      severity text,
      assessment text,
      serious boolean NOT NULL DEFAULT false,
      source text NOT NULL,
      reported_by text NOT NULL,
      detected_at timestamptz NOT NULL,
      reported_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      closed_at timestamptz,
      detail jsonb NOT NULL,
      PRIMARY KEY (agency_id, incident_id)
    )`.execute(db)
  await sql`CREATE INDEX incidents_reported_idx ON incidents (agency_id, reported_at DESC, incident_id)`.execute(db)
  await sql`CREATE INDEX incidents_changed_idx ON incidents (agency_id, last_position)`.execute(db)
  await sql`CREATE INDEX incidents_status_idx ON incidents (agency_id, status, reported_at DESC, incident_id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['incidents', 'agencies']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db)
  }
}

// Read models of policy documents and risk (Art. 3–4): adopted basic policies and standards, policy
// reviews, risk assessments, and what is due for review (Art. 3 §2, 4 §6, 6 §3) and why.
// Frozen in time: imports nothing from src/.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE policy_documents (
      agency_id text NOT NULL,
      document text NOT NULL,
      version text NOT NULL,
      position bigint NOT NULL,
      title text,
      summary text,
      edition text,
      adopted_on date NOT NULL,
      parent_id text,
      parent_policy_version text,
      basic_policy_version text,
      items jsonb,
      adopted_by text NOT NULL,
      adopted_at timestamptz NOT NULL,
      PRIMARY KEY (agency_id, document, version)
    )`.execute(db)
  await sql`CREATE INDEX policy_documents_position_idx ON policy_documents (agency_id, position)`.execute(db)
  await sql`
    CREATE TABLE policy_reviews (
      agency_id text NOT NULL,
      review_id text NOT NULL,
      position bigint NOT NULL,
      outcome text NOT NULL,
      notes text NOT NULL,
      basic_policy_version text NOT NULL,
      standards_version text,
      reviewed_by text NOT NULL,
      reviewed_at timestamptz NOT NULL,
      PRIMARY KEY (agency_id, review_id)
    )`.execute(db)
  await sql`CREATE INDEX policy_reviews_position_idx ON policy_reviews (agency_id, position)`.execute(db)
  await sql`
    CREATE TABLE risks (
      agency_id text NOT NULL,
      risk_id text NOT NULL,
      title text NOT NULL,
      threat text NOT NULL,
      likelihood text NOT NULL,
      impact text NOT NULL,
      measures jsonb NOT NULL,
      review_by date NOT NULL,
      system_id text,
      asset_id text,
      retired boolean NOT NULL,
      retire_reason text,
      assessed_by text NOT NULL,
      assessed_at timestamptz NOT NULL,
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL,
      reassessments integer NOT NULL,
      version integer NOT NULL,
      last_position bigint NOT NULL,
      PRIMARY KEY (agency_id, risk_id)
    )`.execute(db)
  await sql`CREATE INDEX risks_review_by_idx ON risks (agency_id, review_by, risk_id)`.execute(db)
  await sql`
    CREATE TABLE reviews_due (
      agency_id text NOT NULL,
      subject text NOT NULL,
      due boolean NOT NULL,
      due_since timestamptz,
      reasons jsonb NOT NULL,
      reason_count integer NOT NULL,
      last_reviewed_at timestamptz,
      last_reviewed_position bigint,
      last_reviewed_by text,
      last_review_event text,
      PRIMARY KEY (agency_id, subject)
    )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['reviews_due', 'risks', 'policy_reviews', 'policy_documents']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db)
  }
}

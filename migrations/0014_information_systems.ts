// Read model of information systems (Art. 17–21): the ledger (情報システム台帳), one row per system with
// its entry, documents (every version), lifecycle, approvals, erasure, reviews, crypto policy, continuity
// plan and exercises, and internet services. Frozen in time: imports nothing from src/.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE information_systems (
      agency_id text NOT NULL,
      system_id text NOT NULL,
      name text NOT NULL,
      purpose text NOT NULL,
      owner_unit_id text NOT NULL,
      security_officer_id text,
      information_classes jsonb NOT NULL,
      highest_class text,
      highest_confidentiality integer NOT NULL,
      hosting jsonb,
      contractor_ids jsonb NOT NULL,
      internet_facing boolean NOT NULL,
      criticality text NOT NULL,
      stage text NOT NULL,
      stage_changed_at timestamptz NOT NULL,
      stage_history jsonb NOT NULL,
      documents jsonb NOT NULL,
      approvals jsonb NOT NULL,
      erasure jsonb,
      review_due_on text,
      last_review jsonb,
      review_count integer NOT NULL,
      crypto_policy jsonb,
      continuity_plan jsonb,
      continuity_plan_versions integer NOT NULL,
      exercises jsonb NOT NULL,
      exercise_count integer NOT NULL,
      internet_services jsonb NOT NULL,
      registered_at timestamptz NOT NULL,
      registered_by text NOT NULL,
      retired_at timestamptz,
      version integer NOT NULL,
      last_position bigint NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (agency_id, system_id)
    )`.execute(db)
  await sql`CREATE INDEX information_systems_stage_idx ON information_systems (agency_id, stage, system_id)`.execute(db)
  // Systems past their review date: only those still in the ledger's care.
  await sql`CREATE INDEX information_systems_review_idx ON information_systems (agency_id, review_due_on) WHERE stage <> 'RETIRED' AND review_due_on IS NOT NULL`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS information_systems`.execute(db)
}

// Read model of exceptional actions (Art. 7): the exception ledger (台帳), one row per exception with
// what was requested, what was decided (who, when, why) and how it ended. Frozen in time: imports
// nothing from src/.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE exceptions (
      agency_id text NOT NULL,
      exception_id text NOT NULL,
      status text NOT NULL,
      emergency boolean NOT NULL,
      acted_at timestamptz,
      applicant_id text NOT NULL,
      applicant_unit_id text NOT NULL,
      edition text NOT NULL,
      clause text NOT NULL,
      rules jsonb NOT NULL,
      steps jsonb NOT NULL,
      asset_ids jsonb NOT NULL,
      unit_id text,
      requested_from timestamptz NOT NULL,
      requested_to timestamptz NOT NULL,
      request jsonb NOT NULL,
      requested_at timestamptz NOT NULL,
      endorsement jsonb,
      examination jsonb,
      decision jsonb,
      approved_rules jsonb,
      approved_steps jsonb,
      approved_asset_ids jsonb,
      approved_unit_id text,
      approved_from timestamptz,
      approved_to timestamptz,
      approved_at timestamptz,
      rejected_at timestamptz,
      overdue_at timestamptz,
      end_report jsonb,
      ended_at timestamptz,
      revocation jsonb,
      revoked_at timestamptz,
      closure jsonb,
      closed_at timestamptz,
      version integer NOT NULL,
      last_position bigint NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (agency_id, exception_id)
    )`.execute(db)
  await sql`CREATE INDEX exceptions_ledger_idx ON exceptions (agency_id, requested_at DESC, exception_id)`.execute(db)
  await sql`CREATE INDEX exceptions_status_idx ON exceptions (agency_id, status)`.execute(db)
  // Coverage candidates and the scheduler's overdue scan: only approved exceptions still in force.
  await sql`
    CREATE INDEX exceptions_in_force_idx ON exceptions (agency_id, approved_to)
     WHERE approved_at IS NOT NULL AND revoked_at IS NULL AND closed_at IS NULL`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS exceptions`.execute(db)
}

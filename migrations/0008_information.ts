// Read models of information assets (Art. 12–14): the assets with their classes and restrictions,
// lifecycle steps that were refused, and what other agencies provided (keyed by the RECEIVING agency).
// Flags and labels are derived from the classes at query time, never stored.
// Frozen in time: imports nothing from src/.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE information_assets (
      agency_id text NOT NULL,
      asset_id text NOT NULL,
      title text NOT NULL,
      owner_unit_id text NOT NULL,
      medium text NOT NULL,
      confidentiality smallint NOT NULL,
      integrity smallint,
      availability smallint,
      sub_level text,
      restrictions jsonb NOT NULL,
      origin jsonb NOT NULL,
      source_asset_id text,
      received_from_agency_id text,
      received_from_asset_id text,
      decided_by text NOT NULL,
      decider text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL,
      created_position bigint NOT NULL,
      updated_at timestamptz NOT NULL,
      deleted boolean NOT NULL,
      deleted_at timestamptz,
      version integer NOT NULL,
      last_position bigint NOT NULL,
      PRIMARY KEY (agency_id, asset_id)
    )`.execute(db)
  await sql`CREATE INDEX information_assets_created_idx ON information_assets (agency_id, created_at, created_position)`.execute(db)
  await sql`CREATE INDEX information_assets_received_idx ON information_assets (agency_id, received_from_agency_id, received_from_asset_id)`.execute(db)
  await sql`
    CREATE TABLE information_blocked (
      agency_id text NOT NULL,
      step_id text NOT NULL,
      asset_id text NOT NULL,
      step text NOT NULL,
      rules text[] NOT NULL,
      exceptions jsonb NOT NULL,
      owner_unit_id text NOT NULL,
      details jsonb NOT NULL,
      blocked_by text NOT NULL,
      blocked_at timestamptz NOT NULL,
      position bigint NOT NULL,
      PRIMARY KEY (agency_id, step_id)
    )`.execute(db)
  await sql`CREATE INDEX information_blocked_at_idx ON information_blocked (agency_id, blocked_at, position)`.execute(db)
  await sql`
    CREATE TABLE information_received (
      agency_id text NOT NULL,
      from_agency_id text NOT NULL,
      step_id text NOT NULL,
      asset_id text NOT NULL,
      title text NOT NULL,
      medium text NOT NULL,
      confidentiality smallint NOT NULL,
      integrity smallint,
      availability smallint,
      sub_level text,
      restrictions jsonb NOT NULL,
      decider text NOT NULL,
      recipient text NOT NULL,
      purpose text NOT NULL,
      provided_by text NOT NULL,
      provided_at timestamptz NOT NULL,
      position bigint NOT NULL,
      PRIMARY KEY (agency_id, from_agency_id, step_id)
    )`.execute(db)
  await sql`CREATE INDEX information_received_at_idx ON information_received (agency_id, provided_at, from_agency_id, position)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['information_received', 'information_blocked', 'information_assets']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db)
  }
}

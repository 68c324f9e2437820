// Read models of outsourcing (Art. 16) and system use (Art. 22): contractors with their latest selection,
// contracts, the supply-chain checks of procured devices, the published usage rules and employees'
// acknowledgements. Frozen in time: imports nothing from src/.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE contractors (
      agency_id text NOT NULL,
      contractor_id text NOT NULL,
      name text NOT NULL,
      corporate_number text,
      address text,
      registered_by text NOT NULL,
      registered_at timestamptz NOT NULL,
      criteria jsonb,
      selection_recorded_by text,
      selection_recorded_at timestamptz,
      version integer NOT NULL,
      last_position bigint NOT NULL,
      PRIMARY KEY (agency_id, contractor_id)
    )`.execute(db)
  await sql`
    CREATE TABLE contracts (
      agency_id text NOT NULL,
      contract_id text NOT NULL,
      contractor_id text NOT NULL,
      subject text NOT NULL,
      owner_unit_id text NOT NULL,
      system_ids jsonb NOT NULL,
      valid_from date NOT NULL,
      valid_to date NOT NULL,
      original_to date NOT NULL,
      security_clauses jsonb NOT NULL,
      handles_information_class text,
      status text NOT NULL,
      recorded_by text NOT NULL,
      recorded_at timestamptz NOT NULL,
      extension jsonb,
      ending jsonb,
      ended_on date,
      information_return jsonb,
      closure jsonb,
      closed_at timestamptz,
      version integer NOT NULL,
      last_position bigint NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (agency_id, contract_id)
    )`.execute(db)
  await sql`CREATE INDEX contracts_ending_idx ON contracts (agency_id, valid_to, contract_id)`.execute(db)
  await sql`CREATE INDEX contracts_contractor_idx ON contracts (agency_id, contractor_id)`.execute(db)
  await sql`
    CREATE TABLE contract_supply_chain_checks (
      agency_id text NOT NULL,
      contract_id text NOT NULL,
      check_id text NOT NULL,
      item jsonb NOT NULL,
      system_id text,
      checks jsonb NOT NULL,
      failed jsonb NOT NULL,
      checked_on date NOT NULL,
      recorded_by text NOT NULL,
      recorded_at timestamptz NOT NULL,
      position bigint NOT NULL,
      PRIMARY KEY (agency_id, contract_id, check_id)
    )`.execute(db)
  await sql`
    CREATE TABLE usage_rules (
      agency_id text NOT NULL,
      version text NOT NULL,
      title text NOT NULL,
      summary text NOT NULL,
      document_ref text,
      effective_from date NOT NULL,
      supersedes text,
      published_by text NOT NULL,
      published_at timestamptz NOT NULL,
      position bigint NOT NULL,
      PRIMARY KEY (agency_id, version)
    )`.execute(db)
  await sql`CREATE INDEX usage_rules_order_idx ON usage_rules (agency_id, position DESC)`.execute(db)
  await sql`
    CREATE TABLE usage_rule_acknowledgements (
      agency_id text NOT NULL,
      employee_id text NOT NULL,
      version text NOT NULL,
      unit_id text NOT NULL,
      acknowledged_at timestamptz NOT NULL,
      position bigint NOT NULL,
      PRIMARY KEY (agency_id, employee_id, version)
    )`.execute(db)
  await sql`CREATE INDEX usage_rule_acknowledgements_version_idx ON usage_rule_acknowledgements (agency_id, version, employee_id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS usage_rule_acknowledgements`.execute(db)
  await sql`DROP TABLE IF EXISTS usage_rules`.execute(db)
  await sql`DROP TABLE IF EXISTS contract_supply_chain_checks`.execute(db)
  await sql`DROP TABLE IF EXISTS contracts`.execute(db)
  await sql`DROP TABLE IF EXISTS contractors`.execute(db)
}

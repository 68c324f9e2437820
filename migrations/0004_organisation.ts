// Read models of the organisation (Art. 2, 5, 15): units, controlled areas, employees, role
// assignments, the committee, delegations, and the agency settings. Tokens may now leave their roles
// open (NULL: the actor's assigned roles). Frozen in time: imports nothing from src/.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE agencies ADD COLUMN settings jsonb`.execute(db)
  await sql`ALTER TABLE access_tokens ALTER COLUMN roles DROP NOT NULL`.execute(db)
  await sql`
    CREATE TABLE units (
      agency_id text NOT NULL,
      unit_id text NOT NULL,
      name text NOT NULL,
      parent_unit_id text,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (agency_id, unit_id)
    )`.execute(db)
  await sql`
    CREATE TABLE areas (
      agency_id text NOT NULL,
      area_id text NOT NULL,
      name text NOT NULL,
      unit_id text,
      measures jsonb NOT NULL,
      defined_at timestamptz NOT NULL,
      measures_recorded_at timestamptz NOT NULL,
      PRIMARY KEY (agency_id, area_id)
    )`.execute(db)
  await sql`
    CREATE TABLE employees (
      agency_id text NOT NULL,
      employee_id text NOT NULL,
      name text NOT NULL,
      unit_id text NOT NULL,
      joined_on date NOT NULL,
      unit_since date NOT NULL,
      departed_on date,
      PRIMARY KEY (agency_id, employee_id)
    )`.execute(db)
  await sql`CREATE INDEX employees_unit_idx ON employees (agency_id, unit_id, employee_id)`.execute(db)
  await sql`
    CREATE TABLE role_assignments (
      agency_id text NOT NULL,
      assignment_id text NOT NULL,
      employee_id text NOT NULL,
      role text NOT NULL,
      scope jsonb NOT NULL,
      valid_from date NOT NULL,
      valid_to date,
      note text,
      end_reason text,
      assigned_by text NOT NULL,
      assigned_at timestamptz NOT NULL,
      PRIMARY KEY (agency_id, assignment_id)
    )`.execute(db)
  await sql`CREATE INDEX role_assignments_employee_idx ON role_assignments (agency_id, employee_id)`.execute(db)
  await sql`CREATE INDEX role_assignments_role_idx ON role_assignments (agency_id, role, valid_from)`.execute(db)
  await sql`
    CREATE TABLE committees (
      agency_id text NOT NULL,
      committee_id text NOT NULL,
      name text NOT NULL,
      mandate text NOT NULL,
      chair_id text NOT NULL,
      member_ids jsonb NOT NULL,
      valid_from date NOT NULL,
      organized_at timestamptz NOT NULL,
      PRIMARY KEY (agency_id, committee_id)
    )`.execute(db)
  await sql`
    CREATE TABLE delegations (
      agency_id text NOT NULL,
      delegation_id text NOT NULL,
      delegator_id text NOT NULL,
      delegate_id text NOT NULL,
      task text NOT NULL,
      role text,
      valid_from date NOT NULL,
      valid_to date NOT NULL,
      end_reason text,
      delegated_at timestamptz NOT NULL,
      PRIMARY KEY (agency_id, delegation_id)
    )`.execute(db)
  await sql`CREATE INDEX delegations_delegate_idx ON delegations (agency_id, delegate_id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['delegations', 'committees', 'role_assignments', 'employees', 'areas', 'units']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db)
  }
  await sql`ALTER TABLE access_tokens ALTER COLUMN roles SET NOT NULL`.execute(db)
  await sql`ALTER TABLE agencies DROP COLUMN IF EXISTS settings`.execute(db)
}

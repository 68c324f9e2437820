// Read models of the self-check (Art. 10) and the audit (Art. 11): a fiscal year's self-check with its
// results and fixes; audits with their findings and follow-ups. Frozen in time: imports nothing from src/.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE self_checks (
      agency_id text NOT NULL,
      fiscal_year integer NOT NULL,
      status text NOT NULL,
      period_from date NOT NULL,
      period_to date NOT NULL,
      items jsonb NOT NULL,
      unit_ids jsonb,
      results_per_employee integer NOT NULL,
      planned_by text NOT NULL,
      planned_at timestamptz NOT NULL,
      evaluation jsonb,
      last_position bigint NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (agency_id, fiscal_year)
    )`.execute(db)
  await sql`
    CREATE TABLE self_check_results (
      agency_id text NOT NULL,
      fiscal_year integer NOT NULL,
      result_id text NOT NULL,
      employee_id text NOT NULL,
      unit_id text NOT NULL,
      submitted_on date NOT NULL,
      answers jsonb NOT NULL,
      non_compliant jsonb NOT NULL,
      recorded_by text NOT NULL,
      recorded_at timestamptz NOT NULL,
      PRIMARY KEY (agency_id, fiscal_year, result_id)
    )`.execute(db)
  await sql`CREATE INDEX self_check_results_employee_idx ON self_check_results (agency_id, fiscal_year, employee_id)`.execute(db)
  await sql`
    CREATE TABLE self_check_fixes (
      agency_id text NOT NULL,
      fix_id text NOT NULL,
      fiscal_year integer NOT NULL,
      item_id text NOT NULL,
      unit_id text NOT NULL,
      description text NOT NULL,
      due_on date NOT NULL,
      ordered_by text NOT NULL,
      ordered_at timestamptz NOT NULL,
      completed_by text,
      completed_at timestamptz,
      completion_note text,
      PRIMARY KEY (agency_id, fix_id)
    )`.execute(db)
  await sql`CREATE INDEX self_check_fixes_year_idx ON self_check_fixes (agency_id, fiscal_year, due_on)`.execute(db)
  await sql`
    CREATE TABLE audits (
      agency_id text NOT NULL,
      audit_id text NOT NULL,
      fiscal_year integer NOT NULL,
      title text NOT NULL,
      objective text,
      status text NOT NULL,
      scope_unit_ids jsonb NOT NULL,
      auditor_ids jsonb NOT NULL,
      fieldwork_from date NOT NULL,
      fieldwork_to date NOT NULL,
      planned_by text NOT NULL,
      planned_at timestamptz NOT NULL,
      approval jsonb,
      report jsonb,
      closed_at timestamptz,
      last_position bigint NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (agency_id, audit_id)
    )`.execute(db)
  await sql`CREATE INDEX audits_list_idx ON audits (agency_id, planned_at DESC, audit_id)`.execute(db)
  await sql`CREATE INDEX audits_year_idx ON audits (agency_id, fiscal_year, status)`.execute(db)
  await sql`
    CREATE TABLE audit_findings (
      agency_id text NOT NULL,
      finding_id text NOT NULL,
      audit_id text NOT NULL,
      unit_id text NOT NULL,
      standards_edition text NOT NULL,
      standards_code text NOT NULL,
      severity text NOT NULL,
      description text NOT NULL,
      due_on date NOT NULL,
      status text NOT NULL,
      recorded_by text NOT NULL,
      recorded_at timestamptz NOT NULL,
      improvement_plan jsonb,
      last_follow_up text,
      closed_by text,
      closed_at timestamptz,
      close_note text,
      PRIMARY KEY (agency_id, finding_id)
    )`.execute(db)
  await sql`CREATE INDEX audit_findings_audit_idx ON audit_findings (agency_id, audit_id)`.execute(db)
  await sql`CREATE INDEX audit_findings_open_idx ON audit_findings (agency_id, due_on, finding_id) WHERE status <> 'CLOSED'`.execute(db)
  await sql`
    CREATE TABLE audit_follow_ups (
      agency_id text NOT NULL,
      follow_up_id text NOT NULL,
      audit_id text NOT NULL,
      finding_id text NOT NULL,
      note text NOT NULL,
      status text NOT NULL,
      recorded_by text NOT NULL,
      recorded_at timestamptz NOT NULL,
      position bigint NOT NULL,
      PRIMARY KEY (agency_id, follow_up_id)
    )`.execute(db)
  await sql`CREATE INDEX audit_follow_ups_finding_idx ON audit_follow_ups (agency_id, finding_id, position)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['audit_follow_ups', 'audit_findings', 'audits', 'self_check_fixes', 'self_check_results', 'self_checks']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db)
  }
}

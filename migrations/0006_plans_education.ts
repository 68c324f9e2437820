// Read models of the promotion plan (Art. 6) and education (Art. 8): plans and their items (with the
// progress history), training plans, courses and completions. Frozen in time: imports nothing from src/.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE plans (
      agency_id text NOT NULL,
      fiscal_year integer NOT NULL,
      title text NOT NULL,
      established_by text NOT NULL,
      established_at timestamptz NOT NULL,
      last_position bigint NOT NULL,
      version integer NOT NULL,
      reviews jsonb NOT NULL DEFAULT '[]',
      last_reviewed_at timestamptz,
      PRIMARY KEY (agency_id, fiscal_year)
    )`.execute(db)
  await sql`
    CREATE TABLE plan_items (
      agency_id text NOT NULL,
      fiscal_year integer NOT NULL,
      item_id text NOT NULL,
      title text NOT NULL,
      owner_id text NOT NULL,
      due_on date NOT NULL,
      article integer,
      added_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'NOT_STARTED',
      percent integer NOT NULL DEFAULT 0,
      progress jsonb NOT NULL DEFAULT '[]',
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (agency_id, fiscal_year, item_id)
    )`.execute(db)
  await sql`CREATE INDEX plan_items_owner_idx ON plan_items (agency_id, owner_id)`.execute(db)
  await sql`
    CREATE TABLE training_plans (
      agency_id text NOT NULL,
      fiscal_year integer NOT NULL,
      planned_by text NOT NULL,
      planned_at timestamptz NOT NULL,
      last_position bigint NOT NULL,
      version integer NOT NULL,
      PRIMARY KEY (agency_id, fiscal_year)
    )`.execute(db)
  await sql`
    CREATE TABLE training_courses (
      agency_id text NOT NULL,
      fiscal_year integer NOT NULL,
      course_id text NOT NULL,
      title text NOT NULL,
      audience jsonb NOT NULL,
      mandatory boolean NOT NULL,
      added_at timestamptz NOT NULL,
      PRIMARY KEY (agency_id, fiscal_year, course_id)
    )`.execute(db)
  // Keyed by employee first: the newcomer rule asks "any completion since this day" per employee.
  await sql`
    CREATE TABLE training_completions (
      agency_id text NOT NULL,
      employee_id text NOT NULL,
      fiscal_year integer NOT NULL,
      course_id text NOT NULL,
      completed_on date NOT NULL,
      recorded_by text NOT NULL,
      recorded_at timestamptz NOT NULL,
      PRIMARY KEY (agency_id, employee_id, fiscal_year, course_id)
    )`.execute(db)
  await sql`CREATE INDEX training_completions_year_idx ON training_completions (agency_id, fiscal_year, employee_id, completed_on)`.execute(db)
  await sql`CREATE INDEX training_completions_course_idx ON training_completions (agency_id, fiscal_year, course_id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['training_completions', 'training_courses', 'training_plans', 'plan_items', 'plans']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db)
  }
}

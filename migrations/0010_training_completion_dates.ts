// A training completion is keyed by its date too: after a transfer an employee takes a course again for
// the newcomer rule, and that second completion must be kept. Frozen in time: imports nothing from src/.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE training_completions DROP CONSTRAINT training_completions_pkey`.execute(db)
  await sql`ALTER TABLE training_completions ADD CONSTRAINT training_completions_pkey PRIMARY KEY (agency_id, employee_id, fiscal_year, course_id, completed_on)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE training_completions DROP CONSTRAINT training_completions_pkey`.execute(db)
  await sql`ALTER TABLE training_completions ADD CONSTRAINT training_completions_pkey PRIMARY KEY (agency_id, employee_id, fiscal_year, course_id)`.execute(db)
}

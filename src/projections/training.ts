// Read model of education (Art. 8): `training_plans`, `training_courses` and `training_completions`
// (one row per employee, fiscal year and course). Coverage is computed from them at query time, with
// the agency's current settings (training-queries.ts).
import type pg from 'pg'
import { trainingEventTypes, type Course, type TrainingEvent } from '../domain/training/events.js'
import { ident, type ProjectedEvent, type Projection, type TableNames } from './types.js'

type Tables = 'training_plans' | 'training_courses' | 'training_completions'
type Row = Record<string, unknown>

const courseRow = (agency_id: string, fiscal_year: number, c: Course, at: string): Row => ({
  agency_id, fiscal_year, course_id: c.courseId, title: c.title, audience: c.audience, mandatory: c.mandatory, added_at: at,
})

function collect(events: readonly ProjectedEvent[]): { plans: Map<string, Row>; courses: Row[]; completions: Row[] } {
  const plans = new Map<string, Row>()
  const courses: Row[] = []
  const completions: Row[] = []
  for (const e of events) {
    if (e.streamType !== 'training') continue // a same-named event of another aggregate is not ours
    const event = { type: e.type, data: e.data } as TrainingEvent
    const agency_id = e.agencyId
    const fiscal_year = event.data.fiscalYear
    const key = `${agency_id}\u0000${fiscal_year}`
    switch (event.type) {
      case 'TrainingPlanned': {
        const d = event.data
        plans.set(key, { agency_id, fiscal_year, planned_by: d.plannedBy, planned_at: d.at, last_position: e.position, version: e.streamVersion })
        for (const c of d.courses) courses.push(courseRow(agency_id, fiscal_year, c, d.at))
        break
      }
      case 'TrainingCourseAdded': courses.push(courseRow(agency_id, fiscal_year, event.data, event.data.at)); break
      case 'TrainingCompleted': {
        const { courseId, completedOn, employeeIds, recordedBy, at } = event.data
        for (const employee_id of employeeIds) {
          completions.push({ agency_id, employee_id, fiscal_year, course_id: courseId, completed_on: completedOn, recorded_by: recordedBy, recorded_at: at })
        }
        break
      }
    }
    // The plan row follows the stream's head (an upsert keeps the first plan's other columns).
    const plan = plans.get(key)
    plans.set(key, { ...(plan ?? { agency_id, fiscal_year, planned_by: null, planned_at: null }), last_position: e.position, version: e.streamVersion })
  }
  return { plans, courses, completions }
}

export const trainingProjection: Projection<Tables> = {
  name: 'training',
  eventTypes: trainingEventTypes,
  tables: ['training_plans', 'training_courses', 'training_completions'],
  async apply(client: pg.ClientBase, events: readonly ProjectedEvent[], tables: TableNames<Tables>) {
    const { plans, courses, completions } = collect(events)
    const planTable = ident(tables.training_plans)
    const courseTable = ident(tables.training_courses)
    const completionTable = ident(tables.training_completions)
    const created = [...plans.values()].filter((p) => p.planned_by !== null)
    const moved = [...plans.values()].filter((p) => p.planned_by === null)
    if (created.length > 0) {
      await client.query(`INSERT INTO ${planTable} SELECT * FROM jsonb_populate_recordset(null::${planTable}, $1::jsonb) ON CONFLICT DO NOTHING`, [JSON.stringify(created)])
    }
    if (moved.length > 0) {
      await client.query(
        `UPDATE ${planTable} t SET last_position = p.last_position, version = p.version
           FROM jsonb_to_recordset($1::jsonb) AS p(agency_id text, fiscal_year int, last_position bigint, version int)
          WHERE t.agency_id = p.agency_id AND t.fiscal_year = p.fiscal_year`,
        [JSON.stringify(moved)],
      )
    }
    if (courses.length > 0) {
      await client.query(`INSERT INTO ${courseTable} SELECT * FROM jsonb_populate_recordset(null::${courseTable}, $1::jsonb) ON CONFLICT DO NOTHING`, [JSON.stringify(courses)])
    }
    if (completions.length > 0) {
      await client.query(`INSERT INTO ${completionTable} SELECT * FROM jsonb_populate_recordset(null::${completionTable}, $1::jsonb) ON CONFLICT DO NOTHING`, [JSON.stringify(completions)])
    }
  },
}

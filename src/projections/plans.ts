// Read model of promotion plans (Art. 6): `plans` (with their reviews) and `plan_items` (latest status
// and the progress history). Set-based: one statement per kind of change, in dependency order.
import type pg from 'pg'
import { planEventTypes, type PlanEvent } from '../domain/plan/events.js'
import { ident, type ProjectedEvent, type Projection, type TableNames } from './types.js'

type Tables = 'plans' | 'plan_items'
type Row = Record<string, unknown>

interface Changes {
  plans: Row[]
  items: Row[]
  /** Per item: its latest progress and the entries to append to its history. */
  progress: Map<string, Row & { entries: Row[] }>
  /** Per plan: how far it got, and the reviews to append. */
  touched: Map<string, Row & { reviews: Row[] }>
}

function collect(events: readonly ProjectedEvent[]): Changes {
  const c: Changes = { plans: [], items: [], progress: new Map(), touched: new Map() }
  for (const e of events) {
    if (e.streamType !== 'plan') continue // a same-named event of another aggregate is not ours
    const event = { type: e.type, data: e.data } as PlanEvent
    const plan = { agency_id: e.agencyId, fiscal_year: event.data.fiscalYear }
    const planKey = `${e.agencyId}\u0000${plan.fiscal_year}`
    const touched = { ...plan, last_reviewed_at: null, reviews: [], ...c.touched.get(planKey), last_position: e.position, version: e.streamVersion }
    c.touched.set(planKey, touched)
    switch (event.type) {
      case 'PlanEstablished': {
        const d = event.data
        c.plans.push({ ...plan, title: d.title, established_by: d.establishedBy, established_at: d.at, last_position: e.position, version: e.streamVersion, reviews: [], last_reviewed_at: null })
        for (const item of d.items) c.items.push(itemRow(plan, item, d.at))
        break
      }
      case 'PlanItemAdded': c.items.push(itemRow(plan, event.data, event.data.at)); break
      case 'PlanProgressRecorded': {
        const { itemId, status, percent, note, recordedBy, at } = event.data
        const key = `${planKey}\u0000${itemId}`
        const entries = [...(c.progress.get(key)?.entries ?? []), { status, percent, note: note ?? null, by: recordedBy, at }]
        c.progress.set(key, { ...plan, item_id: itemId, status, percent, updated_at: at, entries })
        break
      }
      case 'PlanReviewed': {
        const { outcome, notes, reviewedBy, at } = event.data
        c.touched.set(planKey, { ...touched, last_reviewed_at: at, reviews: [...touched.reviews, { outcome, notes, by: reviewedBy, at }] })
        break
      }
    }
  }
  return c
}

const itemRow = (plan: Row, i: { itemId: string; title: string; ownerId: string; dueOn: string; article?: number | undefined }, at: string): Row => ({
  ...plan, item_id: i.itemId, title: i.title, owner_id: i.ownerId, due_on: i.dueOn, article: i.article ?? null,
  added_at: at, status: 'NOT_STARTED', percent: 0, progress: [], updated_at: at,
})

export const plansProjection: Projection<Tables> = {
  name: 'plans',
  eventTypes: planEventTypes,
  tables: ['plans', 'plan_items'],
  async apply(client: pg.ClientBase, events: readonly ProjectedEvent[], tables: TableNames<Tables>) {
    const c = collect(events)
    const plans = ident(tables.plans)
    const items = ident(tables.plan_items)
    // 1. New plans and items (an event is applied once; DO NOTHING only guards a replay into live tables).
    if (c.plans.length > 0) {
      await client.query(`INSERT INTO ${plans} SELECT * FROM jsonb_populate_recordset(null::${plans}, $1::jsonb) ON CONFLICT DO NOTHING`, [JSON.stringify(c.plans)])
    }
    if (c.items.length > 0) {
      await client.query(`INSERT INTO ${items} SELECT * FROM jsonb_populate_recordset(null::${items}, $1::jsonb) ON CONFLICT DO NOTHING`, [JSON.stringify(c.items)])
    }
    // 2. Progress: the latest status, and the history appended in order.
    if (c.progress.size > 0) {
      await client.query(
        `UPDATE ${items} t SET status = p.status, percent = p.percent, updated_at = p.updated_at, progress = t.progress || p.entries
           FROM jsonb_to_recordset($1::jsonb) AS p(agency_id text, fiscal_year int, item_id text, status text, percent int, updated_at timestamptz, entries jsonb)
          WHERE t.agency_id = p.agency_id AND t.fiscal_year = p.fiscal_year AND t.item_id = p.item_id`,
        [JSON.stringify([...c.progress.values()])],
      )
    }
    // 3. Each plan touched: its position and version, and the reviews appended in order.
    if (c.touched.size > 0) {
      await client.query(
        `UPDATE ${plans} t SET last_position = p.last_position, version = p.version, reviews = t.reviews || p.reviews,
                last_reviewed_at = coalesce(p.last_reviewed_at, t.last_reviewed_at)
           FROM jsonb_to_recordset($1::jsonb) AS p(agency_id text, fiscal_year int, last_position bigint, version int, last_reviewed_at timestamptz, reviews jsonb)
          WHERE t.agency_id = p.agency_id AND t.fiscal_year = p.fiscal_year`,
        [JSON.stringify([...c.touched.values()])],
      )
    }
  },
}

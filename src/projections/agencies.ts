// Read model of agencies (name, kind, parent), and the visibility rule: an agency sees itself, and a
// national organ also sees the bodies under it (read-only).
import type pg from 'pg'
import { agencyEventTypes, type AgencyEvent } from '../domain/agency/events.js'
import { ident, type ProjectedEvent, type Projection, type TableNames } from './types.js'

export const agenciesProjection: Projection<'agencies'> = {
  name: 'agencies',
  eventTypes: agencyEventTypes,
  tables: ['agencies'],
  async apply(client: pg.ClientBase, events: readonly ProjectedEvent[], tables: TableNames<'agencies'>) {
    const rows = events.map((e) => {
      const event = { type: e.type, data: e.data } as AgencyEvent
      switch (event.type) {
        case 'AgencyRegistered':
          return { agency_id: event.data.agencyId, name: event.data.name, kind: event.data.kind, parent_id: event.data.parentId ?? null, registered_at: event.data.registeredAt }
      }
    })
    const table = ident(tables.agencies)
    await client.query(
      `INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(null::${table}, $1::jsonb)
       ON CONFLICT (agency_id) DO UPDATE SET name = excluded.name, kind = excluded.kind, parent_id = excluded.parent_id`,
      [JSON.stringify(rows)],
    )
  },
}

/** The agencies whose data `agencyId`'s users may read: itself and, for a national organ, its children. */
export async function visibleAgencies(pool: pg.Pool, agencyId: string): Promise<string[]> {
  const { rows } = await pool.query<{ agency_id: string }>('SELECT agency_id FROM agencies WHERE parent_id = $1 ORDER BY agency_id', [agencyId])
  return [agencyId, ...rows.map((r) => r.agency_id)]
}

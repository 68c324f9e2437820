// Read model of agencies (name, kind, parent), and the visibility rule: an agency sees itself, and a
// national organ also sees the bodies under it (read-only).
import type pg from 'pg'
import type { AgencyEvent } from '../domain/agency/events.js'
import { RowBatch } from './row-batch.js'
import type { ProjectedEvent, Projection, TableNames } from './types.js'

export const agenciesProjection: Projection<'agencies'> = {
  name: 'agencies',
  eventTypes: ['AgencyRegistered', 'AgencySettingsChanged'] satisfies AgencyEvent['type'][],
  tables: ['agencies'],
  async apply(client: pg.ClientBase, events: readonly ProjectedEvent[], tables: TableNames<'agencies'>) {
    const batch = new RowBatch(tables.agencies, ['agency_id'])
    for (const e of events) {
      const event = { type: e.type, data: e.data } as Extract<AgencyEvent, { type: 'AgencyRegistered' | 'AgencySettingsChanged' }>
      switch (event.type) {
        case 'AgencyRegistered': {
          const d = event.data
          batch.upsert({ agency_id: d.agencyId, name: d.name, kind: d.kind, parent_id: d.parentId ?? null, registered_at: d.registeredAt, settings: null })
          break
        }
        case 'AgencySettingsChanged': batch.patch({ agency_id: e.agencyId, settings: event.data.settings }); break
      }
    }
    await batch.write(client)
  },
}

/** The agencies whose data `agencyId`'s users may read: itself and, for a national organ, its children. */
export async function visibleAgencies(pool: pg.Pool, agencyId: string): Promise<string[]> {
  const { rows } = await pool.query<{ agency_id: string }>('SELECT agency_id FROM agencies WHERE parent_id = $1 ORDER BY agency_id', [agencyId])
  return [agencyId, ...rows.map((r) => r.agency_id)]
}

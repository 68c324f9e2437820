// Read model of risk assessments (Art. 3): each risk as it stands. The level is not stored: it is
// derived from likelihood and impact by the domain (riskLevel) when read or filtered.
import type pg from 'pg'
import { riskEventTypes, type RiskChanges, type RiskEvent } from '../domain/risk/events.js'
import { riskIdOf } from '../domain/risk/decider.js'
import { RowBatch } from './row-batch.js'
import type { ProjectedEvent, Projection, TableNames } from './types.js'

type Tables = 'risks'

/** Event field -> column, for the fields a reassessment may change. */
const columns: Record<keyof RiskChanges & string, string> = {
  title: 'title', threat: 'threat', likelihood: 'likelihood', impact: 'impact', measures: 'measures', reviewBy: 'review_by', systemId: 'system_id', assetId: 'asset_id',
}

function changedColumns(changes: RiskChanges): Record<string, unknown> {
  return Object.fromEntries(Object.entries(changes).flatMap(([field, value]) => {
    const column = columns[field]
    return column === undefined || value === undefined ? [] : [[column, value]]
  }))
}

function applyRisk(batch: RowBatch, e: ProjectedEvent, event: RiskEvent): void {
  const key = { agency_id: e.agencyId, risk_id: riskIdOf(e.streamId) }
  const stamp = { version: e.streamVersion, last_position: e.position }
  switch (event.type) {
    case 'RiskAssessed': {
      const d = event.data
      return batch.upsert({
        ...key, title: d.title, threat: d.threat, likelihood: d.likelihood, impact: d.impact, measures: d.measures, review_by: d.reviewBy,
        system_id: d.systemId ?? null, asset_id: d.assetId ?? null, retired: false, retire_reason: null, assessed_by: d.by, assessed_at: d.at,
        updated_by: d.by, updated_at: d.at, reassessments: 0, ...stamp,
      })
    }
    // Reassessments happen only before retirement, so they are the stream's events after the first.
    case 'RiskReassessed':
      return batch.patch({ ...key, ...changedColumns(event.data.changes), updated_by: event.data.by, updated_at: event.data.at, reassessments: e.streamVersion - 1, ...stamp })
    case 'RiskRetired':
      return batch.patch({ ...key, retired: true, retire_reason: event.data.reason, updated_by: event.data.by, updated_at: event.data.at, ...stamp })
  }
}

export const risksProjection: Projection<Tables> = {
  name: 'risks',
  eventTypes: riskEventTypes,
  tables: ['risks'],
  async apply(client: pg.ClientBase, events: readonly ProjectedEvent[], tables: TableNames<Tables>) {
    const batch = new RowBatch(tables.risks, ['agency_id', 'risk_id'])
    for (const e of events) applyRisk(batch, e, { type: e.type, data: e.data } as RiskEvent)
    await batch.write(client)
  },
}

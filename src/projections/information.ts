// Read model of information assets (Art. 12–14): one row per asset (classes, restrictions, decider,
// origin, deleted), one per refused lifecycle step, and one per provision to another agency, keyed by
// the RECEIVING agency (Art. 12 §2, 13 §3) so that agency lists what it received.
import type pg from 'pg'
import { informationEventTypes, type Classes, type InformationEvent } from '../domain/information/index.js'
import { RowBatch } from './row-batch.js'
import type { ProjectedEvent, Projection, TableNames } from './types.js'

const tableNames = ['information_assets', 'information_blocked', 'information_received'] as const
type Tables = (typeof tableNames)[number]

const classColumns = (c: Classes) => ({ confidentiality: c.confidentiality, integrity: c.integrity ?? null, availability: c.availability ?? null, sub_level: c.subLevel ?? null })

type Classified = Extract<InformationEvent, { type: 'InformationClassified' }>
function assetRow(e: ProjectedEvent, { data: d }: Classified) {
  const received = d.origin.how === 'RECEIVE' ? d.origin : undefined
  return {
    agency_id: e.agencyId, asset_id: d.assetId, title: d.title, owner_unit_id: d.ownerUnitId, medium: d.medium, ...classColumns(d.classes),
    restrictions: d.restrictions, origin: d.origin, source_asset_id: d.origin.how === 'COPY' ? d.origin.sourceAssetId : null,
    received_from_agency_id: received?.fromAgencyId ?? null, received_from_asset_id: received?.fromAssetId ?? null,
    decided_by: d.decider, decider: d.decider, created_by: d.by, created_at: d.at, created_position: e.position, updated_at: d.at,
    deleted: false, deleted_at: null, version: e.streamVersion, last_position: e.position,
  }
}

type Recorded = Extract<InformationEvent, { type: 'InformationStepRecorded' }>
/** A provision to another agency, as the receiver sees it (null for any other step). */
function receivedRow(e: ProjectedEvent, { data: d }: Recorded) {
  if (d.details.step !== 'PROVIDE' || d.details.toAgencyId === undefined || !d.marking) return null
  const m = d.marking
  return {
    agency_id: d.details.toAgencyId, from_agency_id: e.agencyId, step_id: d.stepId, asset_id: d.assetId, title: m.title, medium: m.medium, ...classColumns(m.classes),
    restrictions: m.restrictions, decider: m.decider, recipient: d.details.recipient, purpose: d.details.purpose, provided_by: d.by, provided_at: d.at, position: e.position,
  }
}

function blockedRow(e: ProjectedEvent, { data: d }: Extract<InformationEvent, { type: 'InformationStepBlocked' }>) {
  return {
    agency_id: e.agencyId, step_id: d.stepId, asset_id: d.assetId, step: d.step, rules: d.rules, exceptions: d.exceptions, owner_unit_id: d.ownerUnitId,
    details: d.details, blocked_by: d.by, blocked_at: d.at, position: e.position,
  }
}

export const informationProjection: Projection<Tables> = {
  name: 'information',
  eventTypes: informationEventTypes,
  tables: tableNames,
  async apply(client: pg.ClientBase, events: readonly ProjectedEvent[], tables: TableNames<Tables>) {
    const assets = new RowBatch(tables.information_assets, ['agency_id', 'asset_id'])
    const blocked = new RowBatch(tables.information_blocked, ['agency_id', 'step_id'])
    const received = new RowBatch(tables.information_received, ['agency_id', 'from_agency_id', 'step_id'])
    for (const e of events) {
      const event = { type: e.type, data: e.data } as InformationEvent
      const key = { agency_id: e.agencyId, asset_id: event.data.assetId }
      const touched = { ...key, version: e.streamVersion, last_position: e.position, updated_at: event.data.at }
      switch (event.type) {
        case 'InformationClassified': assets.upsert(assetRow(e, event)); break
        case 'InformationReclassified': assets.patch({ ...touched, ...classColumns(event.data.classes) }); break
        case 'ClassificationHandedOver': assets.patch({ ...touched, decider: event.data.to }); break
        case 'HandlingRestrictionsSet': assets.patch({ ...touched, restrictions: event.data.restrictions }); break
        case 'InformationStepRecorded': {
          assets.patch(event.data.step === 'DELETE' ? { ...touched, deleted: true, deleted_at: event.data.at } : touched)
          const row = receivedRow(e, event)
          if (row) received.upsert(row)
          break
        }
        case 'InformationStepBlocked': assets.patch(touched); blocked.upsert(blockedRow(e, event)); break
      }
    }
    await assets.write(client)
    await blocked.write(client)
    await received.write(client)
  },
}

// The state an information asset's decisions need: what it is, its classes and restrictions, who
// decides them, where it descends from, and whether it was deleted. What people want to see is in
// the read model (src/projections/information.ts).
import { DomainError } from '../shared/errors.js'
import type { Classes, Medium } from './classification.js'
import type { InformationEvent, Travelled } from './events.js'
import type { StoredRestriction } from './restrictions.js'

export interface AssetRecord {
  assetId: string
  title: string
  ownerUnitId: string
  medium: Medium
  classes: Classes
  restrictions: StoredRestriction[]
  /** The original decider, or their successor (HandOverClassification). */
  decider: string
  lineage: string[]
  /** Received from another agency (or copied from what was): what travelled, a floor for classes and restrictions. */
  received?: Travelled | undefined
  deleted: boolean
}

export interface AssetState {
  asset?: AssetRecord | undefined
}

export function evolve(state: AssetState, event: InformationEvent): AssetState {
  const asset = state.asset
  switch (event.type) {
    case 'InformationClassified': {
      const { assetId, title, ownerUnitId, medium, classes, restrictions, decider, lineage, origin } = event.data
      const received = event.data.received ?? (origin.how === 'RECEIVE' ? { fromAgencyId: origin.fromAgencyId, classes, restrictions } : undefined)
      return { asset: { assetId, title, ownerUnitId, medium, classes, restrictions, decider, lineage, received, deleted: false } }
    }
    case 'InformationReclassified': return asset ? { asset: { ...asset, classes: event.data.classes } } : state
    case 'ClassificationHandedOver': return asset ? { asset: { ...asset, decider: event.data.to } } : state
    case 'HandlingRestrictionsSet': return asset ? { asset: { ...asset, restrictions: event.data.restrictions } } : state
    case 'InformationStepRecorded': return asset && event.data.step === 'DELETE' ? { asset: { ...asset, deleted: true } } : state
    case 'InformationStepBlocked': return state
  }
}

/** The asset, which exists and is not deleted (a deleted asset accepts nothing more). */
export function requireActive(state: AssetState, assetId: string): AssetRecord {
  const asset = state.asset
  if (!asset) throw new DomainError('AssetNotFound', `no information asset ${assetId} in your agency`, { assetId })
  if (asset.deleted) throw new DomainError('AssetDeleted', `information asset ${assetId} was deleted; it accepts no further steps or changes`, { assetId })
  return asset
}

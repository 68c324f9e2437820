import type { DomainEvent } from '../shared/decider.js'
import type { AgencyKind } from '../shared/roles.js'
import type { AgencySettings } from '../shared/settings.js'

export type AgencyRegistered = DomainEvent<'AgencyRegistered', {
  agencyId: string; name: string; kind: AgencyKind; parentId?: string | undefined; registeredAt: string
}>
export type UnitCreated = DomainEvent<'UnitCreated', { unitId: string; name: string; parentUnitId?: string | undefined; createdBy: string; at: string }>
export type AreaDefined = DomainEvent<'AreaDefined', { areaId: string; name: string; unitId?: string | undefined; measures: string[]; definedBy: string; at: string }>
export type AreaMeasuresRecorded = DomainEvent<'AreaMeasuresRecorded', { areaId: string; measures: string[]; recordedBy: string; at: string }>
/** Carries the whole resulting settings, so a reader never needs the earlier changes. */
export type AgencySettingsChanged = DomainEvent<'AgencySettingsChanged', { settings: AgencySettings; changedBy: string; at: string }>

export type AgencyEvent = AgencyRegistered | UnitCreated | AreaDefined | AreaMeasuresRecorded | AgencySettingsChanged
export const agencyEventTypes = ['AgencyRegistered', 'UnitCreated', 'AreaDefined', 'AreaMeasuresRecorded', 'AgencySettingsChanged'] as const satisfies readonly AgencyEvent['type'][]

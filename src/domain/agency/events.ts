import type { DomainEvent } from '../shared/decider.js'
import type { AgencyKind } from '../shared/roles.js'

export type AgencyRegistered = DomainEvent<'AgencyRegistered', {
  agencyId: string; name: string; kind: AgencyKind; parentId?: string | undefined; registeredAt: string
}>
export type AgencyEvent = AgencyRegistered
export const agencyEventTypes = ['AgencyRegistered'] as const satisfies readonly AgencyEvent['type'][]

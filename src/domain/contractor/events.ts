import type { DomainEvent } from '../shared/decider.js'

export type CriterionRecord = { code: string; met: boolean; evidence?: string | undefined }

export type ContractorRegistered = DomainEvent<'ContractorRegistered', {
  contractorId: string; name: string; corporateNumber?: string | undefined; address?: string | undefined; registeredBy: string; at: string
}>
/** The criteria as checked; a later selection replaces an earlier one. */
export type ContractorSelectionRecorded = DomainEvent<'ContractorSelectionRecorded', { contractorId: string; criteria: CriterionRecord[]; recordedBy: string; at: string }>

export type ContractorEvent = ContractorRegistered | ContractorSelectionRecorded
export const contractorEventTypes = ['ContractorRegistered', 'ContractorSelectionRecorded'] as const satisfies readonly ContractorEvent['type'][]

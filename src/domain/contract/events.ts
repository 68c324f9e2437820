import type { DomainEvent } from '../shared/decider.js'

export type CheckOutcomeRecord = { result: string; note?: string | undefined }
export type SupplyChainItem = { name: string; model?: string | undefined; version?: string | undefined }

export type ContractRecorded = DomainEvent<'ContractRecorded', {
  contractId: string; contractorId: string; subject: string; ownerUnitId: string; systemIds: string[]; from: string; to: string
  securityClauses: string[]; handlesInformationClass?: string | undefined; recordedBy: string; at: string
}>
export type ContractExtended = DomainEvent<'ContractExtended', { contractId: string; previousTo: string; to: string; note?: string | undefined; extendedBy: string; at: string }>
/** `failed`: the checks that failed (derived from `checks`, for readers). */
export type SupplyChainCheckRecorded = DomainEvent<'SupplyChainCheckRecorded', {
  contractId: string; checkId: string; item: SupplyChainItem; systemId?: string | undefined
  checks: { knownVulnerabilities: CheckOutcomeRecord; insecureTechnology: CheckOutcomeRecord; embeddedMalware: CheckOutcomeRecord }
  failed: string[]; checkedOn: string; recordedBy: string; at: string
}>
export type ContractEnded = DomainEvent<'ContractEnded', { contractId: string; endedOn: string; note?: string | undefined; endedBy: string; at: string }>
export type InformationReturnOrErasureConfirmed = DomainEvent<'InformationReturnOrErasureConfirmed', {
  contractId: string; method: string; confirmedOn: string; evidenceRef?: string | undefined; confirmedBy: string; at: string
}>
export type ContractClosed = DomainEvent<'ContractClosed', { contractId: string; note?: string | undefined; closedBy: string; at: string }>

export type ContractEvent = ContractRecorded | ContractExtended | SupplyChainCheckRecorded | ContractEnded | InformationReturnOrErasureConfirmed | ContractClosed
export const contractEventTypes = [
  'ContractRecorded', 'ContractExtended', 'SupplyChainCheckRecorded', 'ContractEnded', 'InformationReturnOrErasureConfirmed', 'ContractClosed',
] as const satisfies readonly ContractEvent['type'][]

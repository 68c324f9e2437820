// Information-system events (Art. 17–21), all on the system's stream `system-<systemId>`. Times are ISO
// strings; `by` is the actor. Derived facts (the highest class, whether the ledger entry is complete, the
// crypto evaluation, internet-service shortfalls) are computed where shown, never stored.
import type { DomainEvent } from '../shared/decider.js'
import type { CryptoAlgorithmInput, InternetServiceMeasures } from './measure-inputs.js'
import type { Criticality, DocumentKind, Hosting, SystemStage } from './values.js'

type By = { by: string; at: string }

/** One version of a document as recorded; `by` recorded it (and may not approve it: separation of duties). */
export type StoredDocument = { documentId: string; kind: DocumentKind; title: string; version: string; issuedOn: string }

/** The ledger fields an update may replace. */
export type LedgerValues = {
  name?: string | undefined
  purpose?: string | undefined
  ownerUnitId?: string | undefined
  securityOfficerId?: string | undefined
  informationClasses?: string[] | undefined
  hosting?: Hosting | undefined
  contractorIds?: string[] | undefined
  internetFacing?: boolean | undefined
  criticality?: Criticality | undefined
  reviewDueOn?: string | undefined
}

export type SystemRegistered = DomainEvent<'SystemRegistered', By & {
  systemId: string; name: string; purpose: string; ownerUnitId: string; securityOfficerId?: string | undefined
  informationClasses: string[]; hosting?: Hosting | undefined; contractorIds: string[]; internetFacing: boolean; criticality: Criticality
  documents: StoredDocument[]; stage: SystemStage; reviewDueOn?: string | undefined
}>
export type SystemLedgerUpdated = DomainEvent<'SystemLedgerUpdated', By & {
  systemId: string
  /** The fields replaced, in a fixed order. */
  changed: string[]
  values: LedgerValues
  previous: LedgerValues
}>
export type SystemDocumentRecorded = DomainEvent<'SystemDocumentRecorded', By & StoredDocument & { systemId: string; newDocument: boolean }>
export type SystemStageChanged = DomainEvent<'SystemStageChanged', By & { systemId: string; from: SystemStage; to: SystemStage; note?: string | undefined }>
export type SecurityRequirementsApproved = DomainEvent<'SecurityRequirementsApproved', By & {
  systemId: string; documentId: string; documentVersion: string
  /** Who recorded the approved version (never the approver). */
  recordedBy: string
  note?: string | undefined
}>
export type SystemDataErasureConfirmed = DomainEvent<'SystemDataErasureConfirmed', By & {
  systemId: string; method: string; confirmedOn: string; evidenceRef?: string | undefined
}>
export type SystemReviewed = DomainEvent<'SystemReviewed', By & {
  systemId: string; stage: SystemStage; findings: string; previousReviewDueOn?: string | undefined; nextReviewDueOn?: string | undefined
}>
export type CryptoPolicySet = DomainEvent<'CryptoPolicySet', By & { systemId: string; edition: string; algorithms: CryptoAlgorithmInput[] }>
export type ContinuityPlanRecorded = DomainEvent<'ContinuityPlanRecorded', By & {
  systemId: string; version: string; recoveryTimeObjective?: string | undefined; measures: string[]
}>
export type ContinuityExerciseHeld = DomainEvent<'ContinuityExerciseHeld', By & {
  systemId: string; heldOn: string; scenario: string; securityMeasuresHeld: boolean; findings: string[]
  /** The plan version in force when the exercise was recorded (absent: no plan yet). */
  planVersion?: string | undefined
}>
export type InternetServiceMeasuresRecorded = DomainEvent<'InternetServiceMeasuresRecorded', By & {
  systemId: string; serviceName: string; domain: string; measures: InternetServiceMeasures
}>

export type SystemEvent =
  | SystemRegistered | SystemLedgerUpdated | SystemDocumentRecorded | SystemStageChanged | SecurityRequirementsApproved
  | SystemDataErasureConfirmed | SystemReviewed | CryptoPolicySet | ContinuityPlanRecorded | ContinuityExerciseHeld | InternetServiceMeasuresRecorded

export const systemEventTypes = [
  'SystemRegistered', 'SystemLedgerUpdated', 'SystemDocumentRecorded', 'SystemStageChanged', 'SecurityRequirementsApproved',
  'SystemDataErasureConfirmed', 'SystemReviewed', 'CryptoPolicySet', 'ContinuityPlanRecorded', 'ContinuityExerciseHeld', 'InternetServiceMeasuresRecorded',
] as const satisfies readonly SystemEvent['type'][]

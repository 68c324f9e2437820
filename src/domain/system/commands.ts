// Information-system commands (Art. 17–21): the ledger entry and its documents, the lifecycle with its
// guards, reviews, and the measures recorded per system (measure-inputs.ts). Facts from other streams
// (the owner unit exists, the security officer is an employee here) are looked up by the application.
import { z } from 'zod'
import type { EmployeeFact } from '../management/commands.js'
import type { Command } from '../shared/decider.js'
import { calendarDate, localId, text } from '../shared/values.js'
import { RecordContinuityExerciseInput, RecordContinuityPlanInput, RecordInternetServiceMeasuresInput, SetCryptoPolicyInput } from './measure-inputs.js'
import { ClassLabel, Criticality, Hosting, SystemDocumentInput, SystemStage } from './values.js'

const ledgerFields = {
  name: text(200),
  purpose: text(2000),
  ownerUnitId: localId.describe('the unit that owns the system'),
  securityOfficerId: localId.describe('the system security officer: an employee of your agency'),
  informationClasses: z.array(ClassLabel).max(50).describe('class labels of the information the system handles, e.g. C3I2A2 (the highest is derived)'),
  hosting: Hosting,
  contractorIds: z.array(localId).max(100).describe('contractors working on the system (recorded as given)'),
  internetFacing: z.boolean().describe('whether the system offers services on the internet (Art. 21)'),
  criticality: Criticality,
  reviewDueOn: calendarDate.describe('when the system is next reviewed'),
}

export const RegisterInformationSystemInput = z.object({
  systemId: localId.describe("the system's number in your agency's ledger"),
  ...ledgerFields,
  securityOfficerId: ledgerFields.securityOfficerId.optional(),
  informationClasses: ledgerFields.informationClasses.default([]),
  hosting: Hosting.optional(),
  contractorIds: ledgerFields.contractorIds.default([]),
  documents: z.array(SystemDocumentInput).max(100).default([]),
  stage: z.enum(['PLANNING', 'OPERATION']).default('PLANNING')
    .describe('PLANNING for a new system; OPERATION to enter a system already running (its ledger entry must then be complete)'),
  reviewDueOn: ledgerFields.reviewDueOn.optional(),
})

/** The fields given replace the current ones; the event names them. */
export const UpdateInformationSystemLedgerInput = z.object(
  Object.fromEntries(Object.entries(ledgerFields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof ledgerFields]: z.ZodOptional<(typeof ledgerFields)[K]> },
).refine((v) => Object.values(v).some((x) => x !== undefined), 'name at least one field to change')

export const RecordSystemDocumentInput = SystemDocumentInput
export const ChangeSystemStageInput = z.object({ to: SystemStage, note: text(2000).optional() })
export const ApproveSecurityRequirementsInput = z.object({
  documentVersion: text(50).describe('the version of the SECURITY_REQUIREMENTS document approved'),
  documentId: localId.optional().describe('the document, when the system has several SECURITY_REQUIREMENTS documents'),
  note: text(2000).optional(),
})
export const ConfirmSystemDataErasureInput = z.object({
  method: text(500).describe('how the data was erased, e.g. cryptographic erasure, overwriting, physical destruction of the disks'),
  confirmedOn: calendarDate,
  evidenceRef: text(500).optional().describe('a certificate or report of the erasure'),
})
export const RecordSystemReviewInput = z.object({
  findings: text(10_000),
  nextReviewDueOn: calendarDate.optional().describe('the next review (absent: none is scheduled)'),
})

export type LedgerFieldName = keyof typeof ledgerFields

/** What the application looked up for the units and employees a command names. */
export interface LedgerFacts {
  /** Whether the owner unit named exists (absent when none is named). */
  ownerUnitExists?: boolean | undefined
  /** The security officer named, as registered here (absent: not an employee here, or none named). */
  securityOfficer?: EmployeeFact | undefined
}

type Cmd<T extends string, S extends z.ZodType, Extra = object> = Command<T, z.output<S> & Extra>
type On = { systemId: string }

export type RegisterInformationSystem = Cmd<'RegisterInformationSystem', typeof RegisterInformationSystemInput, LedgerFacts>
export type UpdateInformationSystemLedger = Cmd<'UpdateInformationSystemLedger', typeof UpdateInformationSystemLedgerInput, On & LedgerFacts>
export type RecordSystemDocument = Cmd<'RecordSystemDocument', typeof RecordSystemDocumentInput, On>
export type ChangeSystemStage = Cmd<'ChangeSystemStage', typeof ChangeSystemStageInput, On>
export type ApproveSecurityRequirements = Cmd<'ApproveSecurityRequirements', typeof ApproveSecurityRequirementsInput, On>
export type ConfirmSystemDataErasure = Cmd<'ConfirmSystemDataErasure', typeof ConfirmSystemDataErasureInput, On>
export type RecordSystemReview = Cmd<'RecordSystemReview', typeof RecordSystemReviewInput, On>
export type SetCryptoPolicy = Cmd<'SetCryptoPolicy', typeof SetCryptoPolicyInput, On>
export type RecordContinuityPlan = Cmd<'RecordContinuityPlan', typeof RecordContinuityPlanInput, On>
export type RecordContinuityExercise = Cmd<'RecordContinuityExercise', typeof RecordContinuityExerciseInput, On>
export type RecordInternetServiceMeasures = Cmd<'RecordInternetServiceMeasures', typeof RecordInternetServiceMeasuresInput, On>

export type SystemCommand =
  | RegisterInformationSystem | UpdateInformationSystemLedger | RecordSystemDocument | ChangeSystemStage | ApproveSecurityRequirements
  | ConfirmSystemDataErasure | RecordSystemReview | SetCryptoPolicy | RecordContinuityPlan | RecordContinuityExercise | RecordInternetServiceMeasures

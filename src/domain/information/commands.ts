// Information asset commands (Art. 12–14): classify, reclassify, hand the decision over, set handling
// restrictions, the checked lifecycle steps, and taking in what another agency provided. Facts from
// other streams (a unit exists, an area is defined, an agency is registered, employees, covering
// exceptions, a provision) are looked up by the application and travel in the command.
import { z } from 'zod'
import { AgencyId } from '../agency/commands.js'
import type { EmployeeFacts } from '../management/commands.js'
import type { Command } from '../shared/decider.js'
import type { LifecycleRuleCode } from '../shared/lifecycle.js'
import { localId, text } from '../shared/values.js'
import { Availability, Confidentiality, Integrity, Medium, SubLevel, type Classes } from './classification.js'
import { HandlingRestrictions, type StoredRestriction } from './restrictions.js'
import type { Marking } from './events.js'
import type { StepDetails } from './steps.js'

const classFields = {
  confidentiality: Confidentiality,
  integrity: Integrity.optional(),
  availability: Availability.optional(),
  subLevel: SubLevel.optional(),
}

export const ClassifyInformationInput = z.object({
  title: text(300),
  ownerUnitId: localId.describe('the unit that manages the asset'),
  medium: Medium,
  ...classFields,
  restrictions: HandlingRestrictions.default([]),
  how: z.enum(['CREATE', 'OBTAIN']).describe('created here, or obtained from outside (then give its source)'),
  source: text(500).optional().describe('where obtained information came from (OBTAIN only)'),
}).superRefine((input, ctx) => {
  if (input.how === 'OBTAIN' && input.source === undefined) ctx.addIssue({ code: 'custom', path: ['source'], message: 'name the source of obtained information' })
  if (input.how === 'CREATE' && input.source !== undefined) ctx.addIssue({ code: 'custom', path: ['source'], message: 'only obtained information has a source' })
})

export const ReclassifyInformationInput = z.object({ ...classFields, reason: text(1000) })

export const HandOverClassificationInput = z.object({
  successorId: localId.describe('the employee who decides the classes and restrictions from now on'),
  reason: text(1000),
})

export const SetHandlingRestrictionsInput = z.object({
  restrictions: HandlingRestrictions.describe('the full list from now on (an empty list lifts them all, except those that travelled with received information: InheritedMarking)'),
  reason: text(1000).optional(),
})

export const AcceptProvidedInformationInput = z.object({
  fromAgencyId: AgencyId.describe('the agency that provided it'),
  assetId: z.uuid().describe("the asset's id in the providing agency"),
  ownerUnitId: localId.describe('the unit of your agency that manages it from now on'),
})

/** A provision to another agency, as read from the provider's asset stream: what travelled with it (Art. 12 §2, 13 §3). */
export type Provision = {
  fromAgencyId: string; assetId: string; stepId: string
  title: string; medium: Medium; classes: Classes; restrictions: StoredRestriction[]
  providedBy: string; providedAt: string
}

type Input<S extends z.ZodType> = z.output<S>
export type ClassifyInformation = Command<'ClassifyInformation', Input<typeof ClassifyInformationInput> & { assetId: string; unitExists: boolean }>
export type ReclassifyInformation = Command<'ReclassifyInformation', Input<typeof ReclassifyInformationInput> & { assetId: string }>
export type HandOverClassification = Command<'HandOverClassification', Input<typeof HandOverClassificationInput> & {
  assetId: string
  /** The successor and the current decider, as registered here (absent: not an employee here). */
  employees: EmployeeFacts
}>
export type SetHandlingRestrictions = Command<'SetHandlingRestrictions', Input<typeof SetHandlingRestrictionsInput> & { assetId: string }>
export type AcceptProvidedInformation = Command<'AcceptProvidedInformation', Input<typeof AcceptProvidedInformationInput> & {
  /** The new asset of the receiving agency. */
  newAssetId: string
  provision: Provision | undefined
  unitExists: boolean
}>

/** The command types of the checked steps, each with the step it records. */
export const stepCommands = {
  CopyInformation: 'COPY', UseInformation: 'USE', SaveInformation: 'SAVE', PublishInformation: 'PUBLISH',
  ProvideInformation: 'PROVIDE', CarryInformation: 'CARRY', SendInformation: 'SEND', DeleteInformation: 'DELETE',
} as const satisfies Record<string, StepDetails['step']>
export type StepCommandType = keyof typeof stepCommands

/** What the application found for a step: references in other streams, and the exception covering each rule. */
export interface StepFacts {
  /** USE in an area: whether the area is defined in the agency (Art. 15). */
  areaDefined?: boolean | undefined
  /** PROVIDE to an agency: whether it is registered. */
  recipientRegistered?: boolean | undefined
  /** COPY: whether the copy's owner unit exists. */
  unitExists?: boolean | undefined
  /** For each rule the step would break, the approved exception that covers it (Art. 7), if any. */
  covered: Partial<Record<LifecycleRuleCode, string>>
}

export type RecordStep = Command<StepCommandType, { assetId: string; stepId: string; details: StepDetails; facts: StepFacts }>

/** Creates the copy's own asset once the COPY step on the source was recorded (internal: follows CopyInformation). */
export type CreateCopy = Command<'CreateCopy', { assetId: string; sourceAssetId: string; ownerUnitId: string; marking: Marking }>

export type InformationCommand =
  | ClassifyInformation | ReclassifyInformation | HandOverClassification | SetHandlingRestrictions | AcceptProvidedInformation | RecordStep | CreateCopy

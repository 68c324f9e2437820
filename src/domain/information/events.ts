// Information asset events. Times are ISO strings; `by` is the actor. Flags and the label are never
// stored: they are computed from `classes` (classification.ts) wherever an asset is shown.
import type { DomainEvent } from '../shared/decider.js'
import type { LifecycleRuleCode } from '../shared/lifecycle.js'
import type { Classes, Medium } from './classification.js'
import type { StoredRestriction } from './restrictions.js'
import type { StepDetails } from './steps.js'

/** How the asset came to be managed here (Art. 12: created, obtained, copied, or received from another agency). */
export type Origin =
  | { how: 'CREATE' }
  | { how: 'OBTAIN'; source: string }
  | { how: 'COPY'; sourceAssetId: string }
  | { how: 'RECEIVE'; fromAgencyId: string; fromAssetId: string; provisionStepId: string; providedBy: string; providedAt: string }

/**
 * What travelled with information another agency provided (Art. 13 §3): a floor for the receiver, kept by
 * the asset taken in and by its copies. The receiver adds restrictions and raises classes, never below it.
 */
export type Travelled = { fromAgencyId: string; classes: Classes; restrictions: StoredRestriction[] }

/** What an asset carries to a recipient or a copy: its classes and restrictions (Art. 12 §2, 13 §3), and who decided them. */
export type Marking = {
  title: string; medium: Medium; classes: Classes; restrictions: StoredRestriction[]
  /** The decider of the classes (a copy keeps the source's decider: reclassification goes back to them). */
  decider: string
  /** The assets this one descends from, nearest first (an exception for a source also covers its copies). */
  lineage: string[]
  /** A copy of received information: what travelled to the source, still a floor for the copy. */
  received?: Travelled | undefined
}

/** An exception (Art. 7) that permitted a rule the step would otherwise break. */
export type ExceptionLink = { rule: LifecycleRuleCode; exceptionId: string }

export type InformationClassified = DomainEvent<'InformationClassified', {
  assetId: string; title: string; ownerUnitId: string; medium: Medium; classes: Classes; restrictions: StoredRestriction[]
  origin: Origin
  /** Who decides the classes and restrictions: the creator or obtainer (for a copy, the source's decider). */
  decider: string
  lineage: string[]
  /** A copy of received information: the floor its source kept (for a RECEIVE origin it is the classes and restrictions above). */
  received?: Travelled | undefined
  by: string; at: string
}>
export type InformationReclassified = DomainEvent<'InformationReclassified', {
  assetId: string; classes: Classes; previous: Classes; reason: string; by: string; at: string
}>
export type ClassificationHandedOver = DomainEvent<'ClassificationHandedOver', {
  assetId: string; from: string; to: string; reason: string
  /** True when an officer handed it over because the decider had left. */
  byOfficer: boolean
  by: string; at: string
}>
export type HandlingRestrictionsSet = DomainEvent<'HandlingRestrictionsSet', {
  assetId: string; restrictions: StoredRestriction[]; previous: StoredRestriction[]; reason?: string | undefined; by: string; at: string
}>
export type InformationStepRecorded = DomainEvent<'InformationStepRecorded', {
  assetId: string; stepId: string; step: StepDetails['step']; details: StepDetails; ownerUnitId: string
  /** Each rule the step broke and the exception that permitted it (empty when it broke none). */
  exceptions: ExceptionLink[]
  exceptionIds: string[]
  /** COPY, PROVIDE, CARRY, SEND: what went with the information. */
  marking?: Marking | undefined
  by: string; at: string
}>
/** A refused step, recorded so refusals can be reviewed ("lifecycle events blocked in a period"). */
export type InformationStepBlocked = DomainEvent<'InformationStepBlocked', {
  assetId: string; stepId: string; step: StepDetails['step']; details: StepDetails; ownerUnitId: string
  /** The rules no exception covered: why it was refused. */
  rules: LifecycleRuleCode[]
  /** Rules that an exception did cover (the step was still refused for the others). */
  exceptions: ExceptionLink[]
  by: string; at: string
}>

export type InformationEvent =
  | InformationClassified | InformationReclassified | ClassificationHandedOver | HandlingRestrictionsSet | InformationStepRecorded | InformationStepBlocked
export const informationEventTypes = [
  'InformationClassified', 'InformationReclassified', 'ClassificationHandedOver', 'HandlingRestrictionsSet', 'InformationStepRecorded', 'InformationStepBlocked',
] as const satisfies readonly InformationEvent['type'][]

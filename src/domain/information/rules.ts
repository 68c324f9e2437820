// The lifecycle rules of domain.md §5 (Art. 14) as one pure function: which rule codes of
// src/domain/shared/lifecycle.ts a step would break, given the asset's classes and restrictions.
// Permission-style rules (C3OutsideControlledArea, CopyWithoutPermission, DistributionWithoutPermission)
// are reported like any other: in this service a permission IS an approved exception covering the rule.
import type { LifecycleRuleCode } from '../shared/lifecycle.js'
import { flagsOf, type Classes } from './classification.js'
import type { Travelled } from './events.js'
import { hasRestriction, restriction, type StoredRestriction } from './restrictions.js'
import type { CarryDetails, DeleteDetails, ProvideDetails, SaveDetails, SendDetails, StepDetails } from './steps.js'

/** What the rules look at: the asset's classes and handling restrictions, and whether it came from another agency. */
export interface RuleSubject {
  classes: Classes
  restrictions: readonly StoredRestriction[]
  /** Set when the asset (or the source it was copied from) was received from another agency: sending it on is forwarding. */
  received?: Travelled | undefined
}

/** Facts from outside the asset: today's date (Japan time) for RETAIN_UNTIL. */
export interface RuleFacts {
  today: string
}

type Check = [LifecycleRuleCode, boolean]
const broken = (checks: Check[]): LifecycleRuleCode[] => checks.filter(([, failed]) => failed).map(([code]) => code)

const norm = (s: string) => s.trim().toLowerCase()

/** AUDIENCE_LIMITED: who receives it is one the audience names. */
function outsideAudience(asset: RuleSubject, receiver: string): boolean {
  const limited = restriction(asset.restrictions, 'AUDIENCE_LIMITED')
  return limited !== undefined && !(limited.audience ?? []).map(norm).includes(norm(receiver))
}

/**
 * Provided to an agency, that agency is the receiver (a recipient name inside it may not let another agency
 * in); provided outside the government bodies, the recipient is.
 */
const provideReceiver = (step: ProvideDetails) => step.toAgencyId ?? step.recipient

/** 要機密 on external media, or anything under ENCRYPTION_REQUIRED, is saved encrypted (paper in a cabinet is not encrypted). */
function unencryptedSave(asset: RuleSubject, step: SaveDetails): boolean {
  if (step.encrypted || step.medium === 'CABINET') return false
  return hasRestriction(asset.restrictions, 'ENCRYPTION_REQUIRED') || (flagsOf(asset.classes).needsConfidentiality && step.medium === 'EXTERNAL_MEDIA')
}

/** A safe method: sealed for paper, encrypted for media and devices. 要機密 needs one; so does ENCRYPTION_REQUIRED on media. */
function unsafeCarry(asset: RuleSubject, step: CarryDetails): boolean {
  const safe = step.method === 'PAPER' ? step.sealed : step.encrypted
  if (safe) return false
  const encryptionRequired = step.method !== 'PAPER' && hasRestriction(asset.restrictions, 'ENCRYPTION_REQUIRED')
  return flagsOf(asset.classes).needsConfidentiality || encryptionRequired
}

function unencryptedSend(asset: RuleSubject, step: SendDetails): boolean {
  if (step.encrypted) return false
  return hasRestriction(asset.restrictions, 'ENCRYPTION_REQUIRED') || (flagsOf(asset.classes).needsConfidentiality && step.toOutsideGovernment)
}

/** Sending on what another agency provided is forwarding, whatever the caller says; the flag adds other cases. */
const forwarding = (asset: RuleSubject, step: SendDetails) => step.forwarding || asset.received !== undefined

function sendChecks(asset: RuleSubject, step: SendDetails): Check[] {
  const has = (code: Parameters<typeof hasRestriction>[1]) => hasRestriction(asset.restrictions, code)
  return [
    ['NoSend', has('NO_SEND')], ['NoForward', has('NO_FORWARD') && forwarding(asset, step)], ['UnencryptedSend', unencryptedSend(asset, step)],
    // Sending outside the government distributes it; inside, PROVIDE records what goes to another agency.
    ['SendNoDistribution', has('NO_DISTRIBUTION') && step.toOutsideGovernment],
    ['SendDistributionWithoutPermission', has('DISTRIBUTION_NEEDS_PERMISSION') && step.toOutsideGovernment],
    ['SendAudienceLimited', outsideAudience(asset, step.recipient)],
  ]
}

/** RETAIN_UNTIL: kept until the date, so deleting it on or before that day is early. */
function retentionNotOver(asset: RuleSubject, facts: RuleFacts): boolean {
  const until = restriction(asset.restrictions, 'RETAIN_UNTIL')?.date
  return until !== undefined && facts.today <= until
}

function deleteChecks(asset: RuleSubject, step: DeleteDetails, facts: RuleFacts): Check[] {
  return [
    ['NoDelete', hasRestriction(asset.restrictions, 'NO_DELETE')],
    ['RetentionNotOver', retentionNotOver(asset, facts)],
    ['RecoverableErasure', !step.irrecoverable],
  ]
}

/** The rule codes the step breaks, in the order lifecycle.ts lists them (empty: the step is allowed). */
export function violations(asset: RuleSubject, step: StepDetails, facts: RuleFacts): LifecycleRuleCode[] {
  const has = (code: Parameters<typeof hasRestriction>[1]) => hasRestriction(asset.restrictions, code)
  switch (step.step) {
    case 'COPY': return broken([['NoCopy', has('NO_COPY')], ['CopyWithoutPermission', has('COPY_NEEDS_PERMISSION')]])
    case 'USE': return broken([['C3OutsideControlledArea', asset.classes.confidentiality === 3 && step.areaId === undefined]])
    case 'SAVE': return broken([['UnencryptedSave', unencryptedSave(asset, step)]])
    case 'PUBLISH': return broken([['PublishNotC1', asset.classes.confidentiality > 1]])
    case 'PROVIDE':
      return broken([
        ['NoDistribution', has('NO_DISTRIBUTION')], ['DistributionWithoutPermission', has('DISTRIBUTION_NEEDS_PERMISSION')],
        ['AudienceLimited', outsideAudience(asset, provideReceiver(step))],
      ])
    case 'CARRY': return broken([['NoTakeOut', has('NO_TAKE_OUT')], ['UnsafeCarry', unsafeCarry(asset, step)]])
    case 'SEND': return broken(sendChecks(asset, step))
    case 'DELETE': return broken(deleteChecks(asset, step, facts))
  }
}

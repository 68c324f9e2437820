// The lifecycle rules of domain.md §5 (Art. 14) as one pure function: which rule codes of
// src/domain/shared/lifecycle.ts a step would break, given the asset's classes and restrictions.
// Permission-style rules (C3OutsideControlledArea, CopyWithoutPermission, DistributionWithoutPermission)
// are reported like any other: in this service a permission IS an approved exception covering the rule.
import type { LifecycleRuleCode } from '../shared/lifecycle.js'
import { flagsOf, type Classes } from './classification.js'
import { hasRestriction, restriction, type StoredRestriction } from './restrictions.js'
import type { CarryDetails, DeleteDetails, ProvideDetails, SaveDetails, SendDetails, StepDetails } from './steps.js'

/** What the rules look at: the asset's classes and handling restrictions. */
export interface RuleSubject {
  classes: Classes
  restrictions: readonly StoredRestriction[]
}

/** Facts from outside the asset: today's date (Japan time) for RETAIN_UNTIL. */
export interface RuleFacts {
  today: string
}

type Check = [LifecycleRuleCode, boolean]
const broken = (checks: Check[]): LifecycleRuleCode[] => checks.filter(([, failed]) => failed).map(([code]) => code)

const norm = (s: string) => s.trim().toLowerCase()

/** AUDIENCE_LIMITED: the recipient (its agency id or its name) is one the audience names. */
function outsideAudience(asset: RuleSubject, step: ProvideDetails): boolean {
  const limited = restriction(asset.restrictions, 'AUDIENCE_LIMITED')
  if (!limited) return false
  const audience = (limited.audience ?? []).map(norm)
  const names = [step.recipient, step.toAgencyId].filter((n): n is string => n !== undefined).map(norm)
  return !names.some((n) => audience.includes(n))
}

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
        ['AudienceLimited', outsideAudience(asset, step)],
      ])
    case 'CARRY': return broken([['NoTakeOut', has('NO_TAKE_OUT')], ['UnsafeCarry', unsafeCarry(asset, step)]])
    case 'SEND': return broken([['NoSend', has('NO_SEND')], ['NoForward', has('NO_FORWARD') && step.forwarding], ['UnencryptedSend', unencryptedSend(asset, step)]])
    case 'DELETE': return broken(deleteChecks(asset, step, facts))
  }
}

import type { DomainEvent } from '../shared/decider.js'

/** `supersedes`: the latest version published before this one (absent for the first); this one replaces it once in force. */
export type UsageRulesPublished = DomainEvent<'UsageRulesPublished', {
  version: string; title: string; summary: string; documentRef?: string | undefined; effectiveFrom: string; supersedes?: string | undefined; publishedBy: string; at: string
}>
/** `unitId`: the employee's unit when acknowledging. */
export type UsageRulesAcknowledged = DomainEvent<'UsageRulesAcknowledged', { employeeId: string; unitId: string; version: string; at: string }>

export type UsageRulesEvent = UsageRulesPublished
export type UsageRulesAckEvent = UsageRulesAcknowledged
export const usageRulesEventTypes = ['UsageRulesPublished'] as const satisfies readonly UsageRulesEvent['type'][]
export const usageRulesAckEventTypes = ['UsageRulesAcknowledged'] as const satisfies readonly UsageRulesAckEvent['type'][]

// Policy events: adopted documents and reviews. Times are ISO strings; `by` is the actor's id.
import type { StandardsEdition } from '../shared/common-standards.js'
import type { DomainEvent } from '../shared/decider.js'
import type { PolicyReviewOutcome } from './commands.js'

export type BasicPolicyAdopted = DomainEvent<'BasicPolicyAdopted', {
  version: string; title: string; summary: string; adoptedOn: string
  /** The parent organ and the version of its basic policy this one follows (subordinate bodies only). */
  parentId?: string | undefined; parentPolicyVersion?: string | undefined
  by: string; at: string
}>
export type StandardsAdopted = DomainEvent<'StandardsAdopted', {
  version: string; edition: StandardsEdition; adoptedOn: string
  items: { itemId: string; title: string; covers: string[] }[]
  /** The basic policy in force when adopted, and through it the parent organ's policy (Art. 4 §4–5). */
  basicPolicyVersion: string; parentPolicyVersion?: string | undefined
  by: string; at: string
}>
export type PolicyReviewed = DomainEvent<'PolicyReviewed', {
  reviewId: string; outcome: PolicyReviewOutcome; notes: string
  basicPolicyVersion: string; standardsVersion?: string | undefined
  by: string; at: string
}>

export type PolicyEvent = BasicPolicyAdopted | StandardsAdopted | PolicyReviewed
export const policyEventTypes = ['BasicPolicyAdopted', 'StandardsAdopted', 'PolicyReviewed'] as const satisfies readonly PolicyEvent['type'][]

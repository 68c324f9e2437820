// Policy documents (Art. 4): the basic policy and the agency's own standards, both versioned, and
// their reviews (Art. 4 §6). Facts from other streams (the agency's kind, the parent organ's adopted
// policies) are looked up by the application and travel in the command.
import { z } from 'zod'
import { StandardsEdition } from '../shared/common-standards.js'
import type { Command } from '../shared/decider.js'
import type { AgencyKind } from '../shared/roles.js'
import { calendarDate, localId, text } from '../shared/values.js'

const Version = text(50).describe('the version as the agency names it, e.g. 2026.1')

export const AdoptBasicPolicyInput = z.object({
  version: Version,
  title: text(200),
  summary: text(5000),
  adoptedOn: calendarDate,
  parentPolicyVersion: Version.optional()
    .describe("the parent national organ's adopted basic policy this one follows (required for incorporated administrative agencies and designated corporations)"),
})

export const OwnStandardsItem = z.object({
  itemId: localId.describe("the item's number in the agency's own standards"),
  title: text(300),
  covers: z.array(z.string().trim().min(1).max(20)).min(1).max(100).describe("Common Standards item codes this item covers, e.g. ['2.2.3']"),
})

export const AdoptStandardsInput = z.object({
  version: Version,
  edition: StandardsEdition.describe('the Common Standards edition the mapping refers to'),
  adoptedOn: calendarDate,
  items: z.array(OwnStandardsItem).min(1).max(1000),
}).superRefine((input, ctx) => {
  const seen = new Set<string>()
  input.items.forEach((item, i) => {
    if (seen.has(item.itemId)) ctx.addIssue({ code: 'custom', path: ['items', i, 'itemId'], message: `item ${item.itemId} is listed twice` })
    seen.add(item.itemId)
  })
})

export const policyReviewOutcomes = ['UNCHANGED', 'REVISION_NEEDED'] as const
export const PolicyReviewOutcome = z.enum(policyReviewOutcomes)
export type PolicyReviewOutcome = z.infer<typeof PolicyReviewOutcome>

export const ReviewPolicyInput = z.object({
  outcome: PolicyReviewOutcome,
  notes: text(5000),
})

/** What the application found: the agency's kind and parent, and the parent's adopted basic policy versions. */
export interface PolicyAgencyFacts {
  kind: AgencyKind
  parentId?: string | undefined
  /** Versions of the parent organ's basic policy that were adopted (empty without a parent). */
  parentPolicyVersions: readonly string[]
}

export type AdoptBasicPolicy = Command<'AdoptBasicPolicy', z.output<typeof AdoptBasicPolicyInput> & { agency: PolicyAgencyFacts }>
export type AdoptStandards = Command<'AdoptStandards', z.output<typeof AdoptStandardsInput>>
export type ReviewPolicy = Command<'ReviewPolicy', z.output<typeof ReviewPolicyInput> & { reviewId: string }>
export type PolicyCommand = AdoptBasicPolicy | AdoptStandards | ReviewPolicy

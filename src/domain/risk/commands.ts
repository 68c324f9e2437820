// Risk assessments (Art. 3): a threat, its likelihood and impact, the measures taken, and the date by
// which the assessment is looked at again. The level (likelihood × impact) is derived, never stored.
import { z } from 'zod'
import type { Command } from '../shared/decider.js'
import { calendarDate, text } from '../shared/values.js'

export const riskRatings = ['LOW', 'MEDIUM', 'HIGH'] as const
export const RiskRating = z.enum(riskRatings)
export type RiskRating = z.infer<typeof RiskRating>

const Measures = z.array(text(1000)).max(100).describe('measures taken or planned against the threat')
const Reference = text(100)

export const AssessRiskInput = z.object({
  title: text(200),
  threat: text(2000),
  likelihood: RiskRating,
  impact: RiskRating,
  measures: Measures,
  reviewBy: calendarDate.describe('the date by which the assessment is reviewed again'),
  systemId: Reference.optional().describe('the information system concerned, if any'),
  assetId: Reference.optional().describe('the information asset concerned, if any'),
})

/** A reassessment names what changed and why; anything left out stays as it was. */
export const ReassessRiskInput = z.object({
  reason: text(2000),
  title: text(200).optional(),
  threat: text(2000).optional(),
  likelihood: RiskRating.optional(),
  impact: RiskRating.optional(),
  measures: Measures.optional(),
  reviewBy: calendarDate.optional(),
  systemId: Reference.optional(),
  assetId: Reference.optional(),
}).refine((c) => Object.keys(c).some((k) => k !== 'reason'), 'name at least one thing that changed (likelihood, impact, measures, reviewBy, ...)')

export const RetireRiskInput = z.object({ reason: text(2000) })

export type AssessRisk = Command<'AssessRisk', z.output<typeof AssessRiskInput> & { riskId: string }>
export type ReassessRisk = Command<'ReassessRisk', z.output<typeof ReassessRiskInput> & { riskId: string }>
export type RetireRisk = Command<'RetireRisk', z.output<typeof RetireRiskInput> & { riskId: string }>
export type RiskCommand = AssessRisk | ReassessRisk | RetireRisk

const score: Record<RiskRating, number> = { LOW: 1, MEDIUM: 2, HIGH: 3 }

/**
 * The risk level of a likelihood × impact pair [P]: a product of 1–2 is LOW, 3–4 MEDIUM, 6–9 HIGH
 * (so LOW × HIGH is MEDIUM and MEDIUM × HIGH is HIGH).
 */
export function riskLevel(likelihood: RiskRating, impact: RiskRating): RiskRating {
  const product = score[likelihood] * score[impact]
  return product >= 6 ? 'HIGH' : product >= 3 ? 'MEDIUM' : 'LOW'
}

/** Every likelihood × impact pair with the given level: lets a read model filter by a level it does not store. */
export function pairsOfLevel(level: RiskRating): [RiskRating, RiskRating][] {
  return riskRatings.flatMap((l) => riskRatings.filter((i) => riskLevel(l, i) === level).map((i): [RiskRating, RiskRating] => [l, i]))
}

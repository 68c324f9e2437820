// Pure: whether an exception, folded from its stream, permits a lifecycle step at an instant. The
// application asks this of each candidate the read model suggests (src/application/exception-coverage.ts).
import type { ExceptionState } from './state.js'
import { ms } from './state.js'

export interface CoveredStep {
  /** Who takes the step: an exception permits its applicant's action, nobody else's. */
  actorId: string
  assetIds: readonly string[]
  unitId?: string | undefined
  step: string
  rule: string
  at: string
}

/**
 * Approved and neither revoked nor closed, taken by its applicant, the permitted period [from, to]
 * contains `at` (and `at` is not after a reported end), the permission names the rule and its step, and
 * covers an asset or the unit.
 */
export function exceptionCovers(state: ExceptionState, q: CoveredStep): boolean {
  const p = state.permit
  if (p === undefined || !(state.status === 'APPROVED' || state.status === 'OVERDUE' || state.status === 'END_REPORTED')) return false
  if (state.applicantId !== q.actorId) return false
  const at = ms(q.at)
  if (Number.isNaN(at) || at < ms(p.from) || at > ms(p.to)) return false
  if (state.endedAt !== undefined && at > ms(state.endedAt)) return false
  if (!p.rules.includes(q.rule) || !p.steps.includes(q.step)) return false
  return q.assetIds.some((a) => p.assetIds.includes(a)) || (q.unitId !== undefined && p.unitId === q.unitId)
}

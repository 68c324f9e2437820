// Whether an approved exceptional action (Art. 7) covers a lifecycle step that a rule would refuse.
// Candidates come from the exception ledger read model (fast, may lag) plus the exceptions changed in the
// log after its checkpoint (what it has not applied yet); each is confirmed by folding its stream from the
// log. So a revocation the read model has not applied yet covers nothing, and an approval it has not
// applied yet still covers: the answer is as current as the log.
import { exceptionCovers, exceptionDecider, exceptionStreamId, type ExceptionEvent } from '../domain/exception/index.js'
import type { LifecycleRuleCode, LifecycleStep } from '../domain/shared/lifecycle.js'
import { toDomainEvent } from '../eventstore/handle-command.js'
import { coverageCandidates, exceptionsAfter, exceptionsCheckpoint } from '../projections/exception-queries.js'
import type { Services } from './command-runner.js'

export interface CoverageQuery {
  agencyId: string
  /** Who takes the step: only the exception's applicant is permitted by it. */
  actorId: string
  assetIds: readonly string[] // the asset, and for a copy also its source assets
  unitId?: string | undefined // the asset's owner unit (an exception may be scoped to a unit's assets)
  step: LifecycleStep
  rule: LifecycleRuleCode
  at: string // ISO instant the step happens (command metadata.now or a stated time)
}

/** The id of an exception that is APPROVED, not revoked/closed, whose period contains `at` and whose
 *  permission names this rule and step and covers the asset (or its unit); undefined when none.
 *  Consistent: candidates may come from a read model, but each is confirmed by folding its stream. */
export async function coveringException(services: Services, q: CoverageQuery): Promise<string | undefined> {
  if (Number.isNaN(Date.parse(q.at))) return undefined
  // In this order: the checkpoint, then the table (at or past it), then the log after it, so an approval
  // the projection applies meanwhile is in one of the two lists.
  const checkpoint = await exceptionsCheckpoint(services.pool, q.agencyId)
  const projected = await coverageCandidates(services.pool, q)
  const recent = await exceptionsAfter(services.pool, q.agencyId, checkpoint)
  const candidates = [...new Set([...projected, ...recent])]
  if (candidates.length === 0) return undefined
  const streams = await services.store.readStreams(q.agencyId, candidates.map(exceptionStreamId))
  return candidates.find((id) => {
    const events = streams.get(exceptionStreamId(id))?.events ?? []
    const state = events.map((e) => toDomainEvent<ExceptionEvent>(e)).reduce(exceptionDecider.evolve, exceptionDecider.initialState())
    return exceptionCovers(state, q)
  })
}

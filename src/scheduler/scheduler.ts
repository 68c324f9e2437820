// Time-driven rules (architecture.md): a loop under a lease that appends events when time has moved on.
// Rules: an approved exception (Art. 7) whose permitted period ended without an end report becomes
// overdue (ExceptionBecameOverdue); webhook delivery ids older than their retention are forgotten; outbound
// webhook deliveries DELIVERED or FAILED more than 90 days ago are deleted; each agency's compliance duties (Art. 3–18)
// are reconciled (DutyBecameOverdue, DutyDischarged). Candidates come from the read models; the decider,
// folding the stream, decides again, so a repeated or concurrent pass appends nothing twice.
import { randomUUID } from 'node:crypto'
import type { Services } from '../application/command-runner.js'
import type { Principal, RequestContext } from '../application/context.js'
import { reconcileDuties } from '../application/duties.js'
import { markOverdue } from '../application/exceptions.js'
import { pruneReceipts } from '../application/webhook-receipts.js'
import { pruneDeliveries } from '../outbound/delivery-store.js'
import { acquireLease, releaseLease } from '../projections/batch.js'
import { registeredAgencyIds } from '../projections/duty-queries.js'
import { sealDigests } from '../audit-trail/digests.js'
import type { Signer } from '../audit-trail/signing.js'
import { overdueCandidates } from '../projections/exception-queries.js'
import type { MinimalLogger } from '../projections/types.js'

export interface SchedulerOptions {
  services: Services
  logger: MinimalLogger
  /** Time between passes (ms); default 60 s. */
  intervalMs?: number | undefined
  /** This instance's name in the lease table; default `scheduler-<uuid>`. */
  owner?: string | undefined
  /** How long a taken lease lasts (ms); default three intervals, so the holder renews it well before it lapses. */
  leaseMs?: number | undefined
  /** Most candidates handled in one pass; default 500 (the rest wait for the next pass). */
  batchSize?: number | undefined
  /** Signs audit digests; without one the pass seals none (src/audit-trail/digests.ts). */
  signer?: Signer | undefined
  /** An agency's new events are sealed into a digest at most this often (ms); default one hour (AUDIT_DIGEST_INTERVAL_MS). */
  digestIntervalMs?: number | undefined
}

export interface TickResult {
  /** Candidates the read model named. */
  checked: number
  /** Exceptions that became overdue in this pass. */
  overdue: { agencyId: string; exceptionId: string }[]
  /** Candidates whose command failed (logged; retried next pass). */
  failed: number
  /** Webhook delivery ids forgotten after their retention (webhook-receipts.ts). */
  receiptsPruned: number
  /** Outbound webhook deliveries (DELIVERED or FAILED) deleted after their retention (src/outbound/delivery-store.ts). */
  deliveriesPruned: number
  /** Audit digests sealed (src/audit-trail/digests.ts). */
  digestsSealed: number
  /** Compliance duties that became overdue in this pass, over all agencies (src/application/duties.ts). */
  dutiesOverdue: number
  /** Compliance duties discharged in this pass (done late, or no longer required). */
  dutiesDischarged: number
}

/** The lease key in projection_leases: one scheduler runs passes at a time across all instances. */
export const SCHEDULER_LEASE = 'scheduler'

export class Scheduler {
  readonly owner: string
  private readonly intervalMs: number
  private readonly leaseMs: number
  private readonly batchSize: number
  private running = false
  private loop: Promise<void> | undefined
  private wakeUp: (() => void) | undefined

  constructor(private readonly options: SchedulerOptions) {
    this.owner = options.owner ?? `scheduler-${randomUUID()}`
    this.intervalMs = options.intervalMs ?? 60_000
    this.leaseMs = options.leaseMs ?? this.intervalMs * 3
    this.batchSize = options.batchSize ?? 500
  }

  /** One pass at the clock's now, without the lease (tests, or a caller that holds it). */
  async tick(): Promise<TickResult> {
    const { services, logger } = this.options
    const now = services.clock.now().toISOString()
    const candidates = await overdueCandidates(services.pool, now, this.batchSize)
    const ctx: RequestContext = { correlationId: randomUUID(), causationId: `scheduler:${now}`, source: 'scheduler' }
    const result: TickResult = { checked: candidates.length, overdue: [], failed: 0, receiptsPruned: 0, deliveriesPruned: 0, digestsSealed: 0, dutiesOverdue: 0, dutiesDischarged: 0 }
    for (const c of candidates) {
      const principal: Principal = { agencyId: c.agencyId, actorId: 'scheduler', roles: [], tokenId: 'scheduler', system: true }
      try {
        const outcome = await markOverdue(services, principal, ctx, c.exceptionId)
        if (outcome.appended > 0) result.overdue.push(c)
      } catch (err) {
        result.failed++
        logger.error({ err, agencyId: c.agencyId, exceptionId: c.exceptionId }, 'scheduler: marking an exception overdue failed')
      }
    }
    try {
      result.receiptsPruned = await pruneReceipts(services.pool, services.clock.now())
    } catch (err) {
      logger.error({ err }, 'scheduler: pruning webhook delivery ids failed')
    }
    try {
      result.deliveriesPruned = await pruneDeliveries(services.pool, services.clock.now())
    } catch (err) {
      logger.error({ err }, 'scheduler: deleting old outbound webhook deliveries failed')
    }
    try {
      await this.reconcileDuties(result, new Date(now), ctx)
    } catch (err) {
      logger.error({ err }, 'scheduler: listing the agencies for their compliance duties failed')
    }
    try {
      if (this.options.signer) {
        const onError = (agencyId: string, err: unknown) => logger.error({ err, agencyId }, "scheduler: sealing an agency's audit digests failed; npm run admin -- verify database says where")
        result.digestsSealed = (await sealDigests(services.pool, this.options.signer, services.clock.now(), { intervalMs: this.options.digestIntervalMs, onError })).length
      }
    } catch (err) {
      logger.error({ err }, 'scheduler: sealing audit digests failed')
    }
    if (result.overdue.length > 0 || result.failed > 0 || result.dutiesOverdue > 0 || result.dutiesDischarged > 0) logger.info({ ...result, overdue: result.overdue.length }, 'scheduler pass')
    return result
  }

  /** Each agency's time-driven duties at `now`; an agency that fails is logged and judged again next pass. */
  private async reconcileDuties(result: TickResult, now: Date, ctx: RequestContext): Promise<void> {
    const { services, logger } = this.options
    for (const agencyId of await registeredAgencyIds(services.pool)) {
      try {
        const outcome = await reconcileDuties(services, agencyId, now, ctx)
        if (!outcome.judged) logger.debug({ agencyId }, 'scheduler: compliance duties wait for the read models to catch up')
        result.dutiesOverdue += outcome.overdue
        result.dutiesDischarged += outcome.discharged
      } catch (err) {
        logger.error({ err, agencyId }, "scheduler: reconciling an agency's compliance duties failed")
      }
    }
  }

  /** One pass if this instance holds (or takes) the lease; undefined when another instance holds it. */
  async leasedTick(): Promise<TickResult | undefined> {
    const token = await acquireLease(this.options.services.pool, SCHEDULER_LEASE, this.owner, this.leaseMs)
    if (token === undefined) return undefined
    return this.tick()
  }

  /** Passes every intervalMs (the first at once) until stop(). */
  start(): void {
    if (this.running) return
    this.running = true
    this.loop = this.run()
  }

  /** Waits for the pass in flight, then lets the lease go so another instance takes over at once. */
  async stop(): Promise<void> {
    if (!this.running) return
    this.running = false
    this.wakeUp?.()
    await this.loop
    this.loop = undefined
    await releaseLease(this.options.services.pool, SCHEDULER_LEASE, this.owner).catch((err: unknown) =>
      this.options.logger.warn({ err }, 'scheduler: releasing the lease failed; it lapses on its own'))
  }

  get isRunning(): boolean {
    return this.running
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.leasedTick()
      } catch (err) {
        this.options.logger.error({ err }, 'scheduler pass failed; retrying at the next interval')
      }
      if (!this.running) break
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.intervalMs)
        this.wakeUp = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.wakeUp = undefined
    }
  }
}

// Sends the outbox's deliveries (Standard Webhooks): a loop under a lease that claims due PENDING rows,
// checks the URL against the SSRF rule, signs with every live secret of the subscription, POSTs, and
// records the attempt: 2xx delivered, 410 failed for good, anything else retried on the Svix schedule.
// All times come from the injected clock; nothing logged carries a secret or a payload.
import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import type { Clock } from '../application/context.js'
import type { SecretBox } from '../application/secret-box.js'
import { openWebhookSecrets } from '../application/webhook-subscriptions.js'
import { standardWebhookSignature } from '../http/webhook-auth.js'
import { acquireLease, releaseLease } from '../projections/batch.js'
import type { MinimalLogger } from '../projections/types.js'
import { claimDue, recordAttempt, type AttemptRecord, type ClaimedDelivery } from './delivery-store.js'
import { describeSendError, dnsLookupAll, fetchSend, refusalOf, type Lookup, type Send } from './send.js'

/** Waits after the 1st, 2nd, … failure (Standard Webhooks / Svix); after the last one the delivery is FAILED. */
export const RETRY_SCHEDULE_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000, 10 * 3_600_000] as const
/** The lease key in projection_leases: one instance runs passes at a time (claims keep it safe if two do). */
export const DISPATCHER_LEASE = 'webhook-dispatcher'
export const USER_AGENT = 'cs-record-webhooks/0.1'

export interface DispatcherOptions {
  pool: pg.Pool
  box: SecretBox
  clock: Clock
  logger: MinimalLogger
  /** WEBHOOK_ALLOW_INSECURE_URLS: http: and internal addresses (development and tests only). */
  allowInsecureUrls?: boolean | undefined
  send?: Send | undefined
  lookup?: Lookup | undefined
  /** Extra wait added to a retry delay (ms); default up to 10 % of it at random. Tests pass `() => 0`. */
  jitter?: ((delayMs: number) => number) | undefined
  /** Fallback poll (ms); default 1000. wake() starts a pass at once. */
  intervalMs?: number | undefined
  owner?: string | undefined
  leaseMs?: number | undefined
  /** Deliveries claimed per pass (default 20), and sent in parallel (default 4). */
  batchSize?: number | undefined
  concurrency?: number | undefined
  /** Per request (default 10 s). */
  timeoutMs?: number | undefined
  /** How long a claimed row stays out of other passes (default 2 min): longer than a pass takes. */
  claimMs?: number | undefined
}

export interface PassResult {
  claimed: number
  delivered: number
  /** Failed attempts with another one scheduled. */
  retrying: number
  /** Given up: 410, the schedule exhausted, or the subscription disabled. */
  failed: number
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T
      await fn(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

export class WebhookDispatcher {
  readonly owner: string
  private readonly o: Required<Pick<DispatcherOptions, 'send' | 'lookup' | 'jitter' | 'intervalMs' | 'leaseMs' | 'batchSize' | 'concurrency' | 'timeoutMs' | 'claimMs'>> & { allowInsecure: boolean }
  private running = false
  private woken = false
  private loop: Promise<void> | undefined
  private wakeUp: (() => void) | undefined

  constructor(private readonly options: DispatcherOptions) {
    this.owner = options.owner ?? `webhook-dispatcher-${randomUUID()}`
    const intervalMs = options.intervalMs ?? 1_000
    this.o = {
      send: options.send ?? fetchSend, lookup: options.lookup ?? dnsLookupAll, jitter: options.jitter ?? ((ms) => Math.floor(Math.random() * ms * 0.1)),
      intervalMs, leaseMs: options.leaseMs ?? Math.max(30_000, intervalMs * 3), batchSize: options.batchSize ?? 20, concurrency: options.concurrency ?? 4,
      timeoutMs: options.timeoutMs ?? 10_000, claimMs: options.claimMs ?? 120_000, allowInsecure: options.allowInsecureUrls ?? false,
    }
  }

  /** One pass if this instance holds (or takes) the lease; undefined when another instance holds it. */
  async pass(): Promise<PassResult | undefined> {
    const token = await acquireLease(this.options.pool, DISPATCHER_LEASE, this.owner, this.o.leaseMs)
    if (token === undefined) return undefined
    const now = this.options.clock.now()
    const claimed = await claimDue(this.options.pool, now, new Date(now.getTime() + this.o.claimMs), this.o.batchSize)
    const result: PassResult = { claimed: claimed.length, delivered: 0, retrying: 0, failed: 0 }
    await eachLimited(claimed, this.o.concurrency, async (d) => {
      try {
        const record = await this.attempt(d)
        await recordAttempt(this.options.pool, d, record)
        if (record.status === 'DELIVERED') result.delivered++
        else if (record.status === 'FAILED') result.failed++
        else result.retrying++
      } catch (err) {
        // The row stays claimed and is tried again once the claim lapses.
        this.options.logger.error({ err, agencyId: d.agencyId, deliveryId: d.deliveryId }, 'webhook dispatcher: recording an attempt failed')
      }
    })
    return result
  }

  /** Sends one delivery (unless its URL is refused) and says what to record. */
  private async attempt(d: ClaimedDelivery): Promise<AttemptRecord> {
    if (d.disabled || d.url === undefined) {
      return { status: 'FAILED', failures: d.failures, nextAttemptAt: null, lastError: 'subscription disabled: not sent', deliveredAt: null }
    }
    const at = this.options.clock.now()
    const started = performance.now()
    const failed = (error: string, statusCode: number | null = null, final = false) =>
      this.failure(d, at, { at: at.toISOString(), statusCode, ms: Math.round(performance.now() - started), error }, final)
    const refused = await refusalOf(d.url, this.o.allowInsecure, this.o.lookup)
    if (refused !== undefined) return failed(refused)
    let secrets: string[]
    try {
      secrets = await openWebhookSecrets(this.options, this.options.box, d.agencyId, d.subscriptionId, d.liveSecretIds)
    } catch {
      return failed('the signing secrets cannot be opened (was SECRETS_KEY changed?)')
    }
    if (secrets.length === 0) return failed('the subscription has no live signing secret')
    const body = Buffer.from(JSON.stringify(d.payload))
    const timestamp = Math.floor(at.getTime() / 1000)
    const headers = {
      'content-type': 'application/json', 'user-agent': USER_AGENT, 'webhook-id': d.deliveryId, 'webhook-timestamp': String(timestamp),
      'webhook-signature': secrets.map((secret) => standardWebhookSignature(secret, d.deliveryId, timestamp, body)).join(' '),
    }
    let status: number
    try {
      status = (await this.o.send({ url: d.url, headers, body, timeoutMs: this.o.timeoutMs })).status
    } catch (err) {
      return failed(describeSendError(err, this.o.timeoutMs))
    }
    if (status >= 200 && status < 300) {
      const attempt = { at: at.toISOString(), statusCode: status, ms: Math.round(performance.now() - started), error: null }
      this.options.logger.debug({ agencyId: d.agencyId, deliveryId: d.deliveryId, subscriptionId: d.subscriptionId, statusCode: status }, 'webhook delivered')
      return { status: 'DELIVERED', failures: d.failures, nextAttemptAt: null, attempt, lastError: null, deliveredAt: at }
    }
    if (status === 410) return failed('HTTP 410: the receiver is gone, not retried (fix the receiver and retry, or disable the subscription)', status, true)
    return failed(status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed` : `HTTP ${status}`, status)
  }

  /** A failed attempt: the next one after the schedule's wait, or FAILED when `final` or once the schedule is exhausted. */
  private failure(d: ClaimedDelivery, at: Date, attempt: { at: string; statusCode: number | null; ms: number; error: string }, final: boolean): AttemptRecord {
    const failures = d.failures + 1
    const wait = final ? undefined : RETRY_SCHEDULE_MS[failures - 1]
    const log = { agencyId: d.agencyId, deliveryId: d.deliveryId, subscriptionId: d.subscriptionId, statusCode: attempt.statusCode, error: attempt.error, failures }
    if (wait === undefined) {
      this.options.logger.warn(log, 'webhook delivery failed for good')
      const lastError = final ? attempt.error : `${attempt.error} (gave up after ${failures} failed attempts)`
      return { status: 'FAILED', failures, nextAttemptAt: null, attempt, lastError, deliveredAt: null }
    }
    this.options.logger.warn(log, 'webhook delivery failed; retry scheduled')
    return { status: 'PENDING', failures, nextAttemptAt: new Date(at.getTime() + wait + Math.max(0, this.o.jitter(wait))), attempt, lastError: attempt.error, deliveredAt: null }
  }

  /** Passes every intervalMs (the first at once), and at once after wake(), until stop(). */
  start(): void {
    if (this.running) return
    this.running = true
    this.loop = this.run()
  }

  /** New work is due (the outbox advanced): run a pass now rather than at the next poll. */
  wake(): void {
    this.woken = true
    this.wakeUp?.()
  }

  /** Waits for the pass in flight, then lets the lease go so another instance takes over at once. */
  async stop(): Promise<void> {
    if (!this.running) return
    this.running = false
    this.wakeUp?.()
    await this.loop
    this.loop = undefined
    await releaseLease(this.options.pool, DISPATCHER_LEASE, this.owner).catch((err: unknown) =>
      this.options.logger.warn({ err }, 'webhook dispatcher: releasing the lease failed; it lapses on its own'))
  }

  get isRunning(): boolean {
    return this.running
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.woken = false
      try {
        const result = await this.pass()
        if (result && result.claimed >= this.o.batchSize) this.woken = true // more is due: go on at once
      } catch (err) {
        this.options.logger.error({ err }, 'webhook dispatcher pass failed; retrying at the next interval')
      }
      if (!this.running) break
      if (this.woken) continue
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.o.intervalMs)
        this.wakeUp = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.wakeUp = undefined
    }
  }
}

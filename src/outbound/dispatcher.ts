// Sends the outbox's deliveries (Standard Webhooks): a loop under a lease that claims due PENDING rows one
// at a time, right before sending each (fairly across agencies, one at a time per subscription), resolves the
// URL's name once and checks every address against the SSRF rule, signs with every live secret of the
// subscription, POSTs to exactly the checked addresses, and records the attempt while it still holds the
// claim: 2xx delivered, 410 failed for good, anything else retried on the Svix schedule.
// All times come from the injected clock; nothing logged carries a secret or a payload.
import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import type { Clock } from '../application/context.js'
import type { SecretBox } from '../application/secret-box.js'
import { openWebhookSecrets } from '../application/webhook-subscriptions.js'
import { standardWebhookSignature } from '../siem/webhook-auth.js'
import { acquireLease, releaseLease } from '../projections/batch.js'
import type { MinimalLogger } from '../projections/types.js'
import { claimNext, recordAttempt, type AttemptRecord, type ClaimedDelivery } from './delivery-store.js'
import { describeSendError, DNS_TIMEOUT_MS, dnsLookupAll, pinnedSend, resolveTarget, type Lookup, type Send } from './send.js'

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
  /** Sends to the checked addresses it is given (default pinnedSend: node:http(s), never resolving again). */
  send?: Send | undefined
  /** Resolves a URL's name once per attempt (default the system resolver), bounded by `dnsTimeoutMs`. */
  lookup?: Lookup | undefined
  /** Extra wait added to a retry delay (ms); default up to 10 % of it at random. Tests pass `() => 0`. */
  jitter?: ((delayMs: number) => number) | undefined
  /** Fallback poll (ms); default 1000. wake() starts a pass at once. */
  intervalMs?: number | undefined
  owner?: string | undefined
  leaseMs?: number | undefined
  /** Deliveries sent at once (default 4). */
  concurrency?: number | undefined
  /** Deliveries of one agency sent at once, at most (default 2: less than `concurrency`, so others always get a sender). */
  perAgency?: number | undefined
  /** Per request (default 10 s), for the whole request. */
  timeoutMs?: number | undefined
  /** Per name resolution (default 5 s). */
  dnsTimeoutMs?: number | undefined
  /** How long a claimed row stays out of other passes (default 2 min): longer than resolving, sending and recording take. */
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

type Settings = Required<Pick<DispatcherOptions, 'send' | 'lookup' | 'jitter' | 'intervalMs' | 'leaseMs' | 'concurrency' | 'perAgency' | 'timeoutMs' | 'dnsTimeoutMs' | 'claimMs'>> & { allowInsecure: boolean }

export class WebhookDispatcher {
  readonly owner: string
  private readonly o: Settings
  private running = false
  private stopping = false
  private woken = false
  /** Counts wake() calls, so a pass that found nothing notices one made while it was looking. */
  private wakes = 0
  private loop: Promise<void> | undefined
  /** Resolved by wake() and stop(): a loop or pass waiting for work looks again. */
  private readonly waiters = new Set<() => void>()

  constructor(private readonly options: DispatcherOptions) {
    this.owner = options.owner ?? `webhook-dispatcher-${randomUUID()}`
    const intervalMs = options.intervalMs ?? 1_000
    const timeoutMs = options.timeoutMs ?? 10_000
    const dnsTimeoutMs = options.dnsTimeoutMs ?? DNS_TIMEOUT_MS
    this.o = {
      send: options.send ?? pinnedSend, lookup: options.lookup ?? dnsLookupAll, jitter: options.jitter ?? ((ms) => Math.floor(Math.random() * ms * 0.1)),
      intervalMs, leaseMs: options.leaseMs ?? Math.max(30_000, intervalMs * 3), concurrency: options.concurrency ?? 4, perAgency: options.perAgency ?? 2,
      timeoutMs, dnsTimeoutMs, claimMs: options.claimMs ?? 120_000, allowInsecure: options.allowInsecureUrls ?? false,
    }
    if (this.o.claimMs <= timeoutMs + dnsTimeoutMs) throw new Error(`claimMs (${this.o.claimMs}) must exceed timeoutMs + dnsTimeoutMs (${timeoutMs + dnsTimeoutMs})`)
  }

  /**
   * One pass if this instance holds (or takes) the lease; undefined when another instance holds it. Claims
   * and sends until nothing more is claimable and nothing is in flight: up to `concurrency` at once, each
   * claimed right before it is sent, a freed sender claiming the next at once (so a slow receiver holds one
   * sender, never the others). The lease is renewed as the pass goes; once lost, nothing more is claimed.
   */
  async pass(): Promise<PassResult | undefined> {
    const { pool, clock, logger } = this.options
    if ((await acquireLease(pool, DISPATCHER_LEASE, this.owner, this.o.leaseMs)) === undefined) return undefined
    let renewedAt = performance.now()
    const result: PassResult = { claimed: 0, delivered: 0, retrying: 0, failed: 0 }
    const inFlight = new Set<Promise<void>>()
    let finished = 0
    try {
      while (!this.stopping) {
        if (inFlight.size < this.o.concurrency) {
          if (performance.now() - renewedAt > this.o.leaseMs / 3) {
            if ((await acquireLease(pool, DISPATCHER_LEASE, this.owner, this.o.leaseMs)) === undefined) {
              logger.warn({ owner: this.owner }, 'webhook dispatcher: the lease passed to another instance; this pass claims nothing more')
              break
            }
            renewedAt = performance.now()
          }
          const now = clock.now()
          const seen = this.wakes + finished
          const d = await claimNext(pool, { now, claimUntil: new Date(now.getTime() + this.o.claimMs), token: randomUUID(), perAgency: this.o.perAgency })
          if (d) {
            result.claimed++
            const sending: Promise<void> = this.deliver(d, result).finally(() => {
              finished++
              inFlight.delete(sending)
            })
            inFlight.add(sending)
            continue
          }
          // Work announced, or a send finished (freeing its subscription and agency), while looking: look again.
          if (this.wakes + finished !== seen) continue
        }
        if (inFlight.size === 0) break
        // A sender frees up, new work is announced, or time passes (retries fall due): look again.
        await this.waitFor([...inFlight], this.o.intervalMs)
      }
    } finally {
      // Whatever happened (a claim failing with the database), the sends under way finish and record.
      await Promise.all(inFlight)
    }
    return result
  }

  /** Sends one claimed delivery and records what happened; never throws. */
  private async deliver(d: ClaimedDelivery, result: PassResult): Promise<void> {
    const log = { agencyId: d.agencyId, deliveryId: d.deliveryId, subscriptionId: d.subscriptionId }
    try {
      const record = await this.attempt(d)
      if (record === undefined) {
        this.options.logger.warn(log, 'webhook dispatcher: the claim lapsed before sending; left to the next claim')
        return
      }
      if (!(await recordAttempt(this.options.pool, d, record))) {
        // The claim lapsed and another pass took the row over: its record stands, this one is dropped.
        this.options.logger.warn({ ...log, status: record.status }, 'webhook dispatcher: the claim was lost; this attempt is not recorded')
        return
      }
      if (record.status === 'DELIVERED') result.delivered++
      else if (record.status === 'FAILED') result.failed++
      else result.retrying++
    } catch (err) {
      // The row stays claimed and is tried again once the claim lapses.
      this.options.logger.error({ err, ...log }, 'webhook dispatcher: recording an attempt failed')
    }
  }

  private async waitFor(others: readonly Promise<unknown>[], ms: number): Promise<void> {
    let done: () => void = () => undefined
    const signal = new Promise<void>((resolve) => {
      done = resolve
    })
    const timer = setTimeout(done, ms)
    this.waiters.add(done)
    try {
      await Promise.race([...others, signal])
    } finally {
      clearTimeout(timer)
      this.waiters.delete(done)
    }
  }

  private signal(): void {
    for (const waiter of [...this.waiters]) waiter()
  }

  /**
   * Sends one delivery (unless its URL is refused) and says what to record; undefined when the claim lapsed
   * before the request could start (another pass may hold the row by now: it is not sent twice from here).
   */
  private async attempt(d: ClaimedDelivery): Promise<AttemptRecord | undefined> {
    if (d.disabled || d.url === undefined) {
      return { status: 'FAILED', failures: d.failures, nextAttemptAt: null, lastError: 'subscription disabled: not sent', deliveredAt: null }
    }
    const at = this.options.clock.now()
    const started = performance.now()
    const failed = (error: string, statusCode: number | null = null, final = false) =>
      this.failure(d, at, { at: at.toISOString(), statusCode, ms: Math.round(performance.now() - started), error }, final)
    // The name is resolved once; the request goes to exactly these checked addresses (no second lookup to rebind).
    const target = await resolveTarget(d.url, this.o.allowInsecure, this.o.lookup, this.o.dnsTimeoutMs)
    if (target.refusal !== undefined) return failed(target.refusal)
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
    if (this.options.clock.now().getTime() >= d.claimUntil.getTime()) return undefined
    let status: number
    try {
      status = (await this.o.send({ url: d.url, headers, body, timeoutMs: this.o.timeoutMs, addresses: target.addresses })).status
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
    this.stopping = false
    this.loop = this.run()
  }

  /** New work is due (the outbox advanced): claim now rather than at the next poll. */
  wake(): void {
    this.woken = true
    this.wakes++
    this.signal()
  }

  /** Claims nothing more, waits for the deliveries in flight, then lets the lease go so another instance takes over at once. */
  async stop(): Promise<void> {
    if (!this.running) return
    this.running = false
    this.stopping = true
    this.signal()
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
        await this.pass()
      } catch (err) {
        this.options.logger.error({ err }, 'webhook dispatcher pass failed; retrying at the next interval')
      }
      if (!this.running) break
      if (this.woken) continue
      await this.waitFor([], this.o.intervalMs)
    }
  }
}

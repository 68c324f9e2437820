// Runs every projection in a loop: acquire its lease, apply batches until caught up, then sleep until
// woken (an append in this process, a NOTIFY from another) or the fallback poll. Also answers
// read-your-writes waits.
import { EventEmitter } from 'node:events'
import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { acquireLease, LeaseLostError, ProjectionHandlerError, runBatch, type BatchResult, type BatchTarget } from './batch.js'
import type { Prefetch } from './prefetch.js'
import { identityTables, type MinimalLogger, type Projection } from './types.js'

export interface RunnerOptions {
  pool: pg.Pool
  projections: readonly Projection[]
  logger: MinimalLogger
  batchSize?: number
  pollMs?: number
  leaseMs?: number
  owner?: string
}

export interface ProjectionStatus {
  name: string
  leased: boolean
  lastError?: string | undefined
  applied: number
  /** Events recorded in projection_failures and passed over by this process. */
  skipped: number
}

/** An agency whose events made the handler fail: the window size being tried, and the event failing alone. */
interface Suspect {
  size: number
  position?: number | undefined
  failuresAt: number
}

const EMPTY_RESULT: BatchResult = { applied: 0, advanced: 0, checkpoints: new Map() }
/** A process stops skipping after this many events: so many failures are a bug to fix, not bad events. */
const MAX_SKIPS = 10

export class ProjectionRunner {
  readonly owner: string
  /** Events per batch (all agencies together); default 10,000. */
  readonly batchSize: number
  /** Fallback poll when nothing wakes the runner; default 500 ms. */
  readonly pollMs: number
  private readonly leaseMs: number
  private running = false
  private loops: Promise<void>[] = []
  private readonly wakers = new Set<() => void>()
  /** Set by wake(): a sleep that starts after a wake-up returns at once, so no wake-up is lost. */
  private readonly woken = new Map<string, boolean>()
  private readonly progress = new EventEmitter()
  private readonly statuses = new Map<string, ProjectionStatus>()
  /** Latest checkpoint this process committed, per projection and agency. */
  private readonly known = new Map<string, number>()

  constructor(private readonly options: RunnerOptions) {
    this.owner = options.owner ?? `runner-${randomUUID()}`
    this.batchSize = options.batchSize ?? 10_000
    this.pollMs = options.pollMs ?? 500
    this.leaseMs = options.leaseMs ?? 15_000
    this.progress.setMaxListeners(0)
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.loops = this.options.projections.map((p) => this.loop(p))
  }

  /** Stops after the batches in flight commit; leases are left to expire (or to be taken at once by us). */
  async stop(): Promise<void> {
    this.running = false
    this.wake()
    await Promise.all(this.loops)
    this.loops = []
  }

  get isRunning(): boolean {
    return this.running
  }

  /** Called in this process after each committed batch that moved an agency's checkpoint. */
  onApplied(listener: (projection: string, agencyId: string, position: number) => void): () => void {
    const wrapped = (p: string, a: string, n: number) => listener(p, a, n)
    this.progress.on('applied', wrapped)
    return () => this.progress.off('applied', wrapped)
  }

  wake(): void {
    for (const name of this.woken.keys()) this.woken.set(name, true)
    for (const w of [...this.wakers]) w()
  }

  status(): ProjectionStatus[] {
    return this.options.projections.map((p) => this.statuses.get(p.name) ?? { name: p.name, leased: false, applied: 0, skipped: 0 })
  }

  /**
   * Resolves true once `projection` has applied `agencyId`'s log up to `position`, false on timeout.
   * Works whichever instance runs the projection: it also polls the checkpoint table.
   */
  async waitFor(projection: string, agencyId: string, position: number, timeoutMs: number): Promise<boolean> {
    const key = `${projection}\u0000${agencyId}`
    const reached = () => (this.known.get(key) ?? 0) >= position
    if (reached() || (await this.readCheckpoint(projection, agencyId)) >= position) return true
    return new Promise((resolve) => {
      let done = false
      const finish = (ok: boolean) => {
        if (done) return
        done = true
        clearTimeout(timer)
        clearInterval(poll)
        this.progress.off(key, onProgress)
        resolve(ok)
      }
      const onProgress = () => reached() && finish(true)
      const timer = setTimeout(() => finish(false), timeoutMs)
      const poll = setInterval(() => {
        this.readCheckpoint(projection, agencyId).then((cp) => cp >= position && finish(true), () => undefined)
      }, 50)
      this.progress.on(key, onProgress)
    })
  }

  private async readCheckpoint(projection: string, agencyId: string): Promise<number> {
    const { rows } = await this.options.pool.query<{ position: number }>(
      'SELECT position FROM projection_checkpoints WHERE agency_id = $1 AND projection = $2', [agencyId, projection])
    return rows[0]?.position ?? 0
  }

  private async loop(projection: Projection): Promise<void> {
    const { pool, logger } = this.options
    const tables = identityTables(projection.tables)
    const status: ProjectionStatus = { name: projection.name, leased: false, applied: 0, skipped: 0 }
    this.statuses.set(projection.name, status)
    /** Agencies whose events made the handler fail, narrowed down one agency at a time. */
    const suspects = new Map<string, Suspect>()
    let token: number | undefined
    let turn = 0
    let ahead: Prefetch | undefined
    this.woken.set(projection.name, false)
    while (this.running) {
      try {
        this.woken.set(projection.name, false)
        token ??= await acquireLease(pool, projection.name, this.owner, this.leaseMs)
        status.leased = token !== undefined
        if (token === undefined) {
          suspects.clear() // whoever holds the lease now may have moved past them
          await this.sleep(this.pollMs)
          continue
        }
        const target = { key: projection.name, owner: this.owner, token, leaseMs: this.leaseMs, tables }
        turn++
        // Every other turn goes to a suspect agency; the others never wait for it.
        const suspect = turn % 2 === 0 ? suspects.entries().next().value : undefined
        const prefetched = ahead
        ahead = undefined
        const result = suspect
          ? await this.isolate(projection, target, suspect[0], suspect[1], suspects, status)
          : await runBatch(pool, projection, target, this.batchSize, { exclude: suspects, rotate: turn, prefetched, readAhead: true })
        ahead = result.next
        status.applied += result.applied
        if (!suspect) status.lastError = undefined
        for (const [agency, position] of result.checkpoints) {
          const key = `${projection.name}\u0000${agency}`
          this.known.set(key, position)
          this.progress.emit(key)
          this.progress.emit('applied', projection.name, agency, position)
        }
        if (result.advanced === 0 && suspects.size === 0 && !this.woken.get(projection.name)) await this.sleep(this.pollMs)
      } catch (err) {
        if (err instanceof LeaseLostError || isSerializationFailure(err)) {
          if (err instanceof LeaseLostError) logger.warn({ projection: projection.name }, err.message)
          token = undefined // re-check the lease before going on
          status.leased = false
          suspects.clear()
        } else if (err instanceof ProjectionHandlerError) {
          // The events themselves fail: isolate each agency of the batch, so the others go on at full speed.
          status.lastError = err.message
          logger.error({ err, projection: projection.name, agencies: err.windows.map((w) => w.agency) }, 'projection handler failed; isolating the agencies of the batch')
          for (const w of err.windows) if (!suspects.has(w.agency)) suspects.set(w.agency, { size: Math.max(1, w.to - w.from), failuresAt: 0 })
        } else {
          // An outage (database down, connection lost, a missing grant): wait and retry, never skip.
          status.lastError = err instanceof Error ? err.message : String(err)
          logger.error({ err, projection: projection.name }, 'projection batch failed; retrying')
          await this.sleep(Math.min(this.pollMs * 4, 5_000))
        }
      }
    }
    status.leased = false
  }

  /**
   * One step of narrowing a suspect agency down: apply a window of `size` of its events alone; on a
   * handler failure halve it; when a single event fails 3 times, record and skip exactly that event.
   */
  private async isolate(projection: Projection, target: BatchTarget, agency: string, suspect: Suspect, suspects: Map<string, Suspect>, status: ProjectionStatus): Promise<BatchResult> {
    const { pool, logger } = this.options
    try {
      const result = await runBatch(pool, projection, target, suspect.size, { only: agency })
      // These events are fine; widen again, and release the agency once a full batch passes (or it caught up).
      if (result.advanced === 0 || suspect.size >= this.batchSize) suspects.delete(agency)
      else Object.assign(suspect, { size: Math.min(this.batchSize, suspect.size * 2), failuresAt: 0, position: undefined })
      return result
    } catch (err) {
      if (!(err instanceof ProjectionHandlerError)) throw err
      const window = err.windows[0]
      if (suspect.size > 1 || !window) {
        suspect.size = Math.max(1, Math.floor(suspect.size / 2))
        return EMPTY_RESULT
      }
      const position = window.from + 1
      suspect.failuresAt = suspect.position === position ? suspect.failuresAt + 1 : 1
      suspect.position = position
      if (suspect.failuresAt < 3) return EMPTY_RESULT
      if (status.skipped >= MAX_SKIPS) {
        logger.error({ projection: projection.name, agency, position }, `more than ${MAX_SKIPS} events failed: not skipping any more; fix the handler and rebuild`)
        await this.sleep(Math.min(this.pollMs * 4, 5_000))
        return EMPTY_RESULT
      }
      const skipped = await runBatch(pool, projection, target, 1, { skip: { agencyId: agency, position, error: err.message } })
      if (skipped.advanced > 0) {
        status.skipped++
        logger.error({ projection: projection.name, agency, position, error: err.message }, 'event could not be applied; recorded in projection_failures and skipped')
      }
      Object.assign(suspect, { size: 1, failuresAt: 0, position: undefined })
      return skipped
    }
  }

  /** Sleeps up to ms, or until woken. */
  private sleep(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.wakers.delete(done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.wakers.add(done)
    })
  }
}

function isSerializationFailure(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code
  return code === '40001' || code === '40P01'
}

// Runs every projection in a loop: acquire its lease, apply batches until caught up, then sleep until
// woken (an append in this process, a NOTIFY from another) or the fallback poll. Also answers
// read-your-writes waits.
import { EventEmitter } from 'node:events'
import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { acquireLease, LeaseLostError, ProjectionHandlerError, runBatch } from './batch.js'
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

export class ProjectionRunner {
  readonly owner: string
  private readonly batchSize: number
  private readonly pollMs: number
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
    this.batchSize = options.batchSize ?? 5_000
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
    let token: number | undefined
    let failures = 0
    let failuresAtOne = 0
    let failedAlone: string | undefined
    this.woken.set(projection.name, false)
    while (this.running) {
      try {
        this.woken.set(projection.name, false)
        token ??= await acquireLease(pool, projection.name, this.owner, this.leaseMs)
        status.leased = token !== undefined
        if (token === undefined) {
          await this.sleep(this.pollMs)
          continue
        }
        // After failures the window shrinks to find the failing event; alone, it fails 3 times, then is skipped.
        const size = failures === 0 ? this.batchSize : Math.max(1, Math.floor(this.batchSize / 2 ** failures))
        const skip = size === 1 && failuresAtOne >= 3 && failedAlone ? { agencyId: failedAlone, error: status.lastError ?? 'unknown error' } : undefined
        const result = await runBatch(pool, projection, { key: projection.name, owner: this.owner, token, leaseMs: this.leaseMs, tables }, size, skip)
        if (skip !== undefined) {
          status.skipped += result.advanced > 0 ? 1 : 0
          logger.error({ projection: projection.name, checkpoints: Object.fromEntries(result.checkpoints), error: skip.error }, 'event could not be applied; recorded in projection_failures and skipped')
        }
        status.applied += result.applied
        status.lastError = undefined
        if (failures > 0) failures--
        if (skip !== undefined || failures === 0) failuresAtOne = 0
        for (const [agency, position] of result.checkpoints) {
          const key = `${projection.name}\u0000${agency}`
          this.known.set(key, position)
          this.progress.emit(key)
          this.progress.emit('applied', projection.name, agency, position)
        }
        if (result.advanced === 0 && !this.woken.get(projection.name)) await this.sleep(this.pollMs)
      } catch (err) {
        if (err instanceof LeaseLostError) {
          logger.warn({ projection: projection.name }, err.message)
          token = undefined
          status.leased = false
        } else if (isSerializationFailure(err)) {
          token = undefined // another runner touched our rows: re-check the lease before going on
        } else if (err instanceof ProjectionHandlerError) {
          // The events themselves fail: narrow the window down to the one that does.
          status.lastError = err.message
          logger.error({ err, projection: projection.name }, 'projection handler failed; retrying with a smaller batch')
          if (Math.floor(this.batchSize / 2 ** failures) <= 1) {
            // Alone, the batch is one position of one agency: count failures of that very event only.
            const agency = err.agencies.length === 1 ? err.agencies[0] : undefined
            failuresAtOne = agency !== undefined && agency === failedAlone ? failuresAtOne + 1 : 1
            failedAlone = agency
          } else failures++
          await this.sleep(Math.min(this.pollMs, 1_000))
        } else {
          // An outage (database down, connection lost): wait and retry the same window, never skip.
          status.lastError = err instanceof Error ? err.message : String(err)
          logger.error({ err, projection: projection.name }, 'projection batch failed; retrying')
          await this.sleep(Math.min(this.pollMs * 4, 5_000))
        }
      }
    }
    status.leased = false
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

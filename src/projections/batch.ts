// One batch of one projection, exactly once: in a REPEATABLE READ transaction, renew the lease (the
// fencing token must still be ours), read a window of positions per agency from one snapshot, apply the
// handler, and move the checkpoints with compare-and-set. Any mismatch rolls everything back.
import type pg from 'pg'
import { eventsFor, startPrefetch, type Prefetch } from './prefetch.js'
import type { Projection, TableNames } from './types.js'

export interface BatchTarget {
  /** Checkpoint and lease key: the projection's name, or `<name>__rebuild` while rebuilding. */
  key: string
  owner: string
  token: number
  leaseMs: number
  tables: TableNames
}

export interface BatchResult {
  /** The read-ahead for the next batch, if one was asked for. */
  next?: Prefetch | undefined
  /** Events handed to the projection. */
  applied: number
  /** Positions the checkpoints moved over (handled or not). */
  advanced: number
  checkpoints: Map<string, number>
}

export class LeaseLostError extends Error {
  override name = 'LeaseLostError'
}

/** The handler could not apply these events (a bug or an unstorable value), as opposed to an outage. */
export interface Window {
  agency: string
  from: number
  to: number
  existed: boolean
}

/** The handler could not apply these windows' events (a bug or an unstorable value), as opposed to an outage. */
export class ProjectionHandlerError extends Error {
  override name = 'ProjectionHandlerError'
  constructor(cause: unknown, readonly windows: readonly Window[]) {
    super(cause instanceof Error ? cause.message : String(cause), { cause })
  }
}

/**
 * Errors that depend on the events: bad data (22), a constraint (23), a raised exception (P0001), or a
 * JavaScript error in the handler. Never an outage or a deployment fault (connection, permission, a
 * missing table: class 08, 42, 53, 57...), which must be retried and must never make an event skipped.
 */
function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  if (typeof code === 'string') return /^(22|23|P0001)/.test(code)
  return err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError || err instanceof ReferenceError
}

/** Windows for this batch: each pending agency in scope gets at most an equal share of the budget. */
function chooseWindows(rows: { agency_id: string; head: number; cp: number }[], batchSize: number, scope: BatchScope): Window[] {
  if (scope.skip) {
    const { agencyId, position } = scope.skip
    const row = rows.find((r) => r.agency_id === agencyId && r.cp + 1 === position)
    return row ? [{ agency: row.agency_id, from: row.cp, to: position, existed: row.cp > 0 }] : []
  }
  let inScope = rows.filter((r) => (scope.only === undefined || r.agency_id === scope.only) && !scope.exclude?.has(r.agency_id))
  if (scope.rotate !== undefined && inScope.length > 1) {
    const k = scope.rotate % inScope.length
    inScope = [...inScope.slice(k), ...inScope.slice(0, k)]
  }
  const share = Math.max(1, Math.ceil(batchSize / Math.max(1, inScope.length)))
  const windows: Window[] = []
  let budget = batchSize
  for (const row of inScope) {
    if (budget <= 0) break
    const to = Math.min(row.head, row.cp + Math.min(budget, share))
    windows.push({ agency: row.agency_id, from: row.cp, to, existed: row.cp > 0 })
    budget -= to - row.cp
  }
  return windows
}

/** How a batch picks its windows. */
export interface BatchScope {
  /** Only this agency (isolating a failure). */
  only?: string | undefined
  /** Not these agencies (they are being isolated). */
  exclude?: { has(agency: string): boolean } | undefined
  /** Start the share-out at this pending agency (rotated, so no agency always comes last). */
  rotate?: number | undefined
  /** Apply nothing: record this exact event (agency, position) in projection_failures and pass over it. */
  skip?: { agencyId: string; position: number; error: string } | undefined
  /** Events the previous batch read ahead for this one. */
  prefetched?: Prefetch | undefined
  /** Start reading the next batch's events while this one is applied (result.next). */
  readAhead?: boolean | undefined
}

/** The windows the next batch will most likely take, once this batch's have moved the checkpoints. */
function predictNext(rows: { agency_id: string; head: number; cp: number }[], windows: readonly Window[], batchSize: number, scope: BatchScope): Window[] {
  const moved = new Map(windows.map((w) => [w.agency, w.to]))
  const after = rows.map((r) => ({ ...r, cp: moved.get(r.agency_id) ?? r.cp })).filter((r) => r.head > r.cp)
  return chooseWindows(after, batchSize, { exclude: scope.exclude, rotate: (scope.rotate ?? 0) + 1 })
}

/** Applies the next window of positions of each pending agency in scope, exactly once. */
export async function runBatch(pool: pg.Pool, projection: Projection, target: BatchTarget, batchSize: number, scope: BatchScope = {}): Promise<BatchResult> {
  const client = await pool.connect()
  // A connection killed while checked out must fail this batch, not crash the process.
  const onError = () => undefined
  client.on('error', onError)
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ')
    // 1. Fencing: renew our lease, which also locks its row until commit so no one can take it meanwhile.
    const lease = await client.query(
      `UPDATE projection_leases SET expires_at = now() + make_interval(secs => $4::double precision / 1000)
       WHERE projection = $1 AND owner = $2 AND token = $3`,
      [target.key, target.owner, target.token, target.leaseMs],
    )
    if (lease.rowCount !== 1) throw new LeaseLostError(`lease on ${target.key} was taken over`)

    // 2. Which agencies have events past the checkpoint (heads and events come from the same snapshot,
    //    and a committed head position means every position up to it is committed).
    const pending = await client.query<{ agency_id: string; head: number; cp: number }>(
      `SELECT h.agency_id, h.position AS head, coalesce(c.position, 0) AS cp
       FROM agency_heads h LEFT JOIN projection_checkpoints c ON c.agency_id = h.agency_id AND c.projection = $1
       WHERE h.position > coalesce(c.position, 0)
       ORDER BY h.agency_id`,
      [target.key],
    )
    const windows = chooseWindows(pending.rows, batchSize, scope)
    if (windows.length === 0) {
      await client.query('COMMIT')
      return { applied: 0, advanced: 0, checkpoints: new Map() }
    }

    // 3. The events of those windows that this projection handles (read ahead by the previous batch, if it
    //    could), then start reading the next batch's while this one is applied.
    const events = scope.skip ? [] : await eventsFor(client, projection, windows, scope.prefetched)
    const next = scope.readAhead ? startPrefetch(pool, projection, predictNext(pending.rows, windows, batchSize, scope)) : undefined
    const agencies = windows.map((w) => w.agency)
    const froms = windows.map((w) => w.from)
    const tos = windows.map((w) => w.to)
    if (scope.skip) {
      await client.query(
        `INSERT INTO projection_failures (agency_id, projection, agency_position, error) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [scope.skip.agencyId, target.key, scope.skip.position, scope.skip.error])
    } else if (events.length > 0) {
      try {
        await projection.apply(client, events, target.tables)
      } catch (err) {
        throw isDataError(err) ? new ProjectionHandlerError(err, windows) : err
      }
    }

    // 4. Compare-and-set the checkpoints; a row that moved under us means someone else applied it.
    const moved = await client.query(
      `WITH w AS (SELECT * FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::boolean[]) AS w(agency_id, from_pos, to_pos, existed)),
       upd AS (
         UPDATE projection_checkpoints c SET position = w.to_pos, updated_at = now()
         FROM w WHERE w.existed AND c.agency_id = w.agency_id AND c.projection = $1 AND c.position = w.from_pos
         RETURNING 1),
       ins AS (
         INSERT INTO projection_checkpoints (agency_id, projection, position)
         SELECT w.agency_id, $1, w.to_pos FROM w WHERE NOT w.existed
         ON CONFLICT (agency_id, projection) DO NOTHING
         RETURNING 1)
       SELECT (SELECT count(*) FROM upd) + (SELECT count(*) FROM ins) AS n`,
      [target.key, agencies, froms, tos, windows.map((w) => w.existed)],
    )
    if (Number(moved.rows[0]?.n) !== windows.length) throw new LeaseLostError(`checkpoints of ${target.key} moved concurrently`)
    await client.query('COMMIT')
    return {
      next,
      applied: events.length,
      advanced: windows.reduce((n, w) => n + w.to - w.from, 0),
      checkpoints: new Map(windows.map((w) => [w.agency, w.to])),
    }
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw err
  } finally {
    client.off('error', onError)
    client.release()
  }
}

/** Take the lease if it is free, expired or already ours; returns the fencing token, or undefined. */
export async function acquireLease(pool: pg.Pool, key: string, owner: string, leaseMs: number): Promise<number | undefined> {
  const { rows } = await pool.query<{ token: number }>(
    `INSERT INTO projection_leases AS l (projection, owner, token, expires_at)
     VALUES ($1, $2, 1, now() + make_interval(secs => $3::double precision / 1000))
     ON CONFLICT (projection) DO UPDATE SET owner = excluded.owner, token = l.token + 1, expires_at = excluded.expires_at
     WHERE l.expires_at < now() OR l.owner = excluded.owner
     RETURNING token`,
    [key, owner, leaseMs],
  )
  return rows[0]?.token
}

/** Take the lease whoever holds it (rebuild swap). The old holder's next batch fails its fencing check. */
export async function stealLease(client: pg.Pool | pg.ClientBase, key: string, owner: string, leaseMs: number): Promise<number> {
  const { rows } = await client.query<{ token: number }>(
    `INSERT INTO projection_leases AS l (projection, owner, token, expires_at)
     VALUES ($1, $2, 1, now() + make_interval(secs => $3::double precision / 1000))
     ON CONFLICT (projection) DO UPDATE SET owner = excluded.owner, token = l.token + 1, expires_at = excluded.expires_at
     RETURNING token`,
    [key, owner, leaseMs],
  )
  const token = rows[0]?.token
  if (token === undefined) throw new Error(`could not take lease ${key}`)
  return token
}

export async function releaseLease(pool: pg.Pool, key: string, owner: string): Promise<void> {
  await pool.query(`UPDATE projection_leases SET expires_at = now() - interval '1 second' WHERE projection = $1 AND owner = $2`, [key, owner])
}

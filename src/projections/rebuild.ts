// Rebuild a projection from position 0 while the service keeps serving the old tables:
//   1. create shadow tables (LIKE the live ones) and replay every event into them under a rebuild lease;
//   2. take the live projection's lease (its runner is fenced off), catch up the last events;
//   3. in one transaction swap the tables, move the checkpoints, restore the index names; release.
// Needs the owner connection (DDL).
import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { acquireLease, releaseLease, runBatch, stealLease } from './batch.js'
import type { Prefetch } from './prefetch.js'
import { ident, type Projection, type TableNames } from './types.js'

export interface RebuildProgress {
  phase: 'replay' | 'final' | 'swapped'
  processed: number
  total: number
}

export async function rebuildProjection(
  pool: pg.Pool,
  projection: Projection,
  options: { batchSize?: number; onProgress?: (p: RebuildProgress) => void; leaseMs?: number } = {},
): Promise<{ events: number }> {
  const owner = `rebuild-${randomUUID()}`
  const key = `${projection.name}__rebuild`
  const leaseMs = options.leaseMs ?? 60_000
  const batchSize = options.batchSize ?? 5_000
  const shadow = Object.fromEntries(projection.tables.map((t) => [t, `${t}__rebuild`])) as TableNames

  const token = await acquireLease(pool, key, owner, leaseMs)
  if (token === undefined) throw new Error(`a rebuild of ${projection.name} is already running`)
  try {
    // 1. Fresh shadow tables and a fresh rebuild checkpoint.
    for (const table of projection.tables) {
      await pool.query(`DROP TABLE IF EXISTS ${ident(shadow[table]!)}`)
      await pool.query(`CREATE TABLE ${ident(shadow[table]!)} (LIKE ${ident(table)} INCLUDING ALL)`)
    }
    await pool.query('DELETE FROM projection_checkpoints WHERE projection = $1', [key])
    const { rows } = await pool.query<{ total: number }>('SELECT coalesce(sum(position), 0)::bigint AS total FROM agency_heads')
    let total = rows[0]?.total ?? 0
    let processed = 0
    const replay = async (phase: RebuildProgress['phase'], leaseToken: number) => {
      let ahead: Prefetch | undefined
      for (;;) {
        const r = await runBatch(pool, projection, { key, owner, token: leaseToken, leaseMs, tables: shadow }, batchSize, { prefetched: ahead, readAhead: true })
        ahead = r.next
        if (r.advanced === 0) return
        processed += r.advanced
        total = Math.max(total, processed)
        options.onProgress?.({ phase, processed, total })
      }
    }
    await replay('replay', token)

    // 2. Fence off the live runner, then catch up what arrived during the replay. From here on the live
    //    lease is ours; it is released whatever happens, so a failed rebuild never stalls the service.
    const liveToken = await stealLease(pool, projection.name, owner, leaseMs)
    try {
      await replay('final', token)
      await swap(pool, projection, shadow, key, owner, liveToken)
    } finally {
      await releaseLease(pool, projection.name, owner)
    }
    options.onProgress?.({ phase: 'swapped', processed, total })
    return { events: processed }
  } finally {
    await releaseLease(pool, key, owner)
  }
}

/** 3. Swap the tables and move the checkpoints in one transaction, under the live lease. */
async function swap(pool: pg.Pool, projection: Projection, shadow: TableNames, key: string, owner: string, liveToken: number): Promise<void> {
  // Readers wait briefly on the table locks, then see the new tables.
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const held = await client.query('SELECT 1 FROM projection_leases WHERE projection = $1 AND owner = $2 AND token = $3 FOR UPDATE', [projection.name, owner, liveToken])
    if (held.rowCount !== 1) throw new Error(`lost the lease of ${projection.name} during the rebuild; run it again`)
    const indexNames = new Map<string, string[]>()
    for (const table of projection.tables) {
      indexNames.set(table, await indexesOf(client, table))
      await client.query(`DROP TABLE ${ident(table)}`)
      await client.query(`ALTER TABLE ${ident(shadow[table]!)} RENAME TO ${ident(table)}`)
      await renameIndexes(client, table, indexNames.get(table) ?? [])
    }
    await client.query('DELETE FROM projection_checkpoints WHERE projection = $1', [projection.name])
    await client.query(
      `INSERT INTO projection_checkpoints (agency_id, projection, position) SELECT agency_id, $1, position FROM projection_checkpoints WHERE projection = $2`,
      [projection.name, key])
    await client.query('DELETE FROM projection_checkpoints WHERE projection = $1', [key])
    await client.query('COMMIT')
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw err
  } finally {
    client.release()
  }
}

/** Index definitions of a table, as "name<TAB>definition without name and table". */
async function indexesOf(client: pg.PoolClient, table: string): Promise<string[]> {
  const { rows } = await client.query<{ indexname: string; indexdef: string }>(
    'SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1', [table])
  return rows.map((r) => `${r.indexname}\t${normalizeIndexDef(r.indexdef)}`)
}

function normalizeIndexDef(def: string): string {
  return def.replace(/^CREATE (UNIQUE )?INDEX \S+ ON \S+ /, 'CREATE $1INDEX ON ')
}

/** Give the swapped-in table's indexes (and the constraints they back) the names the migrations chose. */
async function renameIndexes(client: pg.PoolClient, table: string, original: string[]): Promise<void> {
  const wanted = new Map(original.map((line) => {
    const [name, def] = line.split('\t') as [string, string]
    return [def, name]
  }))
  const { rows } = await client.query<{ indexname: string; indexdef: string }>(
    'SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1', [table])
  for (const row of rows) {
    const name = wanted.get(normalizeIndexDef(row.indexdef))
    if (name && name !== row.indexname) await client.query(`ALTER INDEX ${ident(row.indexname)} RENAME TO ${ident(name)}`)
  }
}

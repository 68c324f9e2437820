// The benchmark's database: a fresh, migrated database with a random name on DATABASE_URL's server, or on an
// embedded server in a temporary directory when DATABASE_URL is not set. Always removed afterwards.
import { randomBytes } from 'node:crypto'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { createDb, runtimeRoleAvailable, type Db } from '../src/db/connection.js'
import { startEmbedded, type EmbeddedServer } from '../src/db/embedded.js'
import { migrateToLatest } from '../src/db/migrator.js'
import { progress } from './report.js'

export interface BenchDatabase {
  kind: 'server' | 'embedded'
  url: string
  name: string
  /** Migration owner (DDL, resets between trials). */
  owner: Db
  /** The runtime pool, as the service opens it (role cs_app where available). */
  app: Db
  role: string | undefined
  appPoolMax: number
  /** Closes pools, drops the database, stops the embedded server. Safe to call twice. */
  close(): Promise<void>
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

async function adminQuery(baseUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

export async function openBenchDatabase(appPoolMax: number): Promise<BenchDatabase> {
  let embedded: EmbeddedServer | undefined
  let dataDir: string | undefined
  let base = process.env.DATABASE_URL
  const kind = base ? 'server' : 'embedded'
  if (!base) {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cs-record-bench-'))
    await chmod(dataDir, 0o755) // the embedded server runs as the `postgres` user when we are root
    progress(`starting embedded PostgreSQL in ${dataDir}`)
    embedded = await startEmbedded({ dataDir, port: 0 })
    base = embedded.url
  }
  const name = `bench_${randomBytes(6).toString('hex')}`
  const cleanups: (() => Promise<unknown>)[] = []
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    for (const fn of cleanups.reverse()) {
      try {
        await fn()
      } catch (err) {
        progress(`cleanup step failed: ${err instanceof Error ? err.message : String(err)}`)
      }
    }
  }
  if (embedded) {
    const server = embedded
    cleanups.push(async () => {
      await server.stop()
      if (dataDir) await rm(dataDir, { recursive: true, force: true })
    })
  }
  try {
    const serverUrl = base
    await adminQuery(serverUrl, `CREATE DATABASE ${name}`)
    cleanups.push(() => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
    const url = withDatabase(serverUrl, name)
    const owner = createDb(url, { max: 4, applicationName: 'cs-record-bench-owner' })
    cleanups.push(() => owner.close())
    await migrateToLatest(owner.kysely)
    const role = (await runtimeRoleAvailable(owner.pool)) ? 'cs_app' : undefined
    const app = createDb(url, { role, max: appPoolMax, applicationName: 'cs-record-bench' })
    cleanups.push(() => app.close())
    progress(`database ${name} on the ${kind === 'server' ? 'DATABASE_URL' : 'embedded'} server, app role ${role ?? '(connecting user)'}`)
    return { kind, url, name, owner, app, role, appPoolMax, close }
  } catch (err) {
    await close()
    throw err
  }
}

/**
 * A separate pool as the runtime role with extra session settings (e.g. asynchronous commit for seeding). The
 * role is set in the startup packet (`-c role=...`), so no query races the borrower's first one.
 */
export function sessionPool(url: string, role: string | undefined, max: number, options: string): pg.Pool {
  const all = role ? `-c role=${role} ${options}` : options
  const pool = new pg.Pool({ connectionString: url, max, options: all, application_name: 'cs-record-bench-seed' })
  pool.on('error', () => undefined)
  return pool
}

export async function describeEnvironment(db: BenchDatabase): Promise<Record<string, unknown>> {
  const setting = async (n: string) => (await db.owner.pool.query<{ v: string }>(`SELECT current_setting($1) AS v`, [n])).rows[0]?.v
  const cpus = os.cpus()
  return {
    metric: 'environment',
    database: db.kind,
    serverVersion: await setting('server_version'),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model,
    memoryMb: Math.round(os.totalmem() / 2 ** 20),
    fsync: await setting('fsync'),
    synchronousCommit: await setting('synchronous_commit'),
    walSyncMethod: await setting('wal_sync_method'),
    fullPageWrites: await setting('full_page_writes'),
    sharedBuffers: await setting('shared_buffers'),
    maxConnections: await setting('max_connections'),
    appRole: db.role ?? null,
    appPoolMax: db.appPoolMax,
  }
}

// Pools and Kysely instances. The app pool runs as the restricted role `cs_app` where it exists, so the
// runtime cannot UPDATE or DELETE events even if the trigger were dropped; migrations use the owner.
import pg from 'pg'
import { Kysely, PostgresDialect } from 'kysely'
import type { Database } from './types.js'

// int8 (positions, counts) as JS numbers: positions stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10))

export interface Db {
  readonly pool: pg.Pool
  readonly kysely: Kysely<Database>
  readonly url: string
  close(): Promise<void>
}

export interface PoolOptions {
  max?: number
  /** Switch every connection to this role (SET ROLE) before it is used. */
  role?: string | undefined
  /** Server-side statement timeout (default 60 s; 0 disables it, for migrations and rebuild DDL). */
  statementTimeoutMs?: number
  applicationName?: string
}

export function createDb(url: string, options: PoolOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 20,
    application_name: options.applicationName ?? 'cs-record',
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    // Notice a dead peer on an idle or waiting connection instead of waiting forever.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // The role is a startup parameter, so no statement ever runs with the owner's rights. The server
    // cancels any statement after the timeout, so no call (and no agency's append queue) waits forever.
    options: [options.role ? `-c role=${options.role}` : '', `-c statement_timeout=${options.statementTimeoutMs ?? 60_000}`].join(' ').trim(),
  })
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined)
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  let closed = false
  return {
    pool,
    kysely,
    url,
    async close() {
      if (closed) return
      closed = true
      await kysely.destroy()
      // Kysely ends the pool only if it ever ran a query itself; most queries here go straight to pg.
      if (!pool.ended) await pool.end()
    },
  }
}

/** True when the runtime role exists and the connecting user may switch to it. */
export async function runtimeRoleAvailable(pool: pg.Pool, role = 'cs_app'): Promise<boolean> {
  const { rows } = await pool.query<{ ok: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AND pg_has_role(current_user, $1, 'MEMBER') AS ok`,
    [role],
  ).catch(() => ({ rows: [{ ok: false }] }))
  return rows[0]?.ok === true
}

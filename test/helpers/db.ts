// A fresh, migrated database per test file (random name, dropped in teardown) on DATABASE_URL's server.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { createDb, runtimeRoleAvailable, type Db } from '../../src/db/connection.js'
import { migrateToLatest } from '../../src/db/migrator.js'

export interface TestDatabase {
  url: string
  name: string
  /** The migration owner's connection (DDL, superuser tricks in tests). */
  owner: Db
  /** The runtime connection, as the service uses it (role cs_app where available). */
  app: Db
}

interface Teardown {
  teardown(fn: () => unknown): void
}

export function serverUrl(): string {
  const url = process.env.DATABASE_URL
  if (!url) throw new Error('DATABASE_URL is not set: run the suite with `npm test`, which starts an embedded PostgreSQL')
  return url
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

export async function freshDatabase(t: Teardown): Promise<TestDatabase> {
  const base = serverUrl()
  const name = `t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = withDatabase(base, name)
  const owner = createDb(url, { max: 4 })
  await migrateToLatest(owner.kysely)
  const role = (await runtimeRoleAvailable(owner.pool)) ? 'cs_app' : undefined
  const app = createDb(url, { role, max: 16 })
  t.teardown(async () => {
    await app.close()
    await owner.close()
    const c = new pg.Client({ connectionString: base })
    await c.connect()
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await c.end()
  })
  return { url, name, owner, app }
}

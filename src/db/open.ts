// Opens the database the configuration names: DATABASE_URL, or the embedded server under DATA_DIR.
// Gives an owner connection (migrations, rebuild DDL) and an app connection (runtime role).
import type { Config } from '../config.js'
import path from 'node:path'
import pg from 'pg'
import { createDb, runtimeRoleAvailable, type Db, type PoolOptions } from './connection.js'
import { readOrCreateSecret, startEmbedded, type EmbeddedServer } from './embedded.js'
import { migrateToLatest } from './migrator.js'
import type { MinimalLogger } from '../projections/types.js'

export interface OpenDatabase {
  owner: Db
  app: Db
  embedded?: EmbeddedServer | undefined
  /** Closes pools, then stops the embedded server if this process started it. */
  close(): Promise<void>
}

export async function openDatabase(
  config: Pick<Config, 'DATABASE_URL' | 'DATABASE_APP_URL' | 'DATA_DIR' | 'EMBEDDED_PG_PORT'>,
  logger: MinimalLogger,
  options: { migrate: boolean; appPoolMax?: number; applicationName?: string },
): Promise<OpenDatabase> {
  let embedded: EmbeddedServer | undefined
  let url = config.DATABASE_URL
  if (!url) {
    embedded = await startEmbedded({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT, onLog: (line) => logger.debug({ postgres: line.trim() }, 'embedded postgres') })
    url = embedded.url
    logger.info({ dataDir: config.DATA_DIR, attached: !embedded.owned }, embedded.owned ? 'embedded PostgreSQL started' : 'attached to running embedded PostgreSQL')
  }
  const owner = createDb(url, { max: 4, statementTimeoutMs: 0, applicationName: `${options.applicationName ?? 'cs-record'}-owner` })
  try {
    if (options.migrate) {
      const { applied } = await migrateToLatest(owner.kysely)
      if (applied.length) logger.info({ applied }, 'migrations applied')
    }
    const [appUrl, appOptions] = await appConnection(config, owner, url, embedded, logger)
    const app = createDb(appUrl, { ...appOptions, max: options.appPoolMax ?? 20, applicationName: options.applicationName ?? 'cs-record' })
    return {
      owner,
      app,
      embedded,
      async close() {
        await app.close()
        await owner.close()
        if (embedded?.owned) await embedded.stop()
      },
    }
  } catch (err) {
    await owner.close()
    if (embedded?.owned) await embedded.stop()
    throw err
  }
}

/**
 * How the service's pool connects. Best: its own login (DATABASE_APP_URL, or the embedded server's
 * cs_app login, password kept in DATA_DIR), so nothing it runs can regain the owner's rights. Else the
 * owner's login switched to cs_app at connection start (a guard against mistakes, not against SQL that
 * says RESET ROLE); else, where the role could not be created, the owner itself.
 */
async function appConnection(
  config: Pick<Config, 'DATABASE_APP_URL' | 'DATA_DIR'>, owner: Db, url: string, embedded: EmbeddedServer | undefined, logger: MinimalLogger,
): Promise<[string, PoolOptions]> {
  if (config.DATABASE_APP_URL) return [config.DATABASE_APP_URL, {}]
  if (!(await runtimeRoleAvailable(owner.pool))) {
    logger.warn({}, "runtime role cs_app unavailable: the service runs with the connecting user's rights (the append-only trigger still applies)")
    return [url, {}]
  }
  if (embedded) {
    const password = await readOrCreateSecret(path.join(path.resolve(config.DATA_DIR), 'app-password'))
    await owner.pool.query(`ALTER ROLE cs_app WITH LOGIN PASSWORD ${pg.escapeLiteral(password)}`)
    const appUrl = new URL(url)
    appUrl.username = 'cs_app'
    appUrl.password = password
    return [appUrl.toString(), {}]
  }
  logger.info({}, 'the service switches to role cs_app on the owner login; set DATABASE_APP_URL to give it a login of its own')
  return [url, { role: 'cs_app' }]
}

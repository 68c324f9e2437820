// Opens the database the configuration names: DATABASE_URL, or the embedded server under DATA_DIR.
// Gives an owner connection (migrations, rebuild DDL) and an app connection (runtime role).
import type { Config } from '../config.js'
import { createDb, runtimeRoleAvailable, type Db } from './connection.js'
import { startEmbedded, type EmbeddedServer } from './embedded.js'
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
  config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'EMBEDDED_PG_PORT'>,
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
  const owner = createDb(url, { max: 4, applicationName: `${options.applicationName ?? 'cs-record'}-owner` })
  try {
    if (options.migrate) {
      const { applied } = await migrateToLatest(owner.kysely)
      if (applied.length) logger.info({ applied }, 'migrations applied')
    }
    const role = (await runtimeRoleAvailable(owner.pool)) ? 'cs_app' : undefined
    if (!role) logger.warn({}, 'runtime role cs_app unavailable: the service runs with the connecting user\'s rights (the append-only trigger still applies)')
    const app = createDb(url, { role, max: options.appPoolMax ?? 20, applicationName: options.applicationName ?? 'cs-record' })
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

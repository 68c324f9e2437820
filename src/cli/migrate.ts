// `npm run migrate`: apply pending migrations to the configured database (embedded or DATABASE_URL).
import pino from 'pino'
import { loadConfig } from '../config.js'
import { openDatabase } from '../db/open.js'

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' })
try {
  const db = await openDatabase(loadConfig(process.env), logger, { migrate: true, appPoolMax: 1, applicationName: 'cs-record-migrate' })
  await db.close()
} catch (err) {
  process.stderr.write(`migration failed: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exitCode = 1
}

// Process entry: configuration, database, buildApp, listen, signals. The only service file that reads process.
import { loadSigningKey } from './audit-trail/signing.js'
import { ensureKeyRegistered } from './audit-trail/keys.js'
import { randomUUID } from 'node:crypto'
import pino from 'pino'
import { buildApp, logRedaction, logSerializers } from './app.js'
import { systemClock } from './application/context.js'
import { ConfigError, loadConfig } from './config.js'
import { loadSecretsKey } from './application/secret-box.js'
import { openDatabase } from './db/open.js'
import { AppendNotifier, listenForAppends } from './eventstore/notifier.js'
import { PostgresEventStore } from './eventstore/postgres-store.js'
import { allProjections } from './projections/index.js'
import { REACTION_BATCH_SIZE, reactionProjections } from './application/reactions.js'
import { ProjectionRunner } from './projections/runner.js'
import { Scheduler } from './scheduler/scheduler.js'
import { secretBox } from './application/secret-box.js'
import { WebhookDispatcher } from './outbound/dispatcher.js'
import { WEBHOOK_OUTBOX } from './projections/webhook-outbox.js'

async function main(): Promise<void> {
  let config
  try {
    config = loadConfig(process.env)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`)
      process.exit(1)
    }
    throw err
  }
  const logger = pino({ level: config.LOG_LEVEL, redact: logRedaction, serializers: logSerializers })

  // 1. Database (embedded unless DATABASE_URL), migrated before anything serves.
  const database = await openDatabase(config, logger, { migrate: true })
  const pool = database.app.pool

  // 2. Store, projections, and the wake-up path: in-process after each append, NOTIFY for other processes.
  const store = new PostgresEventStore(pool)
  const runner = new ProjectionRunner({ pool, projections: allProjections, logger, batchSize: config.PROJECTION_BATCH_SIZE, pollMs: config.PROJECTION_POLL_MS })
  // Reactions (alerts into incidents, the outbound webhook outbox) in their own runner: small batches, never rebuilt.
  const services = { store, clock: systemClock, pool }
  const reactions = new ProjectionRunner({ pool, projections: reactionProjections(services), logger, batchSize: REACTION_BATCH_SIZE, pollMs: config.PROJECTION_POLL_MS, owner: `reactions-${randomUUID()}` })
  const notifier = new AppendNotifier(pool)
  store.onAppended(() => {
    runner.wake()
    reactions.wake()
    notifier.notify()
  })
  const listener = listenForAppends(database.app.url, () => {
    runner.wake()
    reactions.wake()
  }, logger)

  // 3. HTTP. The audit signing key (manifests, digests) never enters the database.
  const signer = loadSigningKey(config.AUDIT_SIGNING_KEY, config.DATA_DIR)
  await ensureKeyRegistered(pool, signer) // published before it signs anything
  const app = await buildApp({
    pool, kysely: database.app.kysely, store, runner, reactions, clock: systemClock,
    incidentPolicy: { nationalCentreName: config.NATIONAL_CENTRE_NAME, closeRequiresNotification: config.INCIDENT_CLOSE_REQUIRES_NOTIFICATION },
    readWaitMs: config.READ_WAIT_MS,
    graphiql: config.GRAPHIQL ?? config.NODE_ENV === 'development',
    loggerInstance: logger,
    secretsKey: loadSecretsKey(config.SECRETS_KEY, config.DATA_DIR),
    signer,
    webhooks: { allowInsecureUrls: config.WEBHOOK_ALLOW_INSECURE_URLS },
    metricsToken: config.METRICS_TOKEN,
  })
  runner.start()
  reactions.start()
  await app.listen({ port: config.PORT, host: config.HOST })

  // 4. Time-driven rules (exceptions overdue...), under a lease so that one instance runs each pass.
  const scheduler = new Scheduler({ services, logger, intervalMs: config.SCHEDULER_INTERVAL_MS, signer, digestIntervalMs: config.AUDIT_DIGEST_INTERVAL_MS })
  scheduler.start()
  // 4b. Outbound webhooks: the dispatcher sends what the outbox queued; woken when the outbox advances.
  if (!config.METRICS_TOKEN) logger.info({}, 'METRICS_TOKEN is not set: /metrics answers 401 until it is')
  if (config.WEBHOOK_ALLOW_INSECURE_URLS) logger.warn({}, 'WEBHOOK_ALLOW_INSECURE_URLS is on: outbound webhooks may go to http: and internal addresses (development only)')
  const dispatcher = new WebhookDispatcher({
    pool, box: secretBox(loadSecretsKey(config.SECRETS_KEY, config.DATA_DIR)), clock: systemClock, logger,
    allowInsecureUrls: config.WEBHOOK_ALLOW_INSECURE_URLS, intervalMs: config.WEBHOOK_DISPATCH_INTERVAL_MS,
  })
  reactions.onApplied((projection) => projection === WEBHOOK_OUTBOX && dispatcher.wake())
  dispatcher.start()
  // (workers started after listen go above this line)

  // 5. Graceful shutdown: stop accepting, finish in-flight requests, stop runners, close pools, stop postgres.
  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now')
      process.exit(1)
    }
    stopping = true
    logger.info({ signal }, 'shutting down')
    const force = setTimeout(() => {
      logger.error({}, 'shutdown took longer than 15 s; exiting')
      process.exit(1)
    }, 15_000)
    force.unref()
    try {
      await scheduler.stop()
      await dispatcher.stop()
      // (workers stopped before the HTTP server closes go above this line)
      await app.close()
      await reactions.stop()
      await runner.stop()
      await listener.stop()
      await database.close()
      logger.info({}, 'stopped')
      process.exit(0)
    } catch (err) {
      logger.error({ err }, 'shutdown failed')
      process.exit(1)
    }
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
}

main().catch((err: unknown) => {
  process.stderr.write(`startup failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
})

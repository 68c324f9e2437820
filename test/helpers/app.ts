// A built app on a fresh database with the projection runner going, plus shortcuts to register
// agencies and issue tokens. Closed in teardown.
import { randomBytes, randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { registerAgency } from '../../src/application/agencies.js'
import { systemClock, type Clock } from '../../src/application/context.js'
import type { AgencyKind } from '../../src/domain/shared/roles.js'
import { PostgresEventStore } from '../../src/eventstore/postgres-store.js'
import { allProjections } from '../../src/projections/index.js'
import { ProjectionRunner } from '../../src/projections/runner.js'
import { REACTION_BATCH_SIZE, reactionProjections } from '../../src/application/reactions.js'
import { secretBox, type SecretBox } from '../../src/application/secret-box.js'
import { WebhookDispatcher } from '../../src/outbound/dispatcher.js'
import type { Lookup, Send } from '../../src/outbound/send.js'
import { WEBHOOK_OUTBOX } from '../../src/projections/webhook-outbox.js'
import { generateSigner, type Signer } from '../../src/audit-trail/signing.js'
import { freshDatabase, type TestDatabase } from './db.js'
import { organisationHelpers, type OrganisationHelpers } from './organisation.js'

export { silentLogger } from './logger.js'
import { silentLogger } from './logger.js'

export interface TestApp extends OrganisationHelpers {
  app: FastifyInstance
  db: TestDatabase
  store: PostgresEventStore
  runner: ProjectionRunner
  /** Reactions and outboxes (src/application/reactions.ts), in their own runner as in main.ts. */
  reactions: ProjectionRunner
  /** The outbound webhook dispatcher, woken when the outbox advances (as in main.ts); tests may also call pass(). */
  dispatcher: WebhookDispatcher
  /** The app's audit signing key (AUDIT_SIGNING_KEY): manifests and digests are signed with it. */
  signer: Signer
  /** The app's secret box (SECRETS_KEY), for tests that build dispatchers of their own (a second instance, other timeouts). */
  box: SecretBox
  agency(id: string, kind?: AgencyKind, parentId?: string): Promise<void>
  /** Wait until the reactions and then every read model have caught up with the agency's log, including what the reactions appended. */
  settleAll(agencyId: string): Promise<void>
}

/** Outbound webhooks in tests: the URL policy (set here, never from the environment), and fakes for the network. */
export interface TestWebhookOptions {
  allowInsecureUrls?: boolean
  send?: Send
  lookup?: Lookup
  /** Start the dispatcher's loop (default true); false leaves it to the test to call pass(). */
  start?: boolean
}

interface Teardown {
  teardown(fn: () => unknown): void
}

/** The /metrics bearer token of every test app. */
export const METRICS_TOKEN = 'test-metrics-token-0123456789'

export async function startTestApp(t: Teardown, options: { clock?: Clock; closeRequiresNotification?: boolean; webhooks?: TestWebhookOptions } = {}): Promise<TestApp> {
  const db = await freshDatabase(t)
  const store = new PostgresEventStore(db.app.pool)
  const runner = new ProjectionRunner({ pool: db.app.pool, projections: allProjections, logger: silentLogger, pollMs: 50 })
  const services = { store, clock: options.clock ?? systemClock, pool: db.app.pool }
  const reactions = new ProjectionRunner({ pool: db.app.pool, projections: reactionProjections(services), logger: silentLogger, pollMs: 50, batchSize: REACTION_BATCH_SIZE, owner: `reactions-${randomUUID()}` })
  store.onAppended(() => {
    runner.wake()
    reactions.wake()
  })
  const secretsKey = randomBytes(32)
  const signer = generateSigner()
  const app = await buildApp({
    pool: db.app.pool, kysely: db.app.kysely, store, runner, reactions, clock: options.clock ?? systemClock,
    incidentPolicy: { nationalCentreName: 'National Cybersecurity Office', closeRequiresNotification: options.closeRequiresNotification ?? true },
    readWaitMs: 5_000, graphiql: false, logger: false,
    secretsKey, signer, webhooks: { allowInsecureUrls: options.webhooks?.allowInsecureUrls ?? false }, metricsToken: METRICS_TOKEN,
  })
  runner.start()
  reactions.start()
  const box = secretBox(secretsKey)
  const dispatcher = new WebhookDispatcher({
    pool: db.app.pool, box, clock: options.clock ?? systemClock, logger: silentLogger, intervalMs: 250, jitter: () => 0,
    allowInsecureUrls: options.webhooks?.allowInsecureUrls ?? false, send: options.webhooks?.send, lookup: options.webhooks?.lookup,
  })
  reactions.onApplied((projection) => projection === WEBHOOK_OUTBOX && dispatcher.wake())
  if (options.webhooks?.start !== false) dispatcher.start()
  // (workers started for tests go above this line)
  t.teardown(async () => {
    await dispatcher.stop()
    // (workers stopped in teardown go above this line)
    await app.close()
    await reactions.stop()
    await runner.stop()
  })
  const org = organisationHelpers({ store, clock: options.clock ?? systemClock, pool: db.app.pool, waitFor: (...a) => runner.waitFor(...a), projections: allProjections })
  return {
    app, db, store, runner, reactions, dispatcher, box, signer,
    async settleAll(agencyId) {
      const head = async () => (await store.readAgency(agencyId, 0, 1_000_000)).at(-1)?.position ?? 0
      for (let round = 0; round < 20; round++) {
        const before = await head()
        for (const p of reactionProjections(services)) {
          if (!(await reactions.waitFor(p.name, agencyId, before, 10_000))) throw new Error(`reaction ${p.name} did not reach ${agencyId}@${before}`)
        }
        await org.settle(agencyId, before)
        if ((await head()) === before) return
      }
      throw new Error(`${agencyId}: the reactions kept appending`)
    },
    async agency(id, kind = 'NATIONAL_ADMINISTRATIVE_ORGAN', parentId) {
      await registerAgency(store, systemClock, { agencyId: id, name: `Agency ${id}`, kind, parentId }, 'test', { correlationId: randomUUID(), source: 'cli' })
    },
    ...org,
  }
}

// A built app on a fresh database with the projection runner going, plus shortcuts to register
// agencies and issue tokens. Closed in teardown.
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { registerAgency } from '../../src/application/agencies.js'
import { systemClock, type Clock } from '../../src/application/context.js'
import type { AgencyKind } from '../../src/domain/shared/roles.js'
import { PostgresEventStore } from '../../src/eventstore/postgres-store.js'
import { allProjections } from '../../src/projections/index.js'
import { ProjectionRunner } from '../../src/projections/runner.js'
import { REACTION_BATCH_SIZE, reactionProjections } from '../../src/application/reactions.js'
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
  agency(id: string, kind?: AgencyKind, parentId?: string): Promise<void>
}

interface Teardown {
  teardown(fn: () => unknown): void
}

export async function startTestApp(t: Teardown, options: { clock?: Clock; closeRequiresNotification?: boolean } = {}): Promise<TestApp> {
  const db = await freshDatabase(t)
  const store = new PostgresEventStore(db.app.pool)
  const runner = new ProjectionRunner({ pool: db.app.pool, projections: allProjections, logger: silentLogger, pollMs: 50 })
  const services = { store, clock: options.clock ?? systemClock, pool: db.app.pool }
  const reactions = new ProjectionRunner({ pool: db.app.pool, projections: reactionProjections(services), logger: silentLogger, pollMs: 50, batchSize: REACTION_BATCH_SIZE, owner: `reactions-${randomUUID()}` })
  store.onAppended(() => {
    runner.wake()
    reactions.wake()
  })
  const app = await buildApp({
    pool: db.app.pool, kysely: db.app.kysely, store, runner, clock: options.clock ?? systemClock,
    incidentPolicy: { nationalCentreName: 'National Cybersecurity Office', closeRequiresNotification: options.closeRequiresNotification ?? true },
    readWaitMs: 5_000, graphiql: false, logger: false,
  })
  runner.start()
  reactions.start()
  // (workers started for tests go above this line)
  t.teardown(async () => {
    // (workers stopped in teardown go above this line)
    await app.close()
    await reactions.stop()
    await runner.stop()
  })
  const org = organisationHelpers({ store, clock: options.clock ?? systemClock, pool: db.app.pool, waitFor: (...a) => runner.waitFor(...a), projections: allProjections })
  return {
    app, db, store, runner, reactions,
    async agency(id, kind = 'NATIONAL_ADMINISTRATIVE_ORGAN', parentId) {
      await registerAgency(store, systemClock, { agencyId: id, name: `Agency ${id}`, kind, parentId }, 'test', { correlationId: randomUUID(), source: 'cli' })
    },
    ...org,
  }
}

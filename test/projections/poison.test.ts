// One event a handler cannot apply must not stop the projection: it is narrowed down, recorded in
// projection_failures and skipped. An outage, by contrast, is retried and never skips anything.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import type pg from 'pg'
import { PostgresEventStore } from '../../src/eventstore/postgres-store.js'
import { ProjectionRunner } from '../../src/projections/runner.js'
import type { Projection } from '../../src/projections/types.js'
import { freshDatabase } from '../helpers/db.js'
import { silentLogger } from '../helpers/logger.js'

const db = await freshDatabase(t)
await db.owner.pool.query('CREATE TABLE test_seen (agency_id text, agency_position bigint, PRIMARY KEY (agency_id, agency_position))')
await db.owner.pool.query('GRANT SELECT, INSERT, UPDATE, DELETE ON test_seen TO cs_app')
const store = new PostgresEventStore(db.app.pool)

async function write(agency: string, poison: number[]): Promise<number> {
  let last = 0
  for (let i = 1; i <= 40; i++) {
    const outcome = await store.append({
      agencyId: agency, streamId: `s${i}`, streamType: 'test', expectedVersion: 0, recordedAt: new Date().toISOString(),
      events: [{ eventId: randomUUID(), type: 'Seen', schemaVersion: 1, data: { poison: poison.includes(i) }, metadata: { actor: { id: 'a', roles: [] }, correlationId: 'c', source: 'test', commandType: 'T' } }],
    })
    if (outcome.outcome === 'appended') last = outcome.result.lastPosition
  }
  return last
}

function projection(name: string, fail: (events: readonly { data: Record<string, unknown> }[]) => Error | undefined): Projection<'test_seen'> {
  return {
    name, eventTypes: ['Seen'], tables: ['test_seen'],
    async apply(client: pg.ClientBase, events) {
      await client.query('INSERT INTO test_seen SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING',
        [events.map((e) => e.agencyId), events.map((e) => e.position)])
      const err = fail(events)
      if (err) throw err
    },
  }
}

t.test('a poison event is recorded and skipped; every other event is applied', async (t) => {
  const head = await write('pz', [17])
  const before = await write('pa', []) // an agency sorted first, with work pending too: none of it may be skipped
  const runner = new ProjectionRunner({ pool: db.app.pool, projections: [projection('poisoned', (events) => (events.some((e) => e.data.poison) ? new TypeError('cannot read poison') : undefined))], logger: silentLogger, pollMs: 10, batchSize: 16 })
  runner.start()
  t.teardown(() => runner.stop())
  t.ok(await runner.waitFor('poisoned', 'pz', head, 30_000), 'the projection got past the poison event')
  t.ok(await runner.waitFor('poisoned', 'pa', before, 30_000))
  const good = await db.owner.pool.query('SELECT count(*)::int AS n FROM test_seen WHERE agency_id = $1', ['pa'])
  t.equal(good.rows[0].n, 40, 'every event of the other agency applied')
  const failures = await db.owner.pool.query('SELECT agency_position, error FROM projection_failures WHERE projection = $1', ['poisoned'])
  t.same(failures.rows.map((r) => Number(r.agency_position)), [head - 40 + 17], 'exactly the poison event')
  t.match(failures.rows[0]?.error, /cannot read poison/)
  const seen = await db.owner.pool.query('SELECT count(*)::int AS n FROM test_seen WHERE agency_id = $1', ['pz'])
  t.equal(seen.rows[0].n, 39, 'the 39 good events applied; the poison one rolled back')
  t.equal(runner.status()[0]?.skipped, 1)
})

t.test('an outage is retried and skips nothing', async (t) => {
  const head = await write('oz', [])
  let outages = 6
  const runner = new ProjectionRunner({ pool: db.app.pool, projections: [projection('flaky', () => (outages-- > 0 ? new Error('Connection terminated unexpectedly') : undefined))], logger: silentLogger, pollMs: 10, batchSize: 16 })
  runner.start()
  t.teardown(() => runner.stop())
  t.ok(await runner.waitFor('flaky', 'oz', head, 60_000))
  const failures = await db.owner.pool.query('SELECT count(*)::int AS n FROM projection_failures WHERE projection = $1', ['flaky'])
  t.equal(failures.rows[0].n, 0, 'nothing skipped')
  const seen = await db.owner.pool.query('SELECT count(*)::int AS n FROM test_seen WHERE agency_id = $1', ['oz'])
  t.equal(seen.rows[0].n, 40)
})

// Many concurrent writers (some sharing an agency), rolled-back transactions, failing batches, competing
// and restarted runners: every committed event is applied exactly once, and nothing else is.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import type pg from 'pg'
import { PostgresEventStore } from '../../src/eventstore/postgres-store.js'
import { ProjectionRunner } from '../../src/projections/runner.js'
import type { Projection } from '../../src/projections/types.js'
import { freshDatabase } from '../helpers/db.js'
import { silentLogger } from '../helpers/logger.js'

const db = await freshDatabase(t)
await db.owner.pool.query('CREATE TABLE test_applied (agency_id text, agency_position bigint, times int NOT NULL, PRIMARY KEY (agency_id, agency_position))')
await db.owner.pool.query('GRANT SELECT, INSERT, UPDATE, DELETE ON test_applied TO cs_app')

let batches = 0
/** Counts applications per event; every 7th batch fails after writing, so its writes must roll back. */
const counting: Projection<'test_applied'> = {
  name: 'counting',
  eventTypes: ['Counted'],
  tables: ['test_applied'],
  async apply(client: pg.ClientBase, events) {
    await client.query(
      `INSERT INTO test_applied SELECT a, p, 1 FROM unnest($1::text[], $2::bigint[]) AS u(a, p)
       ON CONFLICT (agency_id, agency_position) DO UPDATE SET times = test_applied.times + 1`,
      [events.map((e) => e.agencyId), events.map((e) => e.position)],
    )
    if (++batches % 7 === 0) throw new Error('simulated crash mid-batch')
  },
}

const store = new PostgresEventStore(db.app.pool)
const runner = (name: string) => new ProjectionRunner({ pool: db.app.pool, projections: [counting], logger: silentLogger, pollMs: 20, batchSize: 37, leaseMs: 2_000, owner: name })

t.test('8 writers, rollbacks, crashes and runner restarts: each committed event applied exactly once', async (t) => {
  const agencies = ['ea', 'eb', 'ec', 'ed', 'ea', 'eb', 'ea', 'ee'] // writers 0, 4, 6 share agency ea
  const r1 = runner('r1')
  const r2 = runner('r2') // competes for the lease with r1
  r1.start()
  r2.start()
  const restarted = runner('r3')
  let committed = 0
  let rolledBack = 0
  const writer = async (w: number) => {
    const agency = agencies[w]!
    for (let i = 0; i < 60; i++) {
      const streamId = `w${w}-s${i % 5}`
      const events = Array.from({ length: 1 + (i % 3) }, () => ({ eventId: randomUUID(), type: 'Counted', schemaVersion: 1, data: { w, i }, metadata: { actor: { id: 'w', roles: [] }, correlationId: 'c', source: 'test', commandType: 'Count' } }))
      if (i % 9 === 4) {
        // A transaction that appends and then rolls back: its positions must not count.
        const client = await db.app.pool.connect()
        await client.query('BEGIN')
        const version = (await store.readStream(agency, streamId)).version
        await client.query('SELECT * FROM append_events($1, $2)', [agency, JSON.stringify([{
          streamId, streamType: 'test', expectedVersion: version, recordedAt: new Date().toISOString(),
          events: events.map((e) => ({ ...e, contentHash: '00'.repeat(32) })),
        }])])
        await client.query('ROLLBACK')
        client.release()
        rolledBack += events.length
        continue
      }
      for (;;) {
        const version = (await store.readStream(agency, streamId)).version
        const outcome = await store.append({ agencyId: agency, streamId, streamType: 'test', expectedVersion: version, recordedAt: new Date().toISOString(), events })
        if (outcome.outcome === 'appended') {
          committed += events.length
          break
        }
      }
      if (w === 0 && i === 30) {
        await r1.stop() // the runner holding (or competing for) the lease goes away mid-way
        restarted.start()
      }
    }
  }
  await Promise.all(agencies.map((_, w) => writer(w)))
  t.ok(rolledBack > 0, 'some transactions were rolled back')

  const heads = await db.owner.pool.query<{ total: number }>('SELECT sum(position)::int AS total FROM agency_heads')
  t.equal(heads.rows[0]?.total, committed, 'positions count exactly the committed events')

  // Wait (bounded) for the survivors to catch up, then compare.
  const r3 = runner('r4')
  r3.start()
  for (const [agency, position] of await store.heads()) {
    t.ok(await r3.waitFor('counting', agency, position, 30_000), `caught up on ${agency}`)
  }
  const applied = await db.owner.pool.query<{ n: number; twice: number }>('SELECT count(*)::int AS n, count(*) FILTER (WHERE times <> 1)::int AS twice FROM test_applied')
  t.equal(applied.rows[0]?.n, committed, 'every committed event applied')
  t.equal(applied.rows[0]?.twice, 0, 'no event applied twice')
  const strays = await db.owner.pool.query('SELECT count(*)::int AS n FROM test_applied a WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.agency_id = a.agency_id AND e.agency_position = a.agency_position)')
  t.equal(strays.rows[0].n, 0, 'nothing applied that was not committed')
  t.ok(batches >= 7, 'some batches crashed and were retried')
  await Promise.all([r2.stop(), r3.stop(), restarted.stop()])
  await db.app.pool.query('SELECT 1') // the pool is still healthy
})

// Read-ahead: a batch uses what the previous one read ahead only where it covers the window's start,
// shortens the window to what was read, and reads the rest itself. Nothing is skipped or doubled.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import { PostgresEventStore } from '../../src/eventstore/postgres-store.js'
import type { Window } from '../../src/projections/batch.js'
import { eventsFor, startPrefetch } from '../../src/projections/prefetch.js'
import type { Projection } from '../../src/projections/types.js'
import { freshDatabase } from '../helpers/db.js'

const db = await freshDatabase(t)
const store = new PostgresEventStore(db.app.pool)
for (const agency of ['ra', 'rb']) {
  for (let i = 0; i < 10; i++) {
    await store.append({ agencyId: agency, streamId: `s${i}`, streamType: 'test', expectedVersion: 0, recordedAt: new Date().toISOString(),
      events: [{ eventId: randomUUID(), type: i % 4 === 3 ? 'Other' : 'Seen', schemaVersion: 1, data: { i }, metadata: { actor: { id: 'a', roles: [] }, correlationId: 'c', source: 'test', commandType: 'T' } }] })
  }
}
const seen: Projection = { name: 'seen', eventTypes: ['Seen'], tables: [], async apply() {} }
const win = (agency: string, from: number, to: number): Window => ({ agency, from, to, existed: from > 0 })

t.test('read-ahead that covers a window shortens it; a window it does not cover is read in the batch', async (t) => {
  const prefetch = startPrefetch(db.app.pool, seen, [win('ra', 2, 6), win('rb', 0, 4)])
  const windows = [win('ra', 2, 9), win('rb', 1, 9)] // rb starts elsewhere than what was read ahead
  const client = await db.app.pool.connect()
  t.teardown(() => client.release())
  const events = await eventsFor(client, seen, windows, prefetch)
  t.same(windows.map((w) => [w.agency, w.from, w.to]), [['ra', 2, 6], ['rb', 1, 9]], 'ra shortened to the read-ahead; rb untouched')
  t.same(events.map((e) => [e.agencyId, e.position]), [['ra', 3], ['ra', 5], ['ra', 6], ['rb', 2], ['rb', 3], ['rb', 5], ['rb', 6], ['rb', 7], ['rb', 9]],
    'each position of the windows once, only handled types, in order')
})

t.test('a read-ahead that failed is ignored', async (t) => {
  const failed = { windows: new Map([['ra', { from: 0, to: 10 }]]), events: Promise.resolve(undefined) }
  const windows = [win('ra', 0, 4)]
  const client = await db.app.pool.connect()
  t.teardown(() => client.release())
  const events = await eventsFor(client, seen, windows, failed)
  t.same(events.map((e) => e.position), [1, 2, 3])
  t.equal(windows[0]?.to, 4)
})

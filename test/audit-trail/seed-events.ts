// Test data for the tamper-evidence tests: events appended through the real store (so positions and hashes
// are what append_events() makes), and the superuser's tampering (trigger off, rows changed, back on).
import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { chainHash, contentHash } from '../../src/eventstore/hash.js'
import type { PostgresEventStore } from '../../src/eventstore/postgres-store.js'

/** Appends `count` events to `agencyId`, `perAppend` per append, each append a new stream of its own. */
export async function appendEvents(store: PostgresEventStore, agencyId: string, count: number, perAppend = 5): Promise<void> {
  for (let done = 0; done < count; done += perAppend) {
    const n = Math.min(perAppend, count - done)
    const streamId = `thing-${randomUUID()}`
    const outcome = await store.append({
      agencyId, streamId, streamType: 'thing', expectedVersion: 0, recordedAt: new Date().toISOString(),
      events: Array.from({ length: n }, (_, i) => ({
        eventId: randomUUID(), type: i === 0 ? 'ThingCreated' : 'ThingChanged', schemaVersion: 1,
        data: { n: done + i, title: `件名 ${done + i}, "quoted"`, nested: { list: [1, 2.5, null, true] } },
        metadata: { actor: { id: 'sato', roles: ['CISO'] }, correlationId: randomUUID(), source: 'api', commandType: 'DoThing' },
      })),
    })
    if (outcome.outcome !== 'appended') throw new Error(`append failed: ${outcome.outcome}`)
  }
}

/** Runs `fn` on the owner's connection with the append-only triggers of `table` off. */
export async function withTriggersOff<T>(owner: pg.Pool, table: 'events' | 'audit_digests', fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await owner.connect()
  try {
    await c.query(`ALTER TABLE ${table} DISABLE TRIGGER ${table}_append_only_row`)
    return await fn(c)
  } finally {
    await c.query(`ALTER TABLE ${table} ENABLE TRIGGER ${table}_append_only_row`)
    c.release()
  }
}

/** Recomputes prev_hash and hash of the agency's events from `from` on (and the head), as a forger with the owner's rights would. */
export async function rechain(c: pg.PoolClient, agencyId: string, from: number): Promise<void> {
  const { rows } = await c.query(
    `SELECT agency_position, stream_id, stream_type, stream_version, event_id, event_type, schema_version, data, metadata, recorded_at
     FROM events WHERE agency_id = $1 AND agency_position >= $2 ORDER BY agency_position`, [agencyId, from])
  const before = await c.query('SELECT hash FROM events WHERE agency_id = $1 AND agency_position = $2', [agencyId, from - 1])
  let prev: string = before.rows[0]?.hash.toString('hex') ?? '0'.repeat(64)
  for (const r of rows) {
    const content = contentHash({ agencyId, streamId: r.stream_id, streamType: r.stream_type, streamVersion: r.stream_version, eventId: r.event_id,
      type: r.event_type, schemaVersion: r.schema_version, data: r.data, metadata: r.metadata, recordedAt: (r.recorded_at as Date).toISOString() })
    const hash = chainHash(prev, Number(r.agency_position), content)
    await c.query('UPDATE events SET prev_hash = $3, hash = $4 WHERE agency_id = $1 AND agency_position = $2',
      [agencyId, r.agency_position, Buffer.from(prev, 'hex'), Buffer.from(hash, 'hex')])
    prev = hash
  }
  await c.query('UPDATE agency_heads SET position = (SELECT max(agency_position) FROM events WHERE agency_id = $1), head_hash = $2 WHERE agency_id = $1',
    [agencyId, Buffer.from(prev, 'hex')])
}

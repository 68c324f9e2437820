// The scheduler (time-driven rules): passes driven by a test clock, across agencies, idempotent; the
// lease lets one instance run passes at a time; start/stop run passes on an interval and let the lease go.
import t from 'tap'
import { Scheduler } from '../../src/scheduler/scheduler.js'
import { startTestApp, silentLogger } from '../helpers/app.js'

let now = new Date('2026-07-01T10:00:00+09:00')
const clock = { now: () => now }
const h = await startTestApp(t, { clock })
const services = { store: h.store, clock, pool: h.db.app.pool }

async function approvedException(agencyId: string, to: string): Promise<string> {
  await h.employee(agencyId, 'sato', 'u1')
  const applicant = await h.token(agencyId, [], 'sato')
  const approver = await h.token(agencyId, ['EXCEPTION_APPROVER'], 'abe')
  const post = async (token: string, url: string, payload: object) => (await h.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload })).json()
  const { id } = await post(applicant, '/api/exceptions', {
    clause: '3.1.1', rules: ['NoSend'], assetIds: ['mail-1'], from: '2026-07-01T09:00:00+09:00', to, measures: 'send it', compensatingMeasures: ['encrypted'],
    securityImpact: 'leak', impactHandling: 'recall', endReportMethod: 'e-mail', reason: 'deadline',
  })
  await post(approver, `/api/exceptions/${id}/examination`, {})
  await post(approver, `/api/exceptions/${id}/approval`, { reasons: 'ok' })
  await h.settle(agencyId)
  return id
}
const overdueEvents = async (agencyId: string, id: string) =>
  (await h.store.readStream(agencyId, `exception-${id}`)).events.filter((e) => e.type === 'ExceptionBecameOverdue').length

await h.agency('mof')
await h.agency('mic')
const a = await approvedException('mof', '2026-07-02T18:00:00+09:00')
const b = await approvedException('mic', '2026-07-03T18:00:00+09:00')

t.test('a pass marks, across agencies, what has ended by the clock; a repeated pass appends nothing', async (t) => {
  const scheduler = new Scheduler({ services, logger: silentLogger, owner: 'one' })
  t.same(await scheduler.tick(), { checked: 0, overdue: [], failed: 0, receiptsPruned: 0, deliveriesPruned: 0, digestsSealed: 0, dutiesOverdue: 0, dutiesDischarged: 0 })
  now = new Date('2026-07-03T00:00:00+09:00')
  t.match(await scheduler.tick(), { checked: 1, overdue: [{ agencyId: 'mof', exceptionId: a }] })
  // The read model may still list it (not applied yet): the decider answers no event.
  t.match(await scheduler.tick(), { overdue: [], failed: 0 })
  t.equal(await overdueEvents('mof', a), 1)
  t.equal(await overdueEvents('mic', b), 0)
})

t.test('a pass forgets webhook delivery ids older than 48 hours', async (t) => {
  const pool = h.db.app.pool
  const old = new Date(now.getTime() - 49 * 3600_000)
  const recent = new Date(now.getTime() - 47 * 3600_000)
  await pool.query(`INSERT INTO webhook_receipts (agency_id, integration_id, delivery_key, received_at, answer) VALUES
    ('mof', 'mof.i', 'old', $1, '{}'), ('mof', 'mof.i', 'recent', $2, '{}')`, [old, recent])
  const scheduler = new Scheduler({ services, logger: silentLogger, owner: 'pruner' })
  t.match(await scheduler.tick(), { receiptsPruned: 1 })
  const { rows } = await pool.query('SELECT delivery_key FROM webhook_receipts')
  t.same(rows.map((r) => r.delivery_key), ['recent'])
})

t.test('a pass deletes outbound webhook deliveries finished more than 90 days ago, never a pending one', async (t) => {
  const pool = h.db.app.pool // the runtime role: it may DELETE the deliveries
  const day = 24 * 3600_000
  const ago = (days: number) => new Date(now.getTime() - days * day)
  const row = (id: string, status: string, created: Date, lastAttempt: Date | null) =>
    pool.query(`INSERT INTO webhook_deliveries (agency_id, delivery_id, subscription_id, event_position, event_id, event_type, payload, status, next_attempt_at, last_attempt_at, created_at)
      VALUES ('mof', $1, 'mof.s', 1, $1, 'incident.reported', '{}', $2, $3, $4, $3)`, [id, status, created, lastAttempt])
  await row('delivered-old', 'DELIVERED', ago(120), ago(91))
  await row('failed-old', 'FAILED', ago(95), null)
  await row('delivered-recent', 'DELIVERED', ago(120), ago(89)) // created long ago, but retried by hand and sent 89 days ago
  await row('failed-recent', 'FAILED', ago(10), ago(9))
  await row('pending-old', 'PENDING', ago(200), ago(100))
  const scheduler = new Scheduler({ services, logger: silentLogger, owner: 'retention' })
  t.match(await scheduler.tick(), { deliveriesPruned: 2 })
  const { rows } = await pool.query("SELECT delivery_id FROM webhook_deliveries WHERE agency_id = 'mof' ORDER BY delivery_id")
  t.same(rows.map((r) => r.delivery_id), ['delivered-recent', 'failed-recent', 'pending-old'])
  t.match(await scheduler.tick(), { deliveriesPruned: 0 }, 'nothing more to delete')
  const grant = await h.db.owner.pool.query("SELECT rolname FROM pg_roles WHERE rolname = 'cs_app' AND has_table_privilege(rolname, 'webhook_deliveries', 'DELETE')")
  const role = await h.db.owner.pool.query("SELECT 1 FROM pg_roles WHERE rolname = 'cs_app'")
  t.equal(grant.rows.length, role.rows.length, 'the runtime role (where there is one) may DELETE webhook_deliveries')
})

t.test('the lease: one instance runs passes at a time; stop lets it go', async (t) => {
  // A long lease, so that a slow machine never lets it lapse between two calls (the default is 3 intervals).
  const first = new Scheduler({ services, logger: silentLogger, owner: 'first', intervalMs: 20, leaseMs: 60_000 })
  const second = new Scheduler({ services, logger: silentLogger, owner: 'second', intervalMs: 20, leaseMs: 60_000 })
  t.ok(await first.leasedTick(), 'the first takes the lease')
  t.equal(await second.leasedTick(), undefined, 'the second waits while the first holds it')
  t.ok(await first.leasedTick(), 'the holder renews it')

  now = new Date('2026-07-04T00:00:00+09:00')
  first.start()
  t.ok(first.isRunning)
  for (let i = 0; i < 200 && (await overdueEvents('mic', b)) === 0; i++) await new Promise((r) => setTimeout(r, 20))
  t.equal(await overdueEvents('mic', b), 1, 'the running scheduler marked it on its own')
  await first.stop()
  t.notOk(first.isRunning)
  t.ok(await second.leasedTick(), 'once stopped, another instance takes over at once')
  t.equal(await overdueEvents('mic', b), 1, 'and appends nothing twice')
})

// Two dispatcher instances: A claims a delivery and hangs while sending it, long enough for its lease and
// its claim to lapse; B takes over and delivers everything. A claimed only what it was sending (so it never
// sends the second delivery again), and when A's request finally fails, its stale record is refused: the
// delivery log shows B's attempt, not A's.
import t from 'tap'
import { WebhookDispatcher } from '../../src/outbound/dispatcher.js'
import type { Send, SendRequest } from '../../src/outbound/send.js'
import { WEBHOOK_OUTBOX } from '../../src/projections/webhook-outbox.js'
import { startTestApp, silentLogger } from '../helpers/app.js'
import { until } from '../helpers/webhook-receiver.js'

let now = new Date('2026-07-01T10:00:00.000Z')
const clock = { now: () => now }
const h = await startTestApp(t, { clock, webhooks: { start: false } })
await h.agency('mof')
const token = await h.token('mof', ['CISO'], 'ciso')
const post = async (url: string, payload: object) => {
  const res = await h.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload })
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  return res.json() as { id: string; position: number }
}
const sub = await post('/api/webhook-subscriptions', { url: 'https://receiver.example.jp/hook', eventTypes: ['incident.reported'] })
await post('/api/incidents', { title: 'first', description: 'y', detectedAt: '2026-07-01T09:00:00+09:00' })
const { position } = await post('/api/incidents', { title: 'second', description: 'y', detectedAt: '2026-07-01T09:00:00+09:00' })
if (!(await h.reactions.waitFor(WEBHOOK_OUTBOX, 'mof', position, 10_000))) throw new Error('the outbox did not queue the deliveries')
now = new Date(now.getTime() + 60_000)
const rows = async () => (await h.db.app.pool.query<{ delivery_id: string; status: string; attempts: number; last_status_code: number | null; attempts_log: { statusCode: number | null }[] }>(
  'SELECT delivery_id, status, attempts, last_status_code, attempts_log FROM webhook_deliveries WHERE subscription_id = $1 ORDER BY event_position', [sub.id])).rows

const lookup = async () => [{ address: '93.184.216.34' }]
const sent: string[] = []
const inFlight = { now: 0, most: 0 }
let release: () => void = () => undefined
const hang = new Promise<void>((resolve) => {
  release = resolve
})
/** A's receiver: the first request hangs, then fails (500); B's answers at once. */
const sender = (name: string, first?: Promise<void>): Send => async (request: SendRequest) => {
  sent.push(`${name}:${request.headers['webhook-id']}`)
  inFlight.most = Math.max(inFlight.most, ++inFlight.now)
  try {
    if (first && sent.filter((s) => s.startsWith(name)).length === 1) {
      await first
      return { status: 500 }
    }
    return { status: 200 }
  } finally {
    inFlight.now--
  }
}
const options = { pool: h.db.app.pool, box: h.box, clock, logger: silentLogger, lookup, jitter: () => 0 }
const a = new WebhookDispatcher({ ...options, owner: 'A', send: sender('A', hang) })
const b = new WebhookDispatcher({ ...options, owner: 'B', send: sender('B') })

t.test('a lapsed claim: the other instance takes over; the stale attempt neither sends again nor overwrites', async (t) => {
  const [first, second] = await rows()
  const passA = a.pass()
  try {
    await until(() => sent.length > 0, 'A sending the first delivery')
    t.same(sent, [`A:${first?.delivery_id}`], 'A sends the oldest')
    t.equal(await b.pass(), undefined, 'B waits while A holds the lease')
    // A stalls for longer than its lease and its claim (2 minutes).
    await h.db.owner.pool.query("UPDATE projection_leases SET expires_at = now() - interval '1 second' WHERE projection = 'webhook-dispatcher'")
    now = new Date(now.getTime() + 3 * 60_000)
    t.same(await b.pass(), { claimed: 2, delivered: 2, retrying: 0, failed: 0 }, 'B delivers both')
  } finally {
    release()
  }
  t.same(await passA, { claimed: 1, delivered: 0, retrying: 0, failed: 0 }, 'A claimed only what it was sending, and its record was refused')
  t.same(sent.filter((s) => s.endsWith(`:${second?.delivery_id}`)), [`B:${second?.delivery_id}`], 'the second delivery was sent once')
  t.equal(inFlight.most, 2, 'in flight together: only A\'s abandoned request and B\'s')
  const after = await rows()
  t.match(after, [
    { delivery_id: first?.delivery_id, status: 'DELIVERED', attempts: 1, last_status_code: 200, attempts_log: [{ statusCode: 200 }] },
    { delivery_id: second?.delivery_id, status: 'DELIVERED', attempts: 1, last_status_code: 200, attempts_log: [{ statusCode: 200 }] },
  ], 'the log shows B\'s attempts only')
  t.equal(after[0]?.attempts_log.length, 1)
})

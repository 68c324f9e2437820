// DNS rebinding, with the real default send and insecure URLs OFF: the resolver answers a public address
// to the first question and 127.0.0.1 to the next. The check and the connection must use the same answer,
// so no connection ever reaches the loopback listener: the first attempt goes to the public address (and
// fails here, there is nothing to reach), the second is refused as loopback before any connection.
import { once } from 'node:events'
import net, { type AddressInfo } from 'node:net'
import t from 'tap'
import { WebhookDispatcher } from '../../src/outbound/dispatcher.js'
import type { Lookup } from '../../src/outbound/send.js'
import { WEBHOOK_OUTBOX } from '../../src/projections/webhook-outbox.js'
import { startTestApp, silentLogger } from '../helpers/app.js'

let now = new Date('2026-07-01T10:00:00.000Z')
const clock = { now: () => now }
const h = await startTestApp(t, { clock, webhooks: { start: false } })

// Anything connecting to 127.0.0.1:<port> is counted (and hung up on).
let connections = 0
const listener = net.createServer((socket) => {
  connections++
  socket.destroy()
})
listener.listen(0, '127.0.0.1')
await once(listener, 'listening')
t.teardown(() => new Promise((resolve) => listener.close(resolve)))
const port = (listener.address() as AddressInfo).port

const asked: string[] = []
const rebinding: Lookup = async (host) => {
  asked.push(host)
  return [{ address: asked.length === 1 ? '93.184.216.34' : '127.0.0.1' }]
}
// Short timeouts: the public address is not reachable from the test machine (or answers nothing useful).
const dispatcher = new WebhookDispatcher({
  pool: h.db.app.pool, box: h.box, clock, logger: silentLogger, lookup: rebinding, jitter: () => 0, owner: 'rebinding',
  timeoutMs: 500, dnsTimeoutMs: 500, claimMs: 5_000,
})
t.teardown(() => dispatcher.stop())

await h.agency('mof')
const token = await h.token('mof', ['CISO'], 'ciso')
const auth = { authorization: `Bearer ${token}` }
// `localhost` is a name, so it passes when subscribing; it is judged by what it resolves to at each attempt.
const created = await h.app.inject({ method: 'POST', url: '/api/webhook-subscriptions', headers: auth, payload: { url: `https://localhost:${port}/hook`, eventTypes: ['incident.reported'] } })
if (created.statusCode !== 201) throw new Error(created.body)
const sub = created.json() as { id: string }
const reported = await h.app.inject({ method: 'POST', url: '/api/incidents', headers: auth, payload: { title: 'x', description: 'y', detectedAt: '2026-07-01T09:00:00+09:00' } })
if (!(await h.reactions.waitFor(WEBHOOK_OUTBOX, 'mof', reported.json().position, 10_000))) throw new Error('the outbox did not queue the delivery')
const log = async () => (await h.db.app.pool.query('SELECT status, attempts, attempts_log, next_attempt_at FROM webhook_deliveries WHERE subscription_id = $1', [sub.id])).rows[0]

t.test('the first attempt connects only to the address that was checked', async (t) => {
  t.match(await dispatcher.pass(), { claimed: 1 })
  t.same(asked, ['localhost'], 'resolved once for the check and the connection')
  t.equal(connections, 0, 'no connection reached the 127.0.0.1 listener')
  const row = await log()
  t.match(row, { status: 'PENDING', attempts: 1 })
  t.notMatch(row.attempts_log[0].error, /UnsafeWebhookUrl/, 'not refused: it went (only) to the public address')
  now = new Date(row.next_attempt_at.getTime() + 1)
})

t.test('the next attempt resolves to 127.0.0.1 and is refused before connecting', async (t) => {
  t.match(await dispatcher.pass(), { claimed: 1 })
  t.equal(asked.length, 2)
  t.equal(connections, 0, 'still no connection to the listener')
  const row = await log()
  t.match(row, { status: 'PENDING', attempts: 2 })
  t.match(row.attempts_log[1], { statusCode: null, error: /^UnsafeWebhookUrl: localhost resolves to 127\.0\.0\.1, a loopback address/ })
})

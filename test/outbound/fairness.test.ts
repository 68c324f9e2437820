// Fairness: one agency's backlog behind hanging receivers must not stall the others. A big agency has 30
// due deliveries (3 subscriptions) queued before a small agency's one; the big agency's receivers hang. The
// small agency's delivery is still sent, the big agency never has more than `perAgency` (2) sends at once,
// no subscription ever has two in flight; once the receivers answer, everything is delivered.
import t from 'tap'
import { WebhookDispatcher } from '../../src/outbound/dispatcher.js'
import type { Send, SendRequest } from '../../src/outbound/send.js'
import { WEBHOOK_OUTBOX } from '../../src/projections/webhook-outbox.js'
import { startTestApp, silentLogger } from '../helpers/app.js'
import { until } from '../helpers/webhook-receiver.js'

let now = new Date('2026-07-01T10:00:00.000Z')
const clock = { now: () => now }
const h = await startTestApp(t, { clock, webhooks: { start: false } })

async function post(token: string, url: string, payload: object): Promise<{ id: string; position: number }> {
  const res = await h.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload })
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  return res.json()
}
const queued = async (agencyId: string, position: number) => {
  if (!(await h.reactions.waitFor(WEBHOOK_OUTBOX, agencyId, position, 10_000))) throw new Error(`the outbox did not reach ${agencyId}@${position}`)
}
const incident = { title: 'x', description: 'y', detectedAt: '2026-07-01T09:00:00+09:00' }

await h.agency('big')
await h.agency('small')
const big = await h.token('big', ['CISO'], 'big-ciso')
const small = await h.token('small', ['CISO'], 'small-ciso')
for (const n of [1, 2, 3]) await post(big, '/api/webhook-subscriptions', { url: `https://big-${n}.example.jp/hook`, eventTypes: ['incident.reported'] })
let last = 0
for (let i = 0; i < 10; i++) last = (await post(big, '/api/incidents', incident)).position
await queued('big', last)
now = new Date(now.getTime() + 1_000) // the small agency's delivery is the newest of all
await post(small, '/api/webhook-subscriptions', { url: 'https://small.example.jp/hook', eventTypes: ['incident.reported'] })
await queued('small', (await post(small, '/api/incidents', incident)).position)
now = new Date(now.getTime() + 60_000)

t.test('a hanging agency holds at most its share of senders; the others are still served', async (t) => {
  let release: () => void = () => undefined
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  const sent: string[] = []
  const inFlight = new Map<string, number>()
  const most = new Map<string, number>()
  const bump = (key: string, by: number) => {
    const n = (inFlight.get(key) ?? 0) + by
    inFlight.set(key, n)
    most.set(key, Math.max(most.get(key) ?? 0, n))
  }
  const send: Send = async (request: SendRequest) => {
    const host = new URL(request.url).hostname
    const agency = host.startsWith('big') ? 'big' : 'small'
    sent.push(host)
    bump(host, 1)
    bump(agency, 1)
    try {
      if (agency === 'big') await gate
      return { status: 204 }
    } finally {
      bump(host, -1)
      bump(agency, -1)
    }
  }
  const dispatcher = new WebhookDispatcher({
    pool: h.db.app.pool, box: h.box, clock, logger: silentLogger, send, lookup: async () => [{ address: '93.184.216.34' }], jitter: () => 0, owner: 'fair',
  })
  const pass = dispatcher.pass()
  try {
    await until(() => sent.includes('small.example.jp'), 'the small agency\'s delivery while the big agency\'s receivers hang', 5_000)
    t.pass('the small agency was served')
    await until(() => inFlight.get('big') === 2, 'two of the big agency\'s sends hanging', 5_000)
    await new Promise((resolve) => setTimeout(resolve, 200))
    t.equal(inFlight.get('big'), 2, 'the big agency holds 2 senders, no more, though 2 are free and it has 28 due')
    t.equal(sent.filter((s) => s.startsWith('big')).length, 2)
  } finally {
    release()
  }
  t.same(await pass, { claimed: 31, delivered: 31, retrying: 0, failed: 0 }, 'one pass delivers everything')
  t.ok((most.get('big') ?? 0) <= 2, 'never more than 2 of one agency at once')
  for (const n of [1, 2, 3]) t.equal(most.get(`big-${n}.example.jp`), 1, `big-${n}: one delivery in flight at a time`)
  t.equal(sent.filter((s) => s.startsWith('big')).length, 30)
})

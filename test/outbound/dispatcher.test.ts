// Outbound webhooks end to end, with a real local receiver (node:http on 127.0.0.1; insecure URLs allowed
// for it) and an injected clock: a reported incident reaches the receiver once, signed (Standard Webhooks)
// with every live secret, webhook-id = the delivery id of the log; 500 then 200 is retried only after the
// backoff; 410 fails at once; a manual retry delivers; the retry schedule ends in FAILED.
import t from 'tap'
import { verifyDelivery } from '../../src/siem/webhook-auth.js'
import { RETRY_SCHEDULE_MS } from '../../src/outbound/dispatcher.js'
import { startTestApp } from '../helpers/app.js'
import { startReceiver, until } from '../helpers/webhook-receiver.js'

let now = new Date('2026-07-01T10:00:00.000Z')
const clock = { now: () => now }
const h = await startTestApp(t, { clock, webhooks: { allowInsecureUrls: true } })
const receiver = await startReceiver()
t.teardown(() => receiver.close())

const auth = (token: string) => ({ authorization: `Bearer ${token}` })
async function post<T = Record<string, any>>(token: string, url: string, payload: object, status = 201): Promise<T> {
  const res = await h.app.inject({ method: 'POST', url, headers: auth(token), payload })
  if (res.statusCode !== status) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  return res.json() as T
}
async function gql(token: string, query: string, variables: object = {}) {
  const res = await h.app.inject({ method: 'POST', url: '/graphql', headers: auth(token), payload: { query, variables } })
  const body = res.json() as { data?: Record<string, any>; errors?: { message: string; extensions?: { code?: string } }[] }
  if (body.errors) throw new Error(JSON.stringify(body.errors))
  return body.data ?? {}
}
type Subscription = { id: string; secretId: string; secret: string; position: number }
/** An agency of its own per scenario, with an officer, subscribed at `path`. */
async function scenario(agencyId: string, path: string, eventTypes = ['incident.reported']) {
  await h.agency(agencyId)
  const token = await h.token(agencyId, ['CISO', 'CSIRT_HEAD'], `${agencyId}-boss`)
  const sub = await post<Subscription>(token, '/api/webhook-subscriptions', { url: `http://127.0.0.1:${receiver.port}${path}`, eventTypes, description: 'SOC' })
  return { token, sub }
}
const report = (token: string, title = 'Phishing mail opened') =>
  post<{ incidentId: string; position: number }>(token, '/api/incidents', { title, description: 'not sent', detectedAt: '2026-07-01T09:00:00+09:00', initialSeverity: 'medium' })
const DELIVERIES = `query($s: ID!) { webhookDeliveries(filter: { subscriptionId: $s }) { edges { node {
  id eventType eventId payload status attempts nextAttemptAt lastStatusCode lastError deliveredAt attemptsLog { at statusCode ms error } } } } }`
const deliveriesOf = async (token: string, subscriptionId: string) =>
  (await gql(token, DELIVERIES, { s: subscriptionId })).webhookDeliveries.edges.map((e: { node: Record<string, any> }) => e.node) as Record<string, any>[]
const verify = (secrets: string[], r: { raw: Buffer; headers: Record<string, unknown> }) =>
  verifyDelivery('standard-webhooks', secrets, { raw: r.raw, headers: r.headers as Record<string, string>, nowMs: now.getTime() })

t.test('a reported incident reaches the receiver once, signed, with the delivery id as webhook-id', async (t) => {
  const { token, sub } = await scenario('a1', '/ok')
  const incident = await report(token)
  const [got] = await until(() => receiver.at('/ok').length > 0 && receiver.at('/ok'), 'the delivery')
  t.ok(got)
  if (!got) return
  t.same(verify([sub.secret], got), { ok: true, secretIndex: 0 }, 'the signature verifies with the subscription secret')
  t.same(verify(['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], got), { ok: false, reason: 'BadSignature' })
  t.equal(got.headers['content-type'], 'application/json')
  t.match(got.headers['user-agent'], /^cs-record-webhooks\//)
  t.equal(got.headers['webhook-timestamp'], String(Math.floor(now.getTime() / 1000)), 'the timestamp comes from the clock')
  const body = JSON.parse(got.raw.toString('utf8'))
  t.match(body, { type: 'incident.reported', timestamp: /^\d{4}-\d\d-\d\dT/, data: { agencyId: 'a1', incidentId: incident.incidentId, title: 'Phishing mail opened', severity: 'medium', source: 'EMPLOYEE' } })
  const [delivery] = await until(async () => {
    const d = await deliveriesOf(token, sub.id)
    return d[0]?.status === 'DELIVERED' && d
  }, 'DELIVERED in the log')
  t.equal(got.headers['webhook-id'], delivery?.id, 'webhook-id is the delivery id of the log')
  t.match(delivery, { eventType: 'incident.reported', attempts: 1, lastStatusCode: 200, lastError: null, deliveredAt: now.toISOString(), nextAttemptAt: null })
  t.same(JSON.parse(delivery?.payload), body, 'the log holds the envelope sent')
  t.same(delivery?.attemptsLog.map((a: { statusCode: number }) => a.statusCode), [200])
  t.same(await h.dispatcher.pass(), { claimed: 0, delivered: 0, retrying: 0, failed: 0 }, 'nothing left to send')
  t.equal(receiver.at('/ok').length, 1, 'exactly one POST')
})

t.test('rotation: every live secret signs until the old one is retired', async (t) => {
  const { token, sub } = await scenario('a2', '/rotated')
  const rotated = await post<Subscription>(token, `/api/webhook-subscriptions/${sub.id}/secrets`, {})
  t.not(rotated.secret, sub.secret)
  await report(token)
  const [got] = await until(() => receiver.at('/rotated').length === 1 && receiver.at('/rotated'), 'the delivery')
  t.equal(String(got?.headers['webhook-signature']).split(' ').length, 2, 'two signatures, space-separated')
  t.same(verify([sub.secret], got!), { ok: true, secretIndex: 0 }, 'the old secret alone verifies')
  t.same(verify([rotated.secret], got!), { ok: true, secretIndex: 0 }, 'the new secret alone verifies')
  await post(token, `/api/webhook-subscriptions/${sub.id}/secrets/retirement`, { secretId: sub.secretId }, 200)
  await report(token, 'Second')
  const second = await until(() => receiver.at('/rotated')[1], 'the second delivery')
  t.equal(String(second.headers['webhook-signature']).split(' ').length, 1)
  t.same(verify([sub.secret], second), { ok: false, reason: 'BadSignature' }, 'the retired secret no longer signs')
  t.same(verify([rotated.secret], second), { ok: true, secretIndex: 0 })
})

t.test('500 then 200: retried only once the clock has passed the backoff', async (t) => {
  const { token, sub } = await scenario('a3', '/flaky')
  receiver.answer('/flaky', 500)
  const failedAt = now
  await report(token)
  const [first] = await until(async () => {
    const d = await deliveriesOf(token, sub.id)
    return d[0]?.attempts === 1 && d
  }, 'the first attempt')
  t.match(first, { status: 'PENDING', lastStatusCode: 500, lastError: 'HTTP 500', nextAttemptAt: new Date(failedAt.getTime() + RETRY_SCHEDULE_MS[0]).toISOString() })
  t.same(await h.dispatcher.pass(), { claimed: 0, delivered: 0, retrying: 0, failed: 0 }, 'not due yet')
  now = new Date(failedAt.getTime() + 4_000)
  t.same(await h.dispatcher.pass(), { claimed: 0, delivered: 0, retrying: 0, failed: 0 }, 'still not due 4 s later')
  t.equal(receiver.at('/flaky').length, 1)
  now = new Date(failedAt.getTime() + 6_000)
  h.dispatcher.wake()
  const [done] = await until(async () => {
    const d = await deliveriesOf(token, sub.id)
    return d[0]?.status === 'DELIVERED' && d
  }, 'the second attempt')
  t.equal(receiver.at('/flaky').length, 2)
  t.same(done?.attemptsLog.map((a: { statusCode: number; at: string }) => [a.statusCode, a.at]), [[500, failedAt.toISOString()], [200, now.toISOString()]], 'two attempts logged')
  t.equal(done?.attempts, 2)
  t.equal(receiver.at('/flaky')[0]?.headers['webhook-id'], receiver.at('/flaky')[1]?.headers['webhook-id'], 'the same webhook-id on every attempt')
})

t.test('410 Gone fails at once; a manual retry delivers and is recorded', async (t) => {
  const { token, sub } = await scenario('a4', '/gone')
  receiver.answer('/gone', 410)
  await report(token)
  const [failed] = await until(async () => {
    const d = await deliveriesOf(token, sub.id)
    return d[0]?.status === 'FAILED' && d
  }, 'FAILED')
  t.match(failed, { attempts: 1, lastStatusCode: 410, lastError: /410/, nextAttemptAt: null })
  const retried = await gql(token, 'mutation($d: ID!) { retryWebhookDelivery(deliveryId: $d) { id position } }', { d: failed?.id })
  t.equal(retried.retryWebhookDelivery.id, failed?.id)
  const [done] = await until(async () => {
    const d = await deliveriesOf(token, sub.id)
    return d[0]?.status === 'DELIVERED' && d
  }, 'delivered after the retry')
  t.same(done?.attemptsLog.map((a: { statusCode: number }) => a.statusCode), [410, 200])
  const audit = (await h.store.readAgency('a4', 0, 1000)).filter((e) => e.type === 'WebhookDeliveryRetryRequested')
  t.match(audit.map((e) => e.data), [{ subscriptionId: sub.id, deliveryId: failed?.id, requestedBy: 'a4-boss' }], 'who retried is on the subscription stream')
  const again = await h.app.inject({ method: 'POST', url: `/api/webhook-deliveries/${failed?.id}/retry`, headers: auth(token) })
  t.equal(again.json().code, 'WebhookDeliveryNotFailed', 'a delivered one is not retried')
})

t.test('the retry schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then FAILED', async (t) => {
  const { token, sub } = await scenario('a5', '/down')
  receiver.answer('/down', ...Array<number>(8).fill(503))
  await report(token)
  const waits: number[] = []
  for (let attempt = 1; attempt <= 8; attempt++) {
    const row = await until(async () => (await deliveriesOf(token, sub.id)).find((d) => d.attempts === attempt), `attempt ${attempt}`)
    if (row.status === 'FAILED') break
    waits.push(Date.parse(row.nextAttemptAt) - now.getTime())
    now = new Date(Date.parse(row.nextAttemptAt))
    h.dispatcher.wake()
  }
  t.same(waits, [...RETRY_SCHEDULE_MS])
  const [last] = await deliveriesOf(token, sub.id)
  t.match(last, { status: 'FAILED', attempts: 8, lastStatusCode: 503, lastError: /gave up after 8 failed attempts/, nextAttemptAt: null })
  t.equal(receiver.at('/down').length, 8)
})

t.test('disabling cancels what is pending and sends nothing more', async (t) => {
  const { token, sub } = await scenario('a6', '/disabled')
  receiver.answer('/disabled', 500)
  await report(token)
  await until(async () => (await deliveriesOf(token, sub.id))[0]?.attempts === 1, 'the first attempt')
  await post(token, `/api/webhook-subscriptions/${sub.id}/disable`, { reason: 'receiver retired' }, 200)
  await h.settleAll('a6')
  now = new Date(now.getTime() + 60_000)
  await h.dispatcher.pass()
  const [d] = await deliveriesOf(token, sub.id)
  t.match(d, { status: 'FAILED', attempts: 1, lastError: 'subscription disabled: not sent' })
  t.equal(receiver.at('/disabled').length, 1)
})

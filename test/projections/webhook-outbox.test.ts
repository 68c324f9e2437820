// The outbound webhook outbox: exactly one delivery per (subscription, event), only for events after the
// subscription was created and before it was disabled, only of its own agency, with the Standard Webhooks
// envelope; applying the same events again queues nothing more.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import { identityTables, type ProjectedEvent } from '../../src/projections/types.js'
import { deliveryIdOf, webhookOutboxProjection } from '../../src/projections/webhook-outbox.js'
import { startTestApp } from '../helpers/app.js'

const h = await startTestApp(t, { webhooks: { start: false } })
await h.agency('mof')
await h.agency('mic')
const boss = await h.token('mof', ['CISO', 'CSIRT_HEAD'], 'boss')
const other = await h.token('mic', ['CISO'], 'kato')
const auth = (token: string) => ({ authorization: `Bearer ${token}` })
const post = async (token: string, url: string, payload: object) => {
  const res = await h.app.inject({ method: 'POST', url, headers: auth(token), payload })
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  return res.json() as { id: string; incidentId: string; position: number }
}
const report = (token: string, title: string) => post(token, '/api/incidents', { title, description: 'details that never leave', detectedAt: '2026-07-01T09:00:00+09:00', initialSeverity: 'high' })
const subscribe = (token: string, eventTypes: string[]) => post(token, '/api/webhook-subscriptions', { url: 'https://receiver.example.jp/hook', eventTypes })
type Row = { subscription_id: string; event_type: string; status: string; payload: { type: string; timestamp: string; data: Record<string, unknown> }; delivery_id: string; event_id: string; last_error: string | null }
const deliveries = async (subscriptionId: string) =>
  (await h.db.app.pool.query<Row>('SELECT * FROM webhook_deliveries WHERE subscription_id = $1 ORDER BY event_position', [subscriptionId])).rows

const a = await report(boss, 'Before any subscription')
const s1 = await subscribe(boss, ['incident.reported', 'incident.closed'])
const s2 = await subscribe(boss, ['incident.triaged'])
const s3 = await subscribe(other, ['incident.reported'])
const s5 = await subscribe(boss, ['incident.reported'])
const b = await report(boss, 'Phishing mail opened')
await post(boss, `/api/incidents/${b.incidentId}/triage`, { assessment: 'INCIDENT', severity: 'critical', rationale: 'confirmed' })
const c = await report(other, 'In another agency')
await post(boss, `/api/webhook-subscriptions/${s5.id}/disable`, { reason: 'receiver retired' })
const d = await report(boss, 'After the disabling')
await h.settleAll('mof')
await h.settleAll('mic')

t.test('one delivery per (subscription, event), only after creation', async (t) => {
  const one = await deliveries(s1.id)
  t.same(one.map((r) => [r.event_type, r.payload.data.incidentId]), [['incident.reported', b.incidentId], ['incident.reported', d.incidentId]], 'not the incident reported before it')
  t.notOk(one.some((r) => r.payload.data.incidentId === a.incidentId))
  t.same((await deliveries(s2.id)).map((r) => [r.event_type, r.payload.data.incidentId]), [['incident.triaged', b.incidentId]], 'only the types it names')
  for (const r of one) t.equal(r.delivery_id, deliveryIdOf(s1.id, r.event_id), 'the id is derived from (subscription, event)')
  const [first] = one
  t.match(first?.payload, { type: 'incident.reported', timestamp: /^\d{4}-\d\d-\d\dT/, data: { agencyId: 'mof', position: Number, eventId: first?.event_id, incidentId: b.incidentId, title: 'Phishing mail opened', source: 'EMPLOYEE', severity: 'high' } })
  t.notOk(JSON.stringify(one).includes('details that never leave'), 'no free text beyond the title')
  t.equal(first?.status, 'PENDING')
})

t.test('another agency\'s events never; a disabled subscription gets none and its queue is cancelled', async (t) => {
  t.same((await deliveries(s3.id)).map((r) => r.payload.data.incidentId), [c.incidentId], 'mic sees only its own incident')
  const five = await deliveries(s5.id)
  t.same(five.map((r) => r.payload.data.incidentId), [b.incidentId], 'nothing after the disabling')
  t.same(five.map((r) => [r.status, r.last_error]), [['FAILED', 'subscription disabled: not sent']], 'what was still pending is cancelled')
  const { rows } = await h.db.app.pool.query('SELECT subscription_id, disabled_at IS NOT NULL AS disabled FROM webhook_subscriptions WHERE agency_id = $1 ORDER BY created_position', ['mof'])
  t.same(rows.map((r: { disabled: boolean }) => r.disabled), [false, false, true])
})

t.test('applying the same events again queues nothing more (exactly once)', async (t) => {
  const events = (await h.store.readAgency('mof', 0, 10_000)).filter((e) => webhookOutboxProjection.eventTypes.includes(e.type))
  const before = Number((await h.db.app.pool.query('SELECT count(*) FROM webhook_deliveries')).rows[0].count)
  const client = await h.db.app.pool.connect()
  try {
    await client.query('BEGIN')
    await webhookOutboxProjection.apply(client, events, identityTables(webhookOutboxProjection.tables))
    await client.query('COMMIT')
  } finally {
    client.release()
  }
  t.equal(Number((await h.db.app.pool.query('SELECT count(*) FROM webhook_deliveries')).rows[0].count), before)
})

t.test('within one batch, log order decides: an event before the creation is not delivered', async (t) => {
  const subscriptionId = `zz.${randomUUID()}`
  const ev = (position: number, type: string, data: Record<string, unknown>, streamId: string): ProjectedEvent => ({
    agencyId: 'zz', position, streamId, streamType: streamId.split('-')[0] ?? '', streamVersion: 1, eventId: randomUUID(), type, schemaVersion: 1, data: data as never,
    metadata: { actor: { id: 'x', roles: [] }, correlationId: 'c', source: 'test', commandType: 'x' }, recordedAt: `2026-07-01T00:00:0${position}.000Z`,
  })
  const reported = (position: number) => ev(position, 'IncidentReported', { incidentId: `i${position}`, title: `t${position}`, source: 'EMPLOYEE', detectedAt: '2026-07-01T00:00:00Z' }, `incident-i${position}`)
  const batch = [
    reported(1),
    ev(2, 'WebhookSubscriptionCreated', { subscriptionId, url: 'https://r.example.jp/', eventTypes: ['incident.reported'], secretId: randomUUID(), createdBy: 'x', at: '2026-07-01T00:00:02.000Z' }, `webhook-subscription-${subscriptionId}`),
    reported(3),
    ev(4, 'WebhookSubscriptionDisabled', { subscriptionId, disabledBy: 'x', at: '2026-07-01T00:00:04.000Z' }, `webhook-subscription-${subscriptionId}`),
    reported(5),
  ]
  const client = await h.db.owner.pool.connect()
  try {
    await client.query('BEGIN')
    await webhookOutboxProjection.apply(client, batch, identityTables(webhookOutboxProjection.tables))
    const { rows } = await client.query<Row & { event_position: string }>('SELECT * FROM webhook_deliveries WHERE subscription_id = $1', [subscriptionId])
    t.same(rows.map((r) => [Number(r.event_position), r.status]), [[3, 'FAILED']], 'position 3 only, cancelled by the disabling at 4')
    await client.query('ROLLBACK')
  } finally {
    client.release()
  }
})

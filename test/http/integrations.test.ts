// SIEM integrations end to end: an integration created with its secret shown once (never in events or
// reads), signed deliveries accepted (202, one alert stream per alert, a repeat updates), refusals
// recorded without the body, rotation, disabling, size and payload errors.
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import t from 'tap'
import { standardWebhookSignature } from '../../src/siem/webhook-auth.js'
import { startTestApp } from '../helpers/app.js'

const fixture = (name: string) => readFileSync(new URL(`../siem/fixtures/${name}`, import.meta.url))
let now = new Date('2026-07-01T10:00:00Z')
const clock = { now: () => now }
const h = await startTestApp(t, { clock })
await h.agency('mof')
await h.agency('mic')
const csirt = await h.token('mof', ['CSIRT_HEAD'], 'csirt')
const clerk = await h.token('mof', [], 'clerk')
const other = await h.token('mic', ['CISO'], 'kato')
const auth = (token: string) => ({ authorization: `Bearer ${token}` })
const post = (token: string, url: string, payload: object) => h.app.inject({ method: 'POST', url, headers: auth(token), payload })
const get = async (token: string, url: string) => (await h.app.inject({ method: 'GET', url, headers: auth(token) })).json()
const nowS = () => Math.floor(now.getTime() / 1000)
function signed(secret: string, raw: Buffer, id = 'msg_1', extra: Record<string, string> = {}) {
  return { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(nowS()), 'webhook-signature': standardWebhookSignature(secret, id, nowS(), raw), ...extra }
}
const deliver = (integrationId: string, payload: Buffer | string, headers: Record<string, string>, suffix = '') =>
  h.app.inject({ method: 'POST', url: `/webhooks/${integrationId}${suffix}`, headers, payload })
async function allEvents(agencyId: string) {
  return h.store.readAgency(agencyId, 0, 10_000)
}

const created = await post(csirt, '/api/integrations', { name: 'Prometheus', format: 'alertmanager', authMode: 'standard-webhooks' })
const am = created.json() as { id: string; secretId: string; secret: string; position: number; webhookPath: string }

t.test('creating an integration shows its secret once, never in events or reads', async (t) => {
  t.equal(created.statusCode, 201, created.body)
  t.match(am.id, /^mof\.[0-9a-f-]{36}$/, 'the id names the agency')
  t.match(am.secret, /^whsec_[A-Za-z0-9+/]{32}$/)
  t.equal(am.webhookPath, `/webhooks/${am.id}`)
  const events = JSON.stringify(await allEvents('mof'))
  t.ok(events.includes('IntegrationCreated'))
  t.notOk(events.includes(am.secret.slice(6)), 'no event holds the secret')
  const one = await get(csirt, `/api/integrations/${am.id}?minPosition=${am.position}`)
  t.same(one.secrets.map((s: { secretId: string }) => s.secretId), [am.secretId])
  t.equal(one.severityThreshold, 'medium')
  t.notOk(JSON.stringify(one).includes(am.secret.slice(6)), 'the read model has no secret')
  const { rows } = await h.db.app.pool.query('SELECT ciphertext::text AS c FROM integration_secrets')
  t.notOk(JSON.stringify(rows).includes(Buffer.from(am.secret).toString('hex')), 'stored encrypted')
  t.equal((await post(clerk, '/api/integrations', { name: 'x', format: 'cef', authMode: 'bearer' })).statusCode, 403, 'a role is needed')
  t.equal((await get(other, `/api/integrations/${am.id}`)).code, 'IntegrationNotFound', 'another agency cannot see it')
})

t.test('a signed Alertmanager delivery with two alerts, then the same again', async (t) => {
  const raw = fixture('alertmanager-v4.json')
  const first = await deliver(am.id, raw, signed(am.secret, raw))
  t.equal(first.statusCode, 202, first.body)
  const body = first.json() as { accepted: number; alerts: { alertId: string; status: string }[] }
  t.equal(body.accepted, 2)
  t.same(body.alerts.map((a) => a.status), ['NEW', 'NEW'])
  const received = (await allEvents('mof')).filter((e) => e.type === 'AlertReceived')
  t.equal(received.length, 2)
  t.equal(received[0]?.metadata.source, 'webhook')
  t.match(received[0]?.data, { integrationId: am.id, payloadSha256: /^[0-9a-f]{64}$/ })
  const again = await deliver(am.id, raw, signed(am.secret, raw, 'msg_2'))
  t.equal(again.statusCode, 202)
  const repeat = again.json() as typeof body
  t.same(repeat.alerts.map((a) => a.alertId), body.alerts.map((a) => a.alertId), 'the same streams')
  t.same(repeat.alerts.map((a) => a.status), ['UPDATED', 'RESOLVED'])
  const streams = new Set((await allEvents('mof')).filter((e) => e.streamType === 'alert').map((e) => e.streamId))
  t.equal(streams.size, 2, 'no new alert stream')
  const alerts = await get(csirt, `/api/alerts?minPosition=${(again.json() as { position: number }).position}`)
  t.equal(alerts.items.length, 2)
  t.same(alerts.items.map((a: { deliveries: number }) => a.deliveries), [2, 2])
  t.equal((await get(csirt, '/api/alerts?resolved=true')).items.length, 1)
  t.equal((await get(other, '/api/alerts')).items.length, 0, 'another agency sees none')
})

t.test('refusals: bad signature, stale, unreadable, legacy Grafana, too large, unknown', async (t) => {
  const raw = fixture('alertmanager-v4.json')
  const bad = await deliver(am.id, raw, signed('whsec_b2xkb2xkb2xkb2xkb2xkb2xkb2xk', raw))
  t.equal(bad.statusCode, 401)
  t.equal(bad.json().code, 'BadSignature')
  t.equal(bad.headers['content-type'], 'application/problem+json; charset=utf-8')
  const refused = (await allEvents('mof')).filter((e) => e.type === 'DeliveryRefused')
  t.equal(refused.length, 1)
  t.match(refused[0]?.data, { integrationId: am.id, reason: 'BadSignature', sourceAddress: '127.0.0.1' })
  t.notOk(JSON.stringify(refused).includes('groupKey'), 'the body is not stored')
  t.match(refused[0]?.streamId, new RegExp(`^integration-${am.id.replace('.', '\\.')}-refusal-[0-9a-f-]{36}$`), 'a stream of its own, not the one every delivery reads')
  const stale = signed(am.secret, raw)
  now = new Date(now.getTime() + 301_000)
  t.equal((await deliver(am.id, raw, stale)).json().code, 'StaleSignature')
  t.equal((await deliver(am.id, raw, { 'content-type': 'application/json' })).json().code, 'MissingCredentials')
  const broken = Buffer.from('{"version": "4",')
  const unreadable = await deliver(am.id, broken, signed(am.secret, broken))
  t.equal(unreadable.statusCode, 400)
  t.equal(unreadable.json().code, 'UnreadablePayload')
  const shape = Buffer.from('{"hello": 1}')
  t.equal((await deliver(am.id, shape, signed(am.secret, shape))).statusCode, 422)
  const last = (await allEvents('mof')).filter((e) => e.type === 'DeliveryRefused').at(-1)
  t.match(last?.data, { reason: 'UnsupportedShape', payloadSha256: /^[0-9a-f]{64}$/ })
  const huge = Buffer.alloc(1024 * 1024 + 10, 32)
  t.equal((await deliver(am.id, huge, signed(am.secret, huge))).statusCode, 413)
  t.equal((await deliver(am.id, raw, { ...signed(am.secret, raw), 'content-type': 'text/html' })).statusCode, 415, 'an unknown content type')
  t.equal((await deliver('mof.00000000-0000-4000-8000-000000000000', raw, signed(am.secret, raw))).json().code, 'IntegrationNotFound')
  t.equal((await deliver('nonsense', raw, signed(am.secret, raw))).statusCode, 404)
})

t.test('legacy Grafana is refused with its code', async (t) => {
  const g = (await post(csirt, '/api/integrations', { name: 'Grafana', format: 'grafana', authMode: 'grafana-hmac' })).json() as typeof am
  const raw = fixture('grafana-legacy.json')
  const res = await deliver(g.id, raw, { 'content-type': 'application/json', 'x-grafana-alerting-signature': createHmac('sha256', g.secret).update(raw).digest('hex') })
  t.equal(res.statusCode, 422)
  t.equal(res.json().code, 'LegacyGrafanaPayload')
})

t.test('a Splunk delivery with the token in the URL', async (t) => {
  const s = (await post(csirt, '/api/integrations', { name: 'Splunk', format: 'splunk', authMode: 'url-token', defaultSeverity: 'low' })).json() as typeof am
  const raw = fixture('splunk.json')
  const ok = await deliver(s.id, raw, { 'content-type': 'application/json' }, `/${s.secret}`)
  t.equal(ok.statusCode, 202, ok.body)
  t.equal(ok.json().accepted, 1)
  t.equal((await deliver(s.id, raw, { 'content-type': 'application/json' }, '/wrong')).json().code, 'BadCredentials')
})

t.test('rotation: old and new secrets both valid until the old is retired; disabling', async (t) => {
  const b = (await post(csirt, '/api/integrations', { name: 'Wazuh', format: 'wazuh', authMode: 'bearer' })).json() as typeof am
  const raw = fixture('wazuh-alert.json')
  const bearer = (secret: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${secret}` })
  const rotated = await post(csirt, `/api/integrations/${b.id}/secrets`, {})
  t.equal(rotated.statusCode, 201, rotated.body)
  const next = rotated.json() as typeof am
  t.not(next.secret, b.secret)
  t.equal((await deliver(b.id, raw, bearer(b.secret))).statusCode, 202, 'the old secret still works')
  t.equal((await deliver(b.id, raw, bearer(next.secret))).statusCode, 202, 'the new secret works')
  const retired = await post(csirt, `/api/integrations/${b.id}/secrets/retirement`, { secretId: b.secretId })
  t.equal(retired.statusCode, 200, retired.body)
  t.equal((await deliver(b.id, raw, bearer(b.secret))).json().code, 'BadCredentials', 'the retired secret is refused')
  t.equal((await deliver(b.id, raw, bearer(next.secret))).statusCode, 202)
  t.equal((await post(csirt, `/api/integrations/${b.id}/secrets/retirement`, { secretId: next.secretId })).json().code, 'LastSecret')
  t.equal((await post(csirt, `/api/integrations/${b.id}/secrets/retirement`, { secretId: b.secretId })).json().code, 'SecretNotFound')
  const one = await get(csirt, `/api/integrations/${b.id}?minPosition=${(retired.json() as { position: number }).position}`)
  t.same(one.secrets.map((s: { retiredAt: string | null }) => s.retiredAt !== null), [true, false])
  t.equal((await post(csirt, `/api/integrations/${b.id}/disable`, {})).statusCode, 200)
  t.equal((await deliver(b.id, raw, bearer(next.secret))).statusCode, 404, 'a disabled integration is not found')
  t.equal((await post(csirt, `/api/integrations/${b.id}/secrets`, {})).json().code, 'IntegrationDisabled')
})

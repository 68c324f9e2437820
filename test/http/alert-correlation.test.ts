// SIEM alerts into incidents, end to end: a signed delivery opens an incident (visible over REST and
// GraphQL, with the alert and its link on the timeline); the same delivery again changes nothing; alerts of
// the same rule and asset within the window join it; a resolved notice shows on the incident; the
// threshold, the window and closed incidents decide when a new one opens; a repeated reaction appends nothing.
import t from 'tap'
import { correlate } from '../../src/application/alert-correlation.js'
import { standardWebhookSignature } from '../../src/siem/webhook-auth.js'
import { startTestApp } from '../helpers/app.js'

let now = new Date('2026-07-01T10:00:00Z')
const clock = { now: () => now }
const h = await startTestApp(t, { clock })
await h.agency('mof')
await h.agency('mic')
const csirt = await h.token('mof', ['CSIRT_HEAD'], 'csirt')
const other = await h.token('mic', ['CISO'], 'kato')
const auth = (token: string) => ({ authorization: `Bearer ${token}` })
const post = (token: string, url: string, payload: object) => h.app.inject({ method: 'POST', url, headers: auth(token), payload })
const get = async (token: string, url: string) => (await h.app.inject({ method: 'GET', url, headers: auth(token) })).json()
const gql = async (token: string, query: string, variables: object = {}) =>
  (await h.app.inject({ method: 'POST', url: '/graphql', headers: auth(token), payload: { query, variables } })).json() as { data: Record<string, any>; errors?: unknown[] }

/** An OCSF Detection Finding; `minute` is minutes after 09:00 UTC on 1 July. */
function finding(uid: string, o: { severityId?: number; rule?: string; asset?: string; minute?: number; resolved?: boolean; title?: string } = {}) {
  const time = Date.parse('2026-07-01T09:00:00Z') + (o.minute ?? 0) * 60_000
  return {
    class_uid: 2004, severity_id: o.severityId ?? 4, status_id: o.resolved ? 4 : 1, time,
    finding_info: { uid, title: o.title ?? `Finding ${uid}`, first_seen_time: time, src_url: `https://falcon.example.com/detections/${uid}`, analytic: { uid: o.rule ?? 'rule-1' } },
    resources: [{ name: o.asset ?? 'WS-0207' }],
  }
}

const created = await post(csirt, '/api/integrations', { name: 'Falcon', format: 'ocsf', authMode: 'standard-webhooks', correlationWindowMinutes: 30 })
const ocsf = created.json() as { id: string; secret: string }
let messages = 0
async function deliver(findings: object | object[], secret = ocsf.secret, id = `msg_${++messages}`) {
  const raw = Buffer.from(JSON.stringify(findings))
  const ts = Math.floor(now.getTime() / 1000)
  const res = await h.app.inject({
    method: 'POST', url: `/webhooks/${ocsf.id}`, payload: raw,
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': standardWebhookSignature(secret, id, ts, raw) },
  })
  await h.settleAll('mof')
  return res
}
const incidents = async () => (await get(csirt, '/api/incidents?first=100')).items as { id: string; source: string; alertCount: number; openAlertCount: number; severity: string; title: string; status: string; affectedSystems: string[] }[]
const alertByExternal = async (externalId: string) => (await get(csirt, `/api/alerts?externalId=${encodeURIComponent(externalId)}`)).items[0] as { id: string; incidentId: string | null; deliveries: number; resolved: boolean }
const head = async () => (await h.store.readAgency('mof', 0, 100_000)).at(-1)?.position ?? 0

t.test('the integration keeps its correlation window', async (t) => {
  t.equal(created.statusCode, 201, created.body)
  await h.settleAll('mof')
  t.equal((await get(csirt, `/api/integrations/${ocsf.id}`)).correlationWindowMinutes, 30)
})

let firstIncident = ''
t.test('a signed delivery opens an incident; the same delivery again changes nothing', async (t) => {
  const res = await deliver(finding('f-1'))
  t.equal(res.statusCode, 202, res.body)
  const list = await incidents()
  t.equal(list.length, 1)
  const inc = list[0]!
  firstIncident = inc.id
  t.match(inc, { source: 'SIEM', severity: 'high', title: 'Finding f-1', alertCount: 1, openAlertCount: 1, status: 'REPORTED', affectedSystems: ['WS-0207'] })
  const alert = await alertByExternal('f-1')
  t.equal(alert.incidentId, inc.id, 'the alert names its incident')
  const timeline = (await get(csirt, `/api/incidents/${inc.id}/timeline`)).items as { type: string; data: Record<string, unknown>; actor: { id: string }; source: string; causationId: string }[]
  t.same(timeline.map((e) => e.type), ['IncidentReported', 'IncidentAlertLinked'])
  t.match(timeline[1], { data: { externalId: 'f-1', link: 'https://falcon.example.com/detections/f-1', opened: true }, actor: { id: `integration:${ocsf.id}` }, source: 'webhook' })
  const received = (await h.store.readAgency('mof', 0, 100_000)).find((e) => e.type === 'AlertReceived')
  t.equal(timeline[0]?.causationId, received?.eventId, 'caused by the alert event')

  // The same delivery again (a sender retrying: same webhook-id): the first answer, nothing recorded.
  const before = await head()
  const redelivered = await deliver(finding('f-1'), ocsf.secret, 'msg_1')
  t.equal(redelivered.statusCode, 202)
  t.same(redelivered.json(), { ...res.json(), replayed: true })
  t.equal(await head(), before, 'nothing appended')
  t.equal((await alertByExternal('f-1')).deliveries, 1)
  // The same alert in a new delivery (a tool re-sending a firing alert): the alert is updated, no second incident.
  const again = await deliver(finding('f-1'))
  t.equal(again.statusCode, 202)
  t.equal(again.json().alerts[0].status, 'UPDATED')
  t.equal(again.json().replayed, false)
  t.equal((await incidents()).length, 1, 'no second incident')
  t.equal((await alertByExternal('f-1')).deliveries, 2)
  t.equal(await head(), before + 1, 'only the AlertUpdated event was appended')
})

t.test('a bad signature is refused and recorded; it does not use up the delivery id', async (t) => {
  const before = await head()
  const bad = await deliver(finding('f-x'), 'whsec_b2xkb2xkb2xkb2xkb2xkb2xkb2xk', 'msg_bad')
  t.equal(bad.statusCode, 401)
  t.equal(bad.json().code, 'BadSignature')
  const events = (await h.store.readAgency('mof', before, 100)).map((e) => e.type)
  t.same(events, ['DeliveryRefused'])
  t.equal((await incidents()).length, 1)
  const shape = await deliver({ class_uid: 2004 }, ocsf.secret, 'msg_shape')
  t.equal(shape.statusCode, 422)
  const { rows } = await h.db.app.pool.query('SELECT count(*)::int AS n FROM webhook_receipts')
  t.equal(rows[0].n, 2, 'only the accepted deliveries (msg_1, msg_2) are remembered')
})

t.test('alerts of the same rule and asset within the window join; below the threshold they join but never open', async (t) => {
  await deliver([finding('f-2', { minute: 20 }), finding('f-3', { minute: 45, severityId: 2 })])
  const list = await incidents()
  t.equal(list.length, 1, 'both joined the first incident (the window slides: f-3 is 25 minutes after f-2)')
  t.match(list[0], { id: firstIncident, alertCount: 3, openAlertCount: 3 })
  t.equal((await alertByExternal('f-3')).incidentId, firstIncident)
  // Another asset: a group of its own. Low severity: opens nothing.
  await deliver(finding('f-4', { asset: 'WS-9999', severityId: 2 }))
  t.equal((await incidents()).length, 1)
  t.equal((await alertByExternal('f-4')).incidentId, null, 'below the threshold with nothing to join')
})

t.test('a resolved notice resolves the alert and shows on the incident', async (t) => {
  await deliver(finding('f-2', { minute: 20, resolved: true }))
  const inc = (await incidents()).find((i) => i.id === firstIncident)
  t.match(inc, { alertCount: 3, openAlertCount: 2 })
  const timeline = (await get(csirt, `/api/incidents/${firstIncident}/timeline`)).items as { type: string; data: Record<string, unknown> }[]
  t.match(timeline.at(-1), { type: 'IncidentAlertResolved', data: { alertId: (await alertByExternal('f-2')).id } })
  const before = await head()
  await deliver(finding('f-2', { minute: 20, resolved: true }))
  t.equal(await head(), before + 1, 'a repeated resolution: only the delivery is recorded')
})

t.test('GraphQL shows the incident with its alerts and links, and the alerts with their incident', async (t) => {
  const res = await gql(csirt, `query($id: ID!) { incident(id: $id) { source alertCount openAlertCount alerts(first: 10) { edges { node { externalId link resolved incidentId } } } } }`, { id: firstIncident })
  t.notOk(res.errors, JSON.stringify(res.errors))
  const inc = res.data.incident
  t.match(inc, { source: 'SIEM', alertCount: 3, openAlertCount: 2 })
  const nodes = inc.alerts.edges.map((e: { node: object }) => e.node) as { externalId: string; link: string; resolved: boolean; incidentId: string }[]
  t.same(nodes.map((n) => n.externalId).sort(), ['f-1', 'f-2', 'f-3'])
  t.ok(nodes.every((n) => n.incidentId === firstIncident && n.link.startsWith('https://falcon.example.com/detections/')))
  t.same(nodes.filter((n) => n.resolved).map((n) => n.externalId), ['f-2'])
  const byFilter = await gql(csirt, `query($id: ID!) { alerts(filter: { incidentId: $id }) { edges { node { externalId } } } }`, { id: firstIncident })
  t.equal(byFilter.data.alerts.edges.length, 3)
  const theirs = await gql(other, `query($id: ID!) { incident(id: $id) { id } alerts(filter: { incidentId: $id }) { edges { node { id } } } }`, { id: firstIncident })
  t.notOk(theirs.errors, JSON.stringify(theirs.errors))
  t.same(theirs.data, { incident: null, alerts: { edges: [] } }, 'another agency sees neither the incident nor its alerts')
})

t.test('outside the window, or after the incident is dismissed, the group opens a new incident', async (t) => {
  now = new Date('2026-07-01T13:00:00Z') // findings are dated up to the receipt time: a later one counts as received now
  await deliver(finding('f-5', { minute: 200 }))
  let list = await incidents()
  t.equal(list.length, 2, 'f-5 came 155 minutes after the last alert of the group')
  const second = list.find((i) => i.id !== firstIncident)!
  t.equal((await alertByExternal('f-5')).incidentId, second.id)
  const triage = await post(csirt, `/api/incidents/${second.id}/triage`, { assessment: 'NOT_INCIDENT', rationale: 'a scanner test' })
  t.equal(triage.statusCode, 200, triage.body)
  await deliver(finding('f-6', { minute: 201 }))
  list = await incidents()
  t.equal(list.length, 3, 'a dismissed incident takes no more alerts')
})

t.test('the policy can change: a higher threshold opens nothing for high alerts; a window of 0 keeps every alert apart', async (t) => {
  const clerk = await h.token('mof', [], 'clerk')
  t.equal((await post(clerk, `/api/integrations/${ocsf.id}/policy`, { severityThreshold: 'critical' })).statusCode, 403)
  const bad = await post(csirt, `/api/integrations/${ocsf.id}/policy`, {})
  t.equal(bad.statusCode, 400)
  t.equal(bad.json().code, 'ValidationFailed')
  const changed = await post(csirt, `/api/integrations/${ocsf.id}/policy`, { severityThreshold: 'critical', correlationWindowMinutes: 0 })
  t.equal(changed.statusCode, 200, changed.body)
  await h.settleAll('mof')
  t.match(await get(csirt, `/api/integrations/${ocsf.id}`), { severityThreshold: 'critical', correlationWindowMinutes: 0 })
  const count = (await incidents()).length
  await deliver(finding('f-7', { rule: 'rule-2' }))
  t.equal((await incidents()).length, count, 'high is below critical now')
  await deliver([finding('f-8', { rule: 'rule-3', severityId: 5 }), finding('f-9', { rule: 'rule-3', severityId: 5 })])
  t.equal((await incidents()).length, count + 2, 'window 0: the two critical alerts of one group open one incident each')
  const gqlChange = await gql(csirt, `mutation($id: ID!) { changeIntegrationPolicy(integrationId: $id, input: { severityThreshold: HIGH, correlationWindowMinutes: 15 }) { position } }`, { id: ocsf.id })
  t.notOk(gqlChange.errors, JSON.stringify(gqlChange.errors))
  const view = await gql(csirt, `query($id: ID!, $p: Int) { integration(id: $id, minPosition: $p) { severityThreshold correlationWindowMinutes } }`, { id: ocsf.id, p: gqlChange.data.changeIntegrationPolicy.position })
  t.same(view.data.integration, { severityThreshold: 'HIGH', correlationWindowMinutes: 15 })
})

t.test('a resolved alert that fires again shows on its incident; the window has a lower bound; times ahead of the receipt count as the receipt', async (t) => {
  now = new Date('2026-07-01T20:00:00Z')
  await deliver(finding('r-1', { rule: 'rule-r', minute: 600 }))
  const inc = (await incidents()).find((i) => i.title === 'Finding r-1')!
  await deliver(finding('r-1', { rule: 'rule-r', minute: 600, resolved: true }))
  t.match((await incidents()).find((i) => i.id === inc.id), { alertCount: 1, openAlertCount: 0 })
  await deliver(finding('r-1', { rule: 'rule-r', minute: 600 }))
  t.match((await incidents()).find((i) => i.id === inc.id), { alertCount: 1, openAlertCount: 1 }, 'firing again')
  const timeline = (await get(csirt, `/api/incidents/${inc.id}/timeline`)).items as { type: string }[]
  t.same(timeline.map((e) => e.type), ['IncidentReported', 'IncidentAlertLinked', 'IncidentAlertResolved', 'IncidentAlertReopened'])
  await deliver(finding('r-1', { rule: 'rule-r', minute: 600 }))
  t.equal((await get(csirt, `/api/incidents/${inc.id}/timeline`)).items.length, 4, 'a repeat of a firing alert adds nothing to the incident')
  // 40 minutes before the incident's first alert, with a 15-minute window: another incident (the window has two ends).
  await deliver(finding('r-0', { rule: 'rule-r', minute: 560 }))
  t.not((await alertByExternal('r-0')).incidentId, inc.id)
  // Dated in 2036: counted as received now, so the window cannot be held open by a clock far ahead.
  await deliver(finding('r-future', { rule: 'rule-f', minute: 5_000_000 }))
  const future = (await incidents()).find((i) => i.title === 'Finding r-future')!
  t.ok(future)
  now = new Date('2026-07-01T20:10:00Z')
  await deliver(finding('r-later', { rule: 'rule-f', minute: 665 }))
  t.equal((await alertByExternal('r-later')).incidentId, future.id, 'five minutes after its receipt, within the 15-minute window, joins it')
})

t.test('a noisy group: 300 alerts of one rule and host join one incident, each decided on the last events only', async (t) => {
  now = new Date('2026-07-02T09:00:00Z')
  for (let batch = 0; batch < 6; batch++) {
    await deliver(Array.from({ length: 50 }, (_, i) => finding(`hot-${batch * 50 + i}`, { rule: 'rule-hot', asset: 'HOT-1', minute: 1_440 + batch })))
  }
  const hot = (await incidents()).filter((i) => i.title === 'Finding hot-0')
  t.equal(hot.length, 1)
  t.match(hot[0], { alertCount: 300, openAlertCount: 300 })
  const groupEvents = (await h.store.readAgency('mof', 0, 100_000)).filter((e) => e.data.incidentId === hot[0]!.id && e.streamType === 'alert-group')
  t.same(groupEvents.map((e) => e.type).slice(0, 2), ['AlertGroupIncidentOpened', 'AlertJoinedGroupIncident'])
  t.equal(groupEvents.length, 300)
  t.match(groupEvents.at(-1)?.data, { firstAlertAt: '2026-07-02T09:00:00.000Z', lastAlertAt: '2026-07-02T09:00:00.000Z' }, 'the last event carries the whole window (times ahead of the receipt count as the receipt)')
})

t.test('a reused webhook-id with different bytes is a new delivery (a sender bug must not lose alerts)', async (t) => {
  const res = await deliver([finding('f-1'), finding('f-1-extra', { severityId: 1 })], ocsf.secret, 'msg_1')
  t.equal(res.statusCode, 202)
  t.match(res.json(), { replayed: false, accepted: 2 })
  t.equal((await alertByExternal('f-1')).deliveries, 3)
})

t.test('a repeated reaction appends nothing (idempotency keys derived from the alert event)', async (t) => {
  const events = await h.store.readAgency('mof', 0, 100_000)
  const before = events.length
  const services = { store: h.store, clock, pool: h.db.app.pool }
  for (const e of events.filter((e) => ['AlertReceived', 'AlertUpdated', 'AlertResolved'].includes(e.type))) await correlate(services, e)
  t.equal((await h.store.readAgency('mof', 0, 100_000)).length, before)
})

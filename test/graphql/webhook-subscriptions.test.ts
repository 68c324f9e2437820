// Outbound webhooks over GraphQL: the catalogue, create and rotate answering the secret once, reads that
// never show one, the delivery log as a connection (managing roles only; another agency sees nothing), and
// retire, disable and retry through the catalogue mutations.
import t from 'tap'
import { startTestApp } from '../helpers/app.js'

const h = await startTestApp(t, { webhooks: { start: false } })
await h.agency('mof')
await h.agency('mic')
const csirt = await h.token('mof', ['CSIRT_HEAD'], 'csirt')
const clerk = await h.token('mof', [], 'clerk')
const other = await h.token('mic', ['CISO'], 'kato')
async function gql(token: string, query: string, variables: object = {}) {
  const res = await h.app.inject({ method: 'POST', url: '/graphql', headers: { authorization: `Bearer ${token}` }, payload: { query, variables } })
  return res.json() as { data?: Record<string, any>; errors?: { message: string; extensions?: { code?: string } }[] }
}
const CREATE = 'mutation($input: CreateWebhookSubscriptionInput!, $key: String) { createWebhookSubscription(input: $input, idempotencyKey: $key) { id secretId secret position replayed } }'
const LOG = `query($f: WebhookDeliveryFilter, $first: Int, $after: String, $p: Int) { webhookDeliveries(filter: $f, first: $first, after: $after, minPosition: $p) {
  edges { cursor node { id subscriptionId eventType eventPosition payload status attempts attemptsLog { statusCode } nextAttemptAt deliveredAt } } pageInfo { hasNextPage endCursor } } }`
const input = { url: 'https://soc.example.jp/hook', eventTypes: ['incident.reported'], description: 'SOC' }

t.test('the catalogue', async (t) => {
  const res = await gql(clerk, '{ webhookEventTypes { name description sourceEvents } }')
  t.notOk(res.errors, JSON.stringify(res.errors))
  t.match(res.data?.webhookEventTypes, [{ name: 'incident.reported', sourceEvents: ['IncidentReported'] }])
  t.ok(res.data?.webhookEventTypes.length >= 8)
})

t.test('create, read, rotate, retire, retry, disable', async (t) => {
  const created = await gql(csirt, CREATE, { input, key: 'k1' })
  t.notOk(created.errors, JSON.stringify(created.errors))
  const c = created.data?.createWebhookSubscription as { id: string; secretId: string; secret: string; position: number }
  t.match(c, { id: /^mof\./, secret: /^whsec_/, replayed: false })
  t.match((await gql(csirt, CREATE, { input, key: 'k1' })).data?.createWebhookSubscription, { id: c.id, secret: c.secret, replayed: true }, 'idempotent')
  t.equal((await gql(clerk, CREATE, { input })).errors?.[0]?.extensions?.code, 'Forbidden')
  t.equal((await gql(csirt, CREATE, { input: { ...input, eventTypes: ['nope'] } })).errors?.[0]?.extensions?.code, 'UnknownWebhookEventType')
  t.equal((await gql(csirt, CREATE, { input: { ...input, url: 'https://192.168.0.1/' } })).errors?.[0]?.extensions?.code, 'UnsafeWebhookUrl')

  const read = await gql(csirt, 'query($p: Int) { webhookSubscriptions(minPosition: $p) { edges { node { id url eventTypes description disabledAt secrets { secretId retiredAt } } } pageInfo { hasNextPage } } }', { p: c.position })
  t.notOk(read.errors, JSON.stringify(read.errors))
  t.same(read.data?.webhookSubscriptions.edges.map((e: { node: unknown }) => e.node), [{ id: c.id, url: input.url, eventTypes: input.eventTypes, description: 'SOC', disabledAt: null, secrets: [{ secretId: c.secretId, retiredAt: null }] }])
  t.equal(read.data?.webhookSubscriptions.pageInfo.hasNextPage, false)
  t.notOk(JSON.stringify(read.data).includes(c.secret), 'no secret in reads')
  t.equal((await gql(clerk, '{ webhookSubscriptions { edges { node { id } } } }')).errors?.[0]?.extensions?.code, 'Forbidden')

  const reported = await h.app.inject({ method: 'POST', url: '/api/incidents', headers: { authorization: `Bearer ${csirt}` }, payload: { title: 'x', description: 'y', detectedAt: '2026-07-01T09:00:00+09:00' } })
  const log = await gql(csirt, LOG, { f: { subscriptionId: c.id, status: ['PENDING'] }, p: reported.json().position })
  t.notOk(log.errors, JSON.stringify(log.errors))
  const [edge] = log.data?.webhookDeliveries.edges ?? []
  t.match(edge?.node, { subscriptionId: c.id, eventType: 'incident.reported', status: 'PENDING', attempts: 0, attemptsLog: [], deliveredAt: null })
  t.match(JSON.parse(edge?.node.payload), { type: 'incident.reported', data: { agencyId: 'mof', title: 'x' } }, 'the payload as JSON text')
  t.equal((await gql(clerk, LOG, { f: { subscriptionId: c.id } })).errors?.[0]?.extensions?.code, 'Forbidden', 'the log holds payloads: managing roles only')
  t.same((await gql(other, LOG, { f: { subscriptionId: c.id } })).data?.webhookDeliveries.edges, [], 'another agency sees none')
  t.equal((await gql(other, LOG, { f: { agencyId: 'mof' } })).errors?.[0]?.extensions?.code, 'ValidationFailed')
  t.equal((await gql(csirt, LOG, { after: 'forged' })).errors?.[0]?.extensions?.code, 'InvalidCursor')
  const retry = await gql(csirt, 'mutation($d: ID!) { retryWebhookDelivery(deliveryId: $d) { id } }', { d: edge?.node.id })
  t.equal(retry.errors?.[0]?.extensions?.code, 'WebhookDeliveryNotFailed')

  const rotated = await gql(csirt, 'mutation($s: ID!) { rotateWebhookSubscriptionSecret(subscriptionId: $s) { secretId secret } }', { s: c.id })
  t.notOk(rotated.errors, JSON.stringify(rotated.errors))
  t.not(rotated.data?.rotateWebhookSubscriptionSecret.secret, c.secret)
  const retired = await gql(csirt, 'mutation($s: ID!, $x: ID!) { retireWebhookSubscriptionSecret(subscriptionId: $s, input: { secretId: $x }) { id } }', { s: c.id, x: c.secretId })
  t.notOk(retired.errors, JSON.stringify(retired.errors))
  const disabled = await gql(csirt, 'mutation($s: ID!) { disableWebhookSubscription(subscriptionId: $s, input: { reason: "done" }) { id position } }', { s: c.id })
  t.notOk(disabled.errors, JSON.stringify(disabled.errors))
  const after = await gql(csirt, 'query($p: Int) { webhookSubscriptions(minPosition: $p) { edges { node { disabledAt disabledReason secrets { retiredAt } } } } }', { p: disabled.data?.disableWebhookSubscription.position })
  const [node] = after.data?.webhookSubscriptions.edges.map((e: { node: unknown }) => e.node) ?? []
  t.match(node, { disabledAt: /^\d{4}-/, disabledReason: 'done' })
  t.same(node.secrets.map((s: { retiredAt: string | null }) => s.retiredAt !== null), [true, false])
  t.match((await gql(csirt, CREATE, { input, key: 'k1' })).data?.createWebhookSubscription, { id: c.id, secretId: c.secretId, secret: c.secret, replayed: true },
    'a retry after the secret was retired and the subscription disabled: the first answer')
  const cancelled = await gql(csirt, LOG, { f: { subscriptionId: c.id } })
  t.same(cancelled.data?.webhookDeliveries.edges.map((e: { node: { status: string } }) => e.node.status), ['FAILED'], 'the pending delivery was cancelled')
})

t.test('the subscriptions list is a connection: first/after, no silent cap', async (t) => {
  let position = 0
  for (let i = 0; i < 3; i++) position = (await gql(csirt, CREATE, { input: { ...input, url: `https://soc${i}.example.jp/hook` } })).data?.createWebhookSubscription.position
  const PAGE = 'query($first: Int, $after: String, $p: Int) { webhookSubscriptions(first: $first, after: $after, minPosition: $p) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }'
  const all = (await gql(csirt, PAGE, { first: 50, p: position })).data?.webhookSubscriptions
  t.equal(all.edges.length, 4, 'the disabled one and the three new ones')
  const one = (await gql(csirt, PAGE, { first: 3, p: position })).data?.webhookSubscriptions
  t.equal(one.pageInfo.hasNextPage, true)
  const two = (await gql(csirt, PAGE, { first: 3, after: one.pageInfo.endCursor })).data?.webhookSubscriptions
  t.same([...one.edges, ...two.edges].map((e: { node: { id: string } }) => e.node.id), all.edges.map((e: { node: { id: string } }) => e.node.id))
  t.equal(two.pageInfo.hasNextPage, false)
  t.equal((await gql(csirt, PAGE, { after: 'forged' })).errors?.[0]?.extensions?.code, 'InvalidCursor')
  t.equal((await gql(csirt, PAGE, { first: 500 })).errors?.[0]?.extensions?.code, 'ValidationFailed')
})

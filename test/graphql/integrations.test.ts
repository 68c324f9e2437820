// SIEM integrations over GraphQL: create and rotate answer the secret once; the queries never show one;
// alerts as a connection with filters; retire and disable through the catalogue mutations.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { standardWebhookSignature } from '../../src/siem/webhook-auth.js'
import { startTestApp } from '../helpers/app.js'

const h = await startTestApp(t)
await h.agency('mof')
const csirt = await h.token('mof', ['CSIRT_HEAD'], 'csirt')
const clerk = await h.token('mof', [], 'clerk')
async function gql(token: string, query: string, variables: object = {}) {
  const res = await h.app.inject({ method: 'POST', url: '/graphql', headers: { authorization: `Bearer ${token}` }, payload: { query, variables } })
  return res.json() as { data?: Record<string, any>; errors?: { message: string; extensions?: { code?: string } }[] }
}
const CREATE = `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id secretId secret webhookPath position } }`

t.test('create, read, rotate, retire, disable', async (t) => {
  const created = await gql(csirt, CREATE, { input: { name: 'Prometheus', format: 'ALERTMANAGER', authMode: 'STANDARD_WEBHOOKS', severityThreshold: 'HIGH' } })
  t.notOk(created.errors, JSON.stringify(created.errors))
  const c = created.data?.createIntegration as { id: string; secretId: string; secret: string; position: number }
  t.match(c.secret, /^whsec_/)
  const forbidden = await gql(clerk, CREATE, { input: { name: 'x', format: 'CEF', authMode: 'BEARER' } })
  t.equal(forbidden.errors?.[0]?.extensions?.code, 'Forbidden')

  const raw = readFileSync(new URL('../siem/fixtures/alertmanager-v4.json', import.meta.url))
  const ts = Math.floor(Date.now() / 1000)
  const delivered = await h.app.inject({ method: 'POST', url: `/webhooks/${c.id}`, payload: raw, headers: { 'content-type': 'application/json', 'webhook-id': 'm1', 'webhook-timestamp': String(ts), 'webhook-signature': standardWebhookSignature(c.secret, 'm1', ts, raw) } })
  t.equal(delivered.statusCode, 202, delivered.body)
  const position = (delivered.json() as { position: number }).position

  const read = await gql(csirt, `query($p: Int) { integrations(minPosition: $p) { id format authMode severityThreshold secrets { secretId retiredAt } }
    alerts(minPosition: $p, filter: { resolved: false }) { edges { node { source severity externalId resolved meetsThreshold } } pageInfo { hasNextPage } } }`, { p: position })
  t.notOk(read.errors, JSON.stringify(read.errors))
  t.same(read.data?.integrations, [{ id: c.id, format: 'ALERTMANAGER', authMode: 'STANDARD_WEBHOOKS', severityThreshold: 'HIGH', secrets: [{ secretId: c.secretId, retiredAt: null }] }])
  t.notOk(JSON.stringify(read.data).includes(c.secret), 'no secret in reads')
  t.equal(read.data?.alerts.edges.length, 1, 'only the firing alert')
  t.match(read.data?.alerts.edges[0].node, { source: 'ALERTMANAGER', resolved: false })

  const rotated = await gql(csirt, `mutation($id: ID!) { rotateIntegrationSecret(integrationId: $id) { secretId secret } }`, { id: c.id })
  t.notOk(rotated.errors, JSON.stringify(rotated.errors))
  t.not(rotated.data?.rotateIntegrationSecret.secret, c.secret)
  const retired = await gql(csirt, `mutation($id: ID!, $s: ID!) { retireIntegrationSecret(integrationId: $id, input: { secretId: $s }) { id } }`, { id: c.id, s: c.secretId })
  t.notOk(retired.errors, JSON.stringify(retired.errors))
  const disabled = await gql(csirt, `mutation($id: ID!) { disableIntegration(integrationId: $id, input: {}) { id position } }`, { id: c.id })
  t.notOk(disabled.errors, JSON.stringify(disabled.errors))
  const after = await gql(csirt, `query($id: ID!, $p: Int) { integration(id: $id, minPosition: $p) { disabledAt secrets { retiredAt } } }`, { id: c.id, p: disabled.data?.disableIntegration.position })
  t.ok(after.data?.integration.disabledAt)
  t.same(after.data?.integration.secrets.map((s: { retiredAt: string | null }) => s.retiredAt !== null), [true, false])
})

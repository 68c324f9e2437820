// GraphQL auditTrail: an entity's history as a Relay connection with who/what/when/where/why and the chain
// fields, paged without skips or repeats; the same filter checks (extensions.code and path), roles and
// visibility as REST.
import t from 'tap'
import { startTestApp } from '../helpers/app.js'

const h = await startTestApp(t, { clock: { now: () => new Date('2026-07-01T10:00:00+09:00') } })
await h.agency('mof')
await h.agency('ipa', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
await h.agency('mic')
const officer = await h.token('mof', ['GENERAL_SECURITY_OFFICER'], 'gso')
const deputy = await h.token('mof', ['DEPUTY_CISO'], 'deputy')
const csirt = await h.token('mof', ['CSIRT_HEAD'], 'csirt')
const mic = await h.token('mic', ['AUDIT_OFFICER'], 'kato')

async function gql(token: string, query: string, variables: object = {}) {
  const res = await h.app.inject({ method: 'POST', url: '/graphql', headers: { authorization: `Bearer ${token}` }, payload: { query, variables } })
  return res.json() as { data?: { auditTrail: Connection } | null; errors?: { message: string; extensions: Record<string, unknown> }[] }
}
interface Connection {
  edges: { cursor: string; node: Record<string, unknown> & { position: number } }[]
  pageInfo: { hasNextPage: boolean; endCursor: string | null }
}

const ASSESS = 'mutation($i: AssessRiskInput!) { assessRisk(input: $i) { id } }'
const risk = { title: 'Ransomware', threat: 'encrypted file servers', likelihood: 'MEDIUM', impact: 'HIGH', measures: ['offline backups'], reviewBy: '2027-03-31' }
const assessed = await gql(officer, ASSESS, { i: risk })
const riskId = (assessed.data as unknown as { assessRisk: { id: string } } | undefined)?.assessRisk.id
if (!riskId) throw new Error(`risk not assessed: ${JSON.stringify(assessed)}`)
for (const reason of ['backups tested', 'segmentation done', 'EDR rolled out']) {
  const res = await h.app.inject({ method: 'POST', url: `/api/risks/${riskId}/reassessment`, headers: { authorization: `Bearer ${officer}` }, payload: { impact: reason === 'segmentation done' ? 'LOW' : 'MEDIUM', reason } })
  if (res.statusCode >= 300) throw new Error(`reassessment refused: ${res.body}`)
}
await h.admin('ipa', 'assessRisk', risk)
const riskEvents = (await h.store.readStream('mof', `risk-${riskId}`)).events

const TRAIL = `query($filter: AuditTrailFilter!, $first: Int, $after: String) { auditTrail(filter: $filter, first: $first, after: $after) {
  edges { cursor node { agencyId position eventId type schemaVersion recordedAt stream { id type version } entity { type id }
    who { actorId roles } where { source } why { commandType correlationId causationId idempotencyKey } data prevHash hash } }
  pageInfo { hasNextPage endCursor } } }`

t.test("an entity's history with who, what, when, where and why, paged", async (t) => {
  const filter = { entity: { type: 'RISK', id: riskId } }
  const all = await gql(officer, TRAIL, { filter, first: 10 })
  t.notOk(all.errors)
  const nodes = all.data?.auditTrail.edges.map((e) => e.node) ?? []
  t.same(nodes.map((n) => n.type), ['RiskAssessed', 'RiskReassessed', 'RiskReassessed', 'RiskReassessed'])
  t.match(nodes[0], {
    agencyId: 'mof', position: riskEvents[0]?.position, eventId: riskEvents[0]?.eventId, schemaVersion: 1, recordedAt: riskEvents[0]?.recordedAt,
    stream: { id: `risk-${riskId}`, type: 'risk', version: 1 }, entity: { type: 'RISK', id: riskId },
    who: { actorId: 'gso' }, where: { source: 'graphql' }, why: { commandType: 'AssessRisk', correlationId: String },
    data: { title: 'Ransomware' }, prevHash: riskEvents[0]?.prevHash, hash: riskEvents[0]?.hash,
  })
  t.ok((nodes[0]?.who as { roles: string[] }).roles.includes('GENERAL_SECURITY_OFFICER'), 'with the roles held')
  t.match(nodes[1], { who: { actorId: 'gso' }, where: { source: 'api' }, data: { reason: 'backups tested' } })
  const seen: number[] = []
  let after: string | null = null
  for (let i = 0; i < 10; i++) {
    const page = await gql(deputy, TRAIL, { filter, first: 1, after })
    seen.push(...(page.data?.auditTrail.edges.map((e) => e.node.position) ?? []))
    if (!page.data?.auditTrail.pageInfo.hasNextPage) break
    after = page.data.auditTrail.pageInfo.endCursor
  }
  t.same(seen, riskEvents.map((e) => e.position), 'one at a time, none skipped or repeated')
})

t.test('filters checked, roles and visibility as in REST', async (t) => {
  const code = (r: Awaited<ReturnType<typeof gql>>) => r.errors?.[0]?.extensions
  t.match(code(await gql(csirt, TRAIL, { filter: {} })), { code: 'Forbidden' }, 'a CSIRT head is not an audit-trail reader')
  t.match(code(await gql(officer, TRAIL, { filter: { entity: { type: 'PLAN', id: 'next' } } })), { code: 'ValidationFailed', errors: [{ path: 'arguments.filter.entity.id' }] })
  t.match(code(await gql(officer, TRAIL, { filter: { entity: { type: 'OTHER', id: 'x' } } })), { code: 'ValidationFailed', errors: [{ path: 'arguments.filter.entity.type' }] })
  t.match(code(await gql(officer, TRAIL, { filter: { source: 'email' } })), { code: 'ValidationFailed', errors: [{ path: 'arguments.filter.source' }] })
  t.match(code(await gql(officer, TRAIL, { filter: { from: 'soon' } })), { code: 'ValidationFailed', errors: [{ path: 'arguments.filter.from' }] })
  t.match(code(await gql(officer, TRAIL, { filter: {}, after: 'forged' })), { code: 'InvalidCursor' })
  t.match(code(await gql(mic, TRAIL, { filter: { agencyId: 'mof' } })), { code: 'ValidationFailed', errors: [{ path: 'arguments.filter.agencyId' }] }, 'another agency is not visible')
  const ipa = await gql(officer, TRAIL, { filter: { agencyId: 'ipa', eventTypes: ['RiskAssessed'] } })
  t.same(ipa.data?.auditTrail.edges.map((e) => [e.node.agencyId, e.node.type]), [['ipa', 'RiskAssessed']], 'a national organ reads a body under it')
  const own = await gql(mic, TRAIL, { filter: { entity: { type: 'AGENCY' } } })
  const agencyStream = (await h.store.readStream('mic', 'agency-mic')).events
  t.ok(agencyStream.length > 1)
  t.same(own.data?.auditTrail.edges.map((e) => [e.node.agencyId, e.node.position, (e.node.entity as { type: string }).type]), agencyStream.map((e) => ['mic', e.position, 'AGENCY']), 'its own agency stream')
})

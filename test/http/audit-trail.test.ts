// REST audit trail end to end: who may read (403 otherwise), filters checked (400 with the field), an
// agency's whole trail and an entity's history with who/what/when/where/why, a national organ reading a
// body under it but never the reverse and never another agency, pages that never skip or repeat, and the
// export: headers, body, and the manifest once the body has been read, verifying with the published key; over
// a real connection, an export the client cuts off stores no manifest.
import { createHash, randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { canonicalJson } from '../../src/eventstore/hash.js'
import { verifySignature } from '../../src/audit-trail/signing.js'
import { startTestApp } from '../helpers/app.js'

const h = await startTestApp(t, { clock: { now: () => new Date('2026-07-01T10:00:00+09:00') } })
await h.agency('mof')
await h.agency('ipa', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
await h.agency('mic')
const ciso = await h.token('mof', ['CISO'], 'boss')
const auditor = await h.token('mof', ['AUDITOR'], 'aud')
const employee = await h.token('mof', ['EMPLOYEE'], 'ito')
const ipaCiso = await h.token('ipa', ['CISO'], 'ipa-boss')
const micCiso = await h.token('mic', ['CISO'], 'kato')

const auth = (token: string) => ({ authorization: `Bearer ${token}` })
async function get(token: string, url: string) {
  const res = await h.app.inject({ method: 'GET', url, headers: auth(token) })
  const type = String(res.headers['content-type'] ?? '')
  return { status: res.statusCode, headers: res.headers, raw: res.rawPayload, body: type.includes('json') && !type.includes('ndjson') ? res.json() : undefined }
}
const risk = (title: string) => ({ title, threat: 'phishing, "spear"', likelihood: 'HIGH', impact: 'MEDIUM', measures: ['training'], reviewBy: '2027-03-31' })
const created = await h.app.inject({ method: 'POST', url: '/api/risks', headers: { ...auth(ciso), 'x-correlation-id': 'conv-1', 'idempotency-key': 'k-1' }, payload: risk('標的型メール') })
if (created.statusCode !== 201) throw new Error(`risk not assessed: ${created.body}`)
const riskId = (created.json() as { id: string }).id
await h.app.inject({ method: 'POST', url: `/api/risks/${riskId}/reassessment`, headers: auth(ciso), payload: { likelihood: 'LOW', reason: 'mail filtering in place' } })
const gql = await h.app.inject({ method: 'POST', url: '/graphql', headers: auth(ciso), payload: { query: 'mutation($i: AssessRiskInput!) { assessRisk(input: $i) { id } }', variables: { i: risk('USB') } } })
if (gql.json().errors) throw new Error(`risk not assessed over GraphQL: ${gql.body}`)
await h.admin('ipa', 'assessRisk', risk('ipa risk'))
await h.admin('mic', 'assessRisk', risk('mic risk'))
const mofLog = await h.store.readAgency('mof', 0, 10_000)
const ipaLog = await h.store.readAgency('ipa', 0, 10_000)

type Entry = { agencyId: string; position: number; type: string; entity: { type: string; id: string | null }; who: { actorId: string; roles: string[] }; where: { source: string }; why: Record<string, unknown>; stream: { id: string } }
type Page = { items: Entry[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }

t.test('only the CISO, deputy CISO, audit officer, auditors and general security officer read it', async (t) => {
  for (const url of ['/api/audit-trail', '/api/audit-trail/export?format=csv', '/api/audit-trail/exports/8a4f8f3e-8a60-4a4f-9b1e-2b7a1c0d9e11/manifest']) {
    t.match(await get(employee, url), { status: 403, body: { code: 'Forbidden', requiredRoles: ['CISO', 'DEPUTY_CISO', 'AUDIT_OFFICER', 'AUDITOR', 'GENERAL_SECURITY_OFFICER'] } }, url)
  }
  t.equal((await h.app.inject({ method: 'GET', url: '/api/audit-trail' })).statusCode, 401)
})

t.test('bad filters answer 400 with the field and what to do', async (t) => {
  const bad: [string, string][] = [
    ['entityType=PLAN&entityId=next', 'querystring.entityId'], ['entityId=R-1', 'querystring.entityId'], ['entityType=NOPE', 'querystring/entityType'],
    ['source=email', 'querystring/source'], ['from=yesterday', 'querystring/from'], ['eventTypes=not-a-type', 'querystring/eventTypes'],
    ['fromPosition=9&toPosition=2', 'querystring.toPosition'], ['fromPosition=0', 'querystring/fromPosition'], ['agencyId=mic', 'querystring/agencyId'],
    ['from=2026-07-01T00:00:00Z&to=2026-06-30T00:00:00Z', 'querystring.to'],
  ]
  for (const [query, path] of bad) {
    t.match(await get(auditor, `/api/audit-trail?${query}`), { status: 400, body: { code: 'ValidationFailed', errors: [{ path }] } }, query)
  }
  t.match(await get(auditor, '/api/audit-trail/export?format=xml'), { status: 400, body: { code: 'ValidationFailed' } })
})

t.test("an agency's whole trail, with who, what, when, from where and why", async (t) => {
  const { status, body } = await get(auditor, '/api/audit-trail?first=200') as { status: number; body: Page }
  t.equal(status, 200)
  t.same(body.items.map((e) => e.position), mofLog.map((e) => e.position), 'every event of the agency, in position order')
  t.notOk(body.pageInfo.hasNextPage)
  const viaRest = body.items.find((e) => e.type === 'RiskAssessed' && e.entity.id === riskId)
  t.match(viaRest, {
    agencyId: 'mof', stream: { id: `risk-${riskId}` }, entity: { type: 'RISK', id: riskId }, who: { actorId: 'boss', roles: ['CISO'] },
    where: { source: 'api' }, why: { commandType: 'AssessRisk', correlationId: 'conv-1', causationId: String, idempotencyKey: 'k-1' },
  })
  t.ok(body.items.some((e) => e.type === 'RiskAssessed' && e.where.source === 'graphql'), 'the GraphQL command is from graphql')
  t.ok(body.items.some((e) => e.type === 'RoleAssigned' && e.where.source === 'cli' && e.entity.type === 'ROLE_ASSIGNMENT'), 'the operator\'s role assignments are from the cli')
})

t.test("an entity's history, and the other filters", async (t) => {
  const history = (await get(ciso, `/api/audit-trail?entityType=RISK&entityId=${riskId}`)).body as Page
  t.same(history.items.map((e) => e.type), ['RiskAssessed', 'RiskReassessed'])
  const audAssignment = mofLog.find((e) => e.type === 'RoleAssigned' && e.data.employeeId === 'aud')
  const assignmentId = String(audAssignment?.data.assignmentId)
  const role = (await get(ciso, `/api/audit-trail?entityType=ROLE_ASSIGNMENT&entityId=${encodeURIComponent(assignmentId)}`)).body as Page
  t.same(role.items.map((e) => e.position), [audAssignment?.position], 'one assignment out of the shared management stream')
  const graphqlOnly = (await get(ciso, '/api/audit-trail?source=graphql')).body as Page
  t.same(graphqlOnly.items.map((e) => e.type), ['RiskAssessed'])
  const byActor = (await get(ciso, '/api/audit-trail?actorId=boss&eventTypes=RiskAssessed,RiskReassessed')).body as Page
  t.same(byActor.items.map((e) => e.type), ['RiskAssessed', 'RiskReassessed', 'RiskAssessed'])
  const range = (await get(ciso, '/api/audit-trail?fromPosition=3&toPosition=5')).body as Page
  t.same(range.items.map((e) => e.position), [3, 4, 5])
  const stream = (await get(ciso, '/api/audit-trail?streamId=agency-mof')).body as Page
  t.same(stream.items.map((e) => e.type), mofLog.filter((e) => e.streamId === 'agency-mof').map((e) => e.type))
})

t.test('a national organ reads the bodies under it; a body does not read its organ; no agency reads another', async (t) => {
  const ipa = (await get(ciso, '/api/audit-trail?agencyId=ipa&first=200')).body as Page
  t.same(ipa.items.map((e) => e.position), ipaLog.map((e) => e.position))
  t.ok(ipa.items.every((e) => e.agencyId === 'ipa'))
  t.match(await get(ipaCiso, '/api/audit-trail?agencyId=mof'), { status: 400, body: { code: 'ValidationFailed', errors: [{ path: 'querystring/agencyId' }] } })
  const own = (await get(micCiso, '/api/audit-trail?first=200')).body as Page
  t.ok(own.items.length > 0 && own.items.every((e) => e.agencyId === 'mic'), 'only its own events')
  t.notOk(own.items.some((e) => e.entity.type === 'RISK' && e.entity.id === riskId))
})

t.test('keyset pages never skip or repeat', async (t) => {
  const seen: number[] = []
  let after = ''
  for (let i = 0; i < 100; i++) {
    const page = (await get(auditor, `/api/audit-trail?first=4${after ? `&after=${encodeURIComponent(after)}` : ''}`)).body as Page
    seen.push(...page.items.map((e) => e.position))
    if (!page.pageInfo.hasNextPage) break
    after = page.pageInfo.endCursor ?? ''
  }
  t.same(seen, mofLog.map((e) => e.position))
  t.match(await get(auditor, '/api/audit-trail?after=forged'), { status: 400, body: { code: 'InvalidCursor' } })
})

t.test('the export: headers, body, and its manifest verifying with the published key', async (t) => {
  const res = await get(auditor, '/api/audit-trail/export?format=csv&entityType=RISK&entityId=' + riskId)
  t.equal(res.status, 200)
  const id = String(res.headers['audit-export-id'])
  t.match(res.headers, {
    'content-type': 'text/csv; charset=utf-8; header=present', 'content-disposition': `attachment; filename="audit-mof-${id}.csv"`,
    link: `</api/audit-trail/exports/${id}/manifest>; rel="describedby"`, 'cache-control': 'no-store',
  })
  t.ok(res.raw.toString('utf8').startsWith('\uFEFFagency_id,'))
  const manifest = await get(auditor, `/api/audit-trail/exports/${id}/manifest`)
  t.match(manifest, { status: 200, body: { exportId: id, format: 'csv', agencyId: 'mof', createdBy: 'aud', eventCount: 2, filters: { entity: { type: 'RISK', id: riskId } } } })
  const body = manifest.body as Record<string, unknown> & { signature: string; keyId: string; contentSha256: string }
  t.equal(body.contentSha256, createHash('sha256').update(res.raw).digest('hex'), 'the manifest names the SHA-256 of the body')
  const keys = (await get(employee, '/api/audit-trail/keys')).body as { keys: { keyId: string; publicKeyPem: string }[] }
  const key = keys.keys.find((k) => k.keyId === body.keyId)
  const { signature, ...unsigned } = body
  t.ok(key && verifySignature(key.publicKeyPem, canonicalJson(unsigned), signature), 'the signature verifies with the key the service publishes')
  t.match(await get(micCiso, `/api/audit-trail/exports/${id}/manifest`), { status: 404, body: { code: 'ExportManifestNotFound' } }, 'not through another agency')
  t.match(await get(ciso, '/api/audit-trail/exports/8a4f8f3e-8a60-4a4f-9b1e-2b7a1c0d9e11/manifest'), { status: 404, body: { code: 'ExportManifestNotFound', fix: /last byte/ } })
  const jsonl = await get(ciso, '/api/audit-trail/export?agencyId=ipa')
  t.equal(jsonl.headers['content-type'], 'application/x-ndjson; charset=utf-8', 'jsonl by default')
  t.same(jsonl.raw.toString('utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { position: number }).position), ipaLog.map((e) => e.position), 'a national organ exports a body under it')
})

t.test('over a real connection: an export cut off by the client stores no manifest', async (t) => {
  await h.agency('big', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
  // About 30 MB of JSON Lines: more than the socket buffers between server and client can hold.
  for (let call = 0; call < 25; call++) {
    await h.store.append({
      agencyId: 'big', streamId: `bulk-${call}`, streamType: 'bulk', expectedVersion: 0, recordedAt: new Date().toISOString(),
      events: Array.from({ length: 1_000 }, (_, i) => ({
        eventId: randomUUID(), type: 'BulkRecorded', schemaVersion: 1, data: { i, text: '点検記録 '.repeat(80) },
        metadata: { actor: { id: 'loader', roles: [] }, correlationId: randomUUID(), source: 'cli', commandType: 'RecordBulk' },
      })),
    })
  }
  await h.app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`
  const abort = new AbortController()
  const res = await fetch(`${base}/api/audit-trail/export?format=jsonl&agencyId=big`, { headers: auth(auditor), signal: abort.signal })
  const id = res.headers.get('audit-export-id') ?? ''
  const first = await res.body?.getReader().read()
  t.ok(first && !first.done && first.value.length > 0, 'the body started')
  abort.abort()
  await new Promise((resolve) => setTimeout(resolve, 500))
  t.match(await get(auditor, `/api/audit-trail/exports/${id}/manifest`), { status: 404, body: { code: 'ExportManifestNotFound' } })
  const whole = await fetch(`${base}/api/audit-trail/export?format=jsonl&agencyId=big`, { headers: auth(auditor) })
  const body = Buffer.from(await whole.arrayBuffer())
  const manifest = await get(auditor, `/api/audit-trail/exports/${whole.headers.get('audit-export-id') ?? ''}/manifest`)
  t.match(manifest, { status: 200, body: { agencyId: 'big', contentBytes: body.length, contentSha256: createHash('sha256').update(body).digest('hex') } })
  t.ok((manifest.body as { eventCount: number }).eventCount > 25_000, 'the whole agency, read to the end over HTTP')
})

// REST end to end: commands through the event store, read models through the projections, on a real database.
import t from 'tap'
import { METRICS_TOKEN, startTestApp } from '../helpers/app.js'
import { issueToken, revokeToken } from '../../src/application/tokens.js'

const h = await startTestApp(t)
await h.agency('mof')
await h.agency('child', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
await h.agency('other')
const csirt = await h.token('mof', ['CSIRT_HEAD', 'CISO'], 'sato')
const member = await h.token('mof', ['CSIRT_MEMBER'], 'suzuki')
const employee = await h.token('mof', ['EMPLOYEE'], 'tanaka')
const childToken = await h.token('child', ['CSIRT_HEAD'], 'ito')
const otherToken = await h.token('other', ['CSIRT_HEAD', 'CISO'], 'kato')

const auth = (token: string) => ({ authorization: `Bearer ${token}` })
const report = { title: 'Phishing mail opened', description: 'Attachment opened on a PC in the 3rd division', detectedAt: '2026-11-01T09:30:00+09:00', affectedSystems: ['mail'], affectedInformation: [{ label: 'C2I2A1' }] }

async function post(token: string, url: string, payload: object, headers: Record<string, string> = {}) {
  const res = await h.app.inject({ method: 'POST', url, headers: { ...auth(token), ...headers }, payload })
  return { status: res.statusCode, body: res.json(), headers: res.headers }
}
async function get(token: string, url: string) {
  const res = await h.app.inject({ method: 'GET', url, headers: auth(token) })
  return { status: res.statusCode, body: res.json() }
}

t.test('an employee reports, the CSIRT walks the whole lifecycle, the read model and timeline follow', async (t) => {
  const created = await post(employee, '/api/incidents', report)
  t.equal(created.status, 201)
  t.match(created.body, { incidentId: String, streamVersion: 1, position: Number, replayed: false })
  t.equal(created.headers.location, `/api/incidents/${created.body.incidentId}`)
  const id = created.body.incidentId as string

  const seen = await get(employee, `/api/incidents/${id}?minPosition=${created.body.position}`)
  t.equal(seen.status, 200, 'read-your-writes: visible once the read model passed the position')
  t.match(seen.body, { id, status: 'REPORTED', title: report.title, reportedBy: 'tanaka', source: 'EMPLOYEE', affectedSystems: ['mail'] })

  const steps: [string, string, object][] = [
    [member, 'triage', { assessment: 'INCIDENT', severity: 'high', rationale: 'malware beacon seen' }],
    [csirt, 'report-to-ciso', { summary: 'one PC infected' }],
    [member, 'containment', { actions: ['PC isolated from the network'] }],
    [csirt, 'national-centre-notification', { summary: 'reported by phone', reference: 'NCO-123' }],
    [member, 'recovery', { actions: ['PC reimaged'] }],
    [member, 'root-cause', { cause: 'macro in attachment', preventionMeasures: ['block macros'] }],
    [csirt, 'lessons', { lessons: 'train on attachments', sharedWith: ['all divisions'] }],
  ]
  let last = created.body
  for (const [token, step, payload] of steps) {
    const res = await post(token, `/api/incidents/${id}/${step}`, payload)
    t.equal(res.status, 200, `${step} accepted`)
    last = res.body
  }
  const close = await h.app.inject({ method: 'POST', url: `/api/incidents/${id}/close`, headers: auth(csirt) })
  t.equal(close.statusCode, 200, 'close needs no body')
  last = close.json()
  t.equal(last.streamVersion, 9)
  const closed = await get(csirt, `/api/incidents/${id}?minPosition=${last.position}`)
  t.match(closed.body, {
    status: 'CLOSED', severity: 'high', assessment: 'INCIDENT', closedAt: String,
    notification: { destination: 'National Cybersecurity Office', reference: 'NCO-123', by: 'sato' },
    rootCause: { cause: 'macro in attachment' },
  })
  const timeline = await get(csirt, `/api/incidents/${id}/timeline?minPosition=${last.position}`)
  t.same(timeline.body.items.map((e: { type: string }) => e.type), [
    'IncidentReported', 'IncidentTriaged', 'IncidentReportedToCiso', 'IncidentContained', 'NationalCentreNotified',
    'IncidentRecovered', 'IncidentRootCauseRecorded', 'IncidentLessonsShared', 'IncidentClosed',
  ])
  t.match(timeline.body.items[1], { actor: { id: 'suzuki', roles: ['CSIRT_MEMBER'] }, source: 'api', recordedAt: String, version: 2 })
  t.same(timeline.body.pageInfo, { hasNextPage: false, endCursor: '9' })
  const page1 = await get(csirt, `/api/incidents/${id}/timeline?first=4`)
  const page2 = await get(csirt, `/api/incidents/${id}/timeline?first=4&after=${page1.body.pageInfo.endCursor}`)
  const page3 = await get(csirt, `/api/incidents/${id}/timeline?first=4&after=${page2.body.pageInfo.endCursor}`)
  t.same([...page1.body.items, ...page2.body.items, ...page3.body.items].map((e: { version: number }) => e.version), [1, 2, 3, 4, 5, 6, 7, 8, 9])
  t.same([page1.body.pageInfo.hasNextPage, page2.body.pageInfo.hasNextPage, page3.body.pageInfo.hasNextPage], [true, true, false])
})

t.test('illegal transitions are 409 with a stable code and the next step', async (t) => {
  const { body } = await post(employee, '/api/incidents', report)
  const res = await post(member, `/api/incidents/${body.incidentId}/recovery`, { actions: ['x'] })
  t.equal(res.status, 409)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(res.body, { code: 'IncidentTransitionNotAllowed', status: 409, detail: /next step: TriageIncident/ })
})

t.test('roles: an employee cannot triage (403); no or a bad token is 401', async (t) => {
  const { body } = await post(employee, '/api/incidents', report)
  const forbidden = await post(employee, `/api/incidents/${body.incidentId}/triage`, { assessment: 'NOT_INCIDENT', rationale: 'spam' })
  t.equal(forbidden.status, 403)
  t.match(forbidden.body, { code: 'Forbidden', detail: /CSIRT_HEAD, CSIRT_MEMBER/ })
  const none = await h.app.inject({ method: 'GET', url: '/api/incidents' })
  t.equal(none.statusCode, 401)
  t.equal(none.json().code, 'Unauthorized')
  t.equal(none.headers['www-authenticate'], 'Bearer')
  const bad = await h.app.inject({ method: 'GET', url: '/api/incidents', headers: auth('csr_not-a-real-token') })
  t.equal(bad.statusCode, 401)
  await h.employee('mof', 'leaver')
  await h.settle('mof')
  const issued = await issueToken(h.db.app.pool, { agencyId: 'mof', actorId: 'leaver', roles: ['EMPLOYEE'] })
  t.equal((await get(issued.token, '/api/incidents')).status, 200)
  t.ok(await revokeToken(h.db.app.pool, 'mof', issued.tokenId))
  t.equal((await get(issued.token, '/api/incidents')).status, 401, 'a revoked token is refused')
  const stored = await h.db.owner.pool.query('SELECT token_hash FROM access_tokens WHERE token_id = $1', [issued.tokenId])
  t.not(stored.rows[0].token_hash.toString('utf8'), issued.token, 'only a hash is stored')
  t.equal(stored.rows[0].token_hash.length, 32)
})

t.test('validation errors are 400 problems naming each field', async (t) => {
  const res = await post(employee, '/api/incidents', { title: '', detectedAt: 'yesterday' })
  t.equal(res.status, 400)
  t.equal(res.body.code, 'ValidationFailed')
  const paths = res.body.errors.map((e: { path: string }) => e.path).join(' ')
  t.match(paths, /title/)
  t.match(paths, /description/)
  t.match(paths, /detectedAt/)
  const badJson = await h.app.inject({ method: 'POST', url: '/api/incidents', headers: { ...auth(employee), 'content-type': 'application/json' }, payload: '{"title":' })
  t.equal(badJson.statusCode, 400)
  t.equal(badJson.json().code, 'ValidationFailed')
  const notUuid = await post(member, '/api/incidents/not-a-uuid/triage', { assessment: 'NOT_INCIDENT', rationale: 'x' })
  t.equal(notUuid.status, 400)
  const unknown = await post(member, '/api/incidents/00000000-0000-4000-8000-000000000000/triage', { assessment: 'NOT_INCIDENT', rationale: 'x' })
  t.equal(unknown.status, 404)
  t.equal(unknown.body.code, 'IncidentNotFound')
  const future = await post(employee, '/api/incidents', { ...report, detectedAt: '2999-01-01T00:00:00Z' })
  t.equal(future.status, 409)
  t.equal(future.body.code, 'DetectedInFuture')
  const nul = await post(employee, '/api/incidents', { ...report, title: 'bad \u0000 byte' })
  t.equal(nul.status, 400, 'text PostgreSQL cannot store is a client error, not a 500')
  const surrogate = await post(employee, '/api/incidents', { ...report, description: 'lone \ud800 surrogate' })
  t.equal(surrogate.status, 400)
  t.equal(surrogate.body.code, 'ValidationFailed')
  const ancient = await post(employee, '/api/incidents', { ...report, detectedAt: '0000-01-01T00:00:00Z' })
  t.equal(ancient.status, 400, 'a date no read model can hold is refused before it becomes an event')
  const forged = Buffer.from(JSON.stringify({ r: '1', a: 'mof', i: 'x' })).toString('base64url')
  const cursor = await get(employee, `/api/incidents?after=${forged}`)
  t.equal(cursor.status, 400)
  t.equal(cursor.body.code, 'InvalidCursor')
})

t.test('Idempotency-Key: a retry returns the first result and appends nothing; another body is 422', async (t) => {
  const key = { 'idempotency-key': 'report-2026-001' }
  const first = await post(employee, '/api/incidents', report, key)
  const retry = await post(employee, '/api/incidents', report, key)
  t.equal(retry.status, 201)
  t.equal(retry.body.incidentId, first.body.incidentId)
  t.equal(retry.body.position, first.body.position)
  t.equal(retry.body.replayed, true)
  t.equal(retry.headers['idempotent-replayed'], 'true')
  const head = await h.db.owner.pool.query('SELECT position FROM agency_heads WHERE agency_id = $1', ['mof'])
  t.equal(head.rows[0].position, first.body.position, 'nothing appended by the retry')
  const changed = await post(employee, '/api/incidents', { ...report, title: 'another' }, key)
  t.equal(changed.status, 422)
  t.equal(changed.body.code, 'IdempotencyKeyReused')
  const racing = await Promise.all([1, 2, 3, 4].map(() => post(employee, '/api/incidents', report, { 'idempotency-key': 'racing-1' })))
  t.same(racing.map((r) => r.status), [201, 201, 201, 201], 'concurrent retries all answer the first result')
  t.equal(new Set(racing.map((r) => r.body.incidentId)).size, 1, 'one incident for one key')
  const triage = { assessment: 'NOT_INCIDENT', rationale: 'spam' }
  const k2 = { 'idempotency-key': 'triage-1' }
  const a = await post(member, `/api/incidents/${first.body.incidentId}/triage`, triage, k2)
  const b = await post(member, `/api/incidents/${first.body.incidentId}/triage`, triage, k2)
  t.equal(a.status, 200)
  t.equal(b.status, 200, 'a retried triage is not an illegal transition')
  t.equal(b.body.replayed, true)
  const { body: other } = await post(employee, '/api/incidents', report)
  const parallel = await Promise.all([1, 2, 3].map(() => post(member, `/api/incidents/${other.incidentId}/triage`, triage, { 'idempotency-key': 'triage-racing' })))
  t.same(parallel.map((r) => r.status), [200, 200, 200], 'a retry racing its original is a replay, not a 409')
  t.equal(parallel.filter((r) => !r.body.replayed).length, 1)
})

t.test('request and correlation ids: valid client ids are kept, others replaced; both reach the timeline', async (t) => {
  const res = await h.app.inject({ method: 'POST', url: '/api/incidents', headers: { ...auth(employee), 'x-request-id': 'req-123', 'x-correlation-id': 'case:42' }, payload: report })
  t.equal(res.headers['x-request-id'], 'req-123')
  const long = await h.app.inject({ method: 'GET', url: '/api/incidents', headers: { ...auth(employee), 'x-request-id': 'x'.repeat(5000) } })
  t.not(long.headers['x-request-id'], 'x'.repeat(5000))
  t.match(long.headers['x-request-id'], /^[0-9a-f-]{36}$/)
  const { incidentId, position } = res.json()
  const timeline = await get(employee, `/api/incidents/${incidentId}/timeline?minPosition=${position}`)
  t.match(timeline.body.items[0], { correlationId: 'case:42', causationId: 'req-123' })
})

t.test('agencies are isolated; a national organ reads (not writes) the bodies under it', async (t) => {
  const mine = await post(employee, '/api/incidents', { ...report, title: 'mof incident' })
  const childs = await post(childToken, '/api/incidents', { ...report, title: 'child incident' })
  await get(employee, `/api/incidents?minPosition=${mine.body.position}`)
  await get(childToken, `/api/incidents?minPosition=${childs.body.position}`)

  t.equal((await get(otherToken, `/api/incidents/${mine.body.incidentId}`)).status, 404, 'other agency: not by id')
  const otherList = await get(otherToken, '/api/incidents')
  t.equal(otherList.body.items.length, 0, 'other agency: not in lists')
  t.equal((await post(otherToken, `/api/incidents/${mine.body.incidentId}/triage`, { assessment: 'NOT_INCIDENT', rationale: 'x' })).status, 404, 'other agency: cannot change it')

  t.equal((await get(csirt, `/api/incidents/${childs.body.incidentId}`)).status, 200, 'parent organ reads the child')
  t.equal((await get(childToken, `/api/incidents/${mine.body.incidentId}`)).status, 404, 'the child does not read the parent')
  t.equal((await post(csirt, `/api/incidents/${childs.body.incidentId}/triage`, { assessment: 'NOT_INCIDENT', rationale: 'x' })).status, 404, 'the parent cannot write into the child')
  const onlyChild = await get(csirt, '/api/incidents?agencyId=child')
  t.ok(onlyChild.body.items.length >= 1)
  t.ok(onlyChild.body.items.every((i: { agencyId: string }) => i.agencyId === 'child'))
  const notVisible = await get(childToken, '/api/incidents?agencyId=mof')
  t.equal(notVisible.status, 400)
})

t.test('lists page with cursors, filter, and reject foreign cursors', async (t) => {
  const fresh = await startTestApp(t)
  await fresh.agency('pg1')
  const token = await fresh.token('pg1', ['CSIRT_HEAD'])
  let position = 0
  for (let i = 0; i < 5; i++) {
    const res = await fresh.app.inject({ method: 'POST', url: '/api/incidents', headers: auth(token), payload: { ...report, title: `incident ${i}` } })
    position = res.json().position
  }
  const page1 = (await fresh.app.inject({ method: 'GET', url: `/api/incidents?first=2&minPosition=${position}`, headers: auth(token) })).json()
  t.equal(page1.items.length, 2)
  t.equal(page1.pageInfo.hasNextPage, true)
  const page2 = (await fresh.app.inject({ method: 'GET', url: `/api/incidents?first=2&after=${page1.pageInfo.endCursor}`, headers: auth(token) })).json()
  const page3 = (await fresh.app.inject({ method: 'GET', url: `/api/incidents?first=2&after=${page2.pageInfo.endCursor}`, headers: auth(token) })).json()
  const titles = [...page1.items, ...page2.items, ...page3.items].map((i: { title: string }) => i.title)
  t.same(new Set(titles).size, 5, 'every incident exactly once')
  t.equal(page3.pageInfo.hasNextPage, false)
  const filtered = (await fresh.app.inject({ method: 'GET', url: '/api/incidents?status=CLOSED', headers: auth(token) })).json()
  t.equal(filtered.items.length, 0)
  const badStatus = await fresh.app.inject({ method: 'GET', url: '/api/incidents?status=OPENISH', headers: auth(token) })
  t.equal(badStatus.statusCode, 400)
  const badCursor = await fresh.app.inject({ method: 'GET', url: '/api/incidents?after=bm9wZQ', headers: auth(token) })
  t.equal(badCursor.statusCode, 400)
  t.equal(badCursor.json().code, 'InvalidCursor')
})

t.test('a position the read model cannot reach answers 503 ReadModelBehind with Retry-After', async (t) => {
  const quick = await startTestApp(t)
  await quick.agency('rm1')
  const token = await quick.token('rm1', ['EMPLOYEE'])
  await quick.runner.stop()
  const res = await quick.app.inject({ method: 'GET', url: '/api/incidents?minPosition=999', headers: auth(token) })
  t.equal(res.statusCode, 503)
  t.equal(res.json().code, 'ReadModelBehind')
  t.equal(res.headers['retry-after'], '1')
})

t.test('health, readiness, metrics and OpenAPI', async (t) => {
  t.equal((await h.app.inject('/healthz')).statusCode, 200)
  const ready = await h.app.inject('/readyz')
  t.equal(ready.statusCode, 200)
  t.match(ready.json(), { status: 'ready', checks: { database: { ok: true }, migrations: { ok: true }, projections: { ok: true } } })
  const metrics = await h.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  t.equal(metrics.statusCode, 200)
  t.match(metrics.body, /http_request_duration_seconds_bucket/)
  for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Basic ${METRICS_TOKEN}`]) {
    const refused = await h.app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} })
    t.equal(refused.statusCode, 401, `metrics with ${authorization ?? 'no Authorization'}`)
    t.match(refused.json(), { code: 'MetricsTokenRequired', fix: /METRICS_TOKEN/ })
    t.notMatch(refused.body, /http_request_duration/)
  }
  const openapi = (await h.app.inject('/openapi.json')).json()
  t.ok(openapi.paths['/api/incidents/{id}/triage'], 'follow-up commands documented')
  t.match(JSON.stringify(openapi.paths['/api/incidents'].post), /detectedAt/)
  const read = openapi.paths['/api/incidents/{id}'].get.responses
  t.match(read['200'].content['application/json'].schema.properties, { status: {}, triage: {}, position: {} }, 'the incident read is described')
  t.match(openapi.paths['/api/incidents'].get.responses['200'].content['application/json'].schema.properties, { items: { type: 'array' }, pageInfo: {} })
  t.match(openapi.paths['/api/incidents/{id}/timeline'].get.responses['200'].content['application/json'].schema.properties.items.items.properties, { actor: {}, recordedAt: {} })
  const documented = Object.entries(openapi.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { properties: object } }> }> }>>)
    .flatMap(([url, ops]) => Object.entries(ops).map(([method, op]) => ({ at: `${method} ${url}`, problem: op.responses['4XX']?.content?.['application/problem+json']?.schema })))
  t.ok(documented.length > 50, `${documented.length} operations`)
  t.same(documented.filter((d) => !d.problem).map((d) => d.at), [], 'every operation documents its problem+json errors')
  t.match(documented[0]?.problem?.properties, { code: {}, fix: {}, detail: {} })
  t.equal((await h.app.inject('/docs')).statusCode < 400, true)
})

// GraphQL end to end on a real database: auth, queries, mutations, errors, limits, and the
// incidentChanged subscription over a real WebSocket (graphql-transport-ws).
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { freshDatabase } from '../helpers/db.js'
import { connect, type WsMessage } from '../helpers/graphql-ws.js'
import { buildApp } from '../../src/app.js'
import { registerAgency } from '../../src/application/agencies.js'
import { systemClock } from '../../src/application/context.js'
import { issueToken, revokeToken } from '../../src/application/tokens.js'
import type { AgencyKind, Role } from '../../src/domain/shared/roles.js'
import { PostgresEventStore } from '../../src/eventstore/postgres-store.js'
import { agenciesProjection } from '../../src/projections/agencies.js'
import { incidentsProjection } from '../../src/projections/incidents.js'
import { organisationProjection } from '../../src/projections/organisation.js'
import { organisationHelpers } from '../helpers/organisation.js'
import { ProjectionRunner } from '../../src/projections/runner.js'
import { IncidentFeed } from '../../src/graphql/incident-feed.js'
import type { IncidentDto } from '../../src/projections/incident-queries.js'

// 1. A fresh database for this file (the app pool runs as cs_app, like the service), the runner going.
const fresh = await freshDatabase(t)
const db = fresh.app
const store = new PostgresEventStore(db.pool)
const silent = { info() {}, warn() {}, error() {}, debug() {} }
const runner = new ProjectionRunner({ pool: db.pool, projections: [agenciesProjection, incidentsProjection, organisationProjection], logger: silent, pollMs: 50 })
store.onAppended(() => runner.wake())
const app: FastifyInstance = await buildApp({
  pool: db.pool, kysely: db.kysely, store, runner, clock: systemClock,
  incidentPolicy: { nationalCentreName: 'NCO', closeRequiresNotification: true },
  readWaitMs: 5000, graphiql: false, logger: false,
})
runner.start()
t.teardown(async () => {
  await runner.stop()
  await app.close()
})

async function agency(id: string, kind: AgencyKind = 'NATIONAL_ADMINISTRATIVE_ORGAN', parentId?: string): Promise<void> {
  const result = await registerAgency(store, systemClock, { agencyId: id, name: `Agency ${id}`, kind, parentId }, 'test', { correlationId: randomUUID(), source: 'cli' })
  if (!(await runner.waitFor('agencies', id, result.position, 5000))) throw new Error(`agency ${id} not projected`)
}
// Roles come from assignments: the token's actor is registered as an employee and assigned the roles.
const org = organisationHelpers({ store, clock: systemClock, pool: db.pool, waitFor: (...a) => runner.waitFor(...a), projections: [organisationProjection] })
const token = (agencyId: string, roles: Role[], actorId?: string) => org.token(agencyId, roles, actorId)

// 2. Talking GraphQL.
interface GqlError { message: string; path?: string[]; extensions: { code: string; errors?: { path: string; message: string }[] } }
interface Gql<T> { status: number; data: T | null; errors: GqlError[] | undefined; headers: Record<string, unknown> }

async function gql<T = Record<string, any>>(bearer: string | undefined, query: string, variables?: object, headers: Record<string, string> = {}): Promise<Gql<T>> {
  const res = await app.inject({
    method: 'POST', url: '/graphql', payload: { query, variables },
    headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
  })
  const body = res.json() as { data?: T | null; errors?: GqlError[] }
  return { status: res.statusCode, data: body.data ?? null, errors: body.errors, headers: res.headers }
}

const RESULT = '{ incidentId streamVersion position replayed }'
const REPORT = `mutation($input: ReportIncidentInput!, $key: String) { reportIncident(input: $input, idempotencyKey: $key) ${RESULT} }`
const step = (field: string, inputType: string) =>
  `mutation($id: ID!, $input: ${inputType}!, $key: String) { ${field}(id: $id, input: $input, idempotencyKey: $key) ${RESULT} }`
const INCIDENT = `query($id: ID!, $min: Int) { incident(id: $id, minPosition: $min) {
  id agencyId status title severity assessment reportedBy source affectedSystems affectedInformation { label }
  notification { destination reference by } closure { summary } closedAt version position
  timeline { type version position actor { id roles } source correlationId recordedAt data } } }`
const LIST = `query($filter: IncidentFilter, $first: Int, $after: String, $min: Int) {
  incidents(filter: $filter, first: $first, after: $after, minPosition: $min) { edges { cursor node { id agencyId title } } pageInfo { hasNextPage endCursor hasPreviousPage startCursor } } }`

interface CommandResult { incidentId: string; streamVersion: number; position: number; replayed: boolean }
const reportInput = (title = 'Phishing mail opened') => ({
  title, description: 'Attachment opened on a PC in the 3rd division', detectedAt: '2026-01-05T09:30:00+09:00',
  initialSeverity: 'MEDIUM', affectedSystems: ['mail'], affectedInformation: [{ label: 'C2I2A1' }],
})
async function report(bearer: string, title?: string): Promise<CommandResult> {
  const res = await gql<{ reportIncident: CommandResult }>(bearer, REPORT, { input: reportInput(title) })
  if (!res.data) throw new Error(`report failed: ${JSON.stringify(res.errors)}`)
  return res.data.reportIncident
}

await agency('mof')
await agency('mic')
await agency('nisc')
await agency('ipa', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'nisc')
const csirt = await token('mof', ['CSIRT_HEAD', 'CISO'], 'sato')
const employee = await token('mof', ['EMPLOYEE'], 'tanaka')
const mic = await token('mic', ['CSIRT_HEAD', 'CISO'], 'kato')

t.test('without a valid bearer token every request is refused with 401', async (t) => {
  for (const [name, bearer] of [['no token', undefined], ['unknown token', 'csr_not-a-real-token']] as const) {
    const res = await gql(bearer, '{ me { actorId } }')
    t.equal(res.status, 401, name)
    t.equal(res.errors?.[0]?.extensions.code, 'Unauthorized', name)
    t.equal(res.headers['www-authenticate'], 'Bearer')
    t.equal(res.data, null)
  }
  const get = await app.inject({ method: 'GET', url: '/graphql?query=%7Bme%7BactorId%7D%7D', headers: { upgrade: 'websocket' } })
  t.equal(get.statusCode, 401, 'claiming a WebSocket upgrade without one does not skip authentication')
})

t.test('me tells who the token belongs to', async (t) => {
  const res = await gql(csirt, '{ me { agencyId actorId roles } }')
  t.equal(res.status, 200)
  t.same(res.data, { me: { agencyId: 'mof', actorId: 'sato', roles: ['CISO', 'CSIRT_HEAD', 'EMPLOYEE'] } })
})

t.test('reportIncident, then incident(id, minPosition) reads the write', async (t) => {
  const created = await report(employee, 'Laptop lost on a train')
  t.match(created, { incidentId: String, streamVersion: 1, position: Number, replayed: false })
  const res = await gql(employee, INCIDENT, { id: created.incidentId, min: created.position })
  t.equal(res.errors, undefined)
  t.match(res.data?.incident, {
    id: created.incidentId, agencyId: 'mof', status: 'REPORTED', title: 'Laptop lost on a train', severity: 'MEDIUM',
    reportedBy: 'tanaka', source: 'EMPLOYEE', affectedSystems: ['mail'], affectedInformation: [{ label: 'C2I2A1' }],
  })
  t.match(res.data?.incident.timeline, [{ type: 'IncidentReported', version: 1, position: created.position, actor: { id: 'tanaka', roles: ['EMPLOYEE'] }, source: 'graphql', data: { initialSeverity: 'medium' } }])
})

t.test('the whole lifecycle through mutations; the timeline records every step with its correlation id', async (t) => {
  const created = await report(employee)
  const id = created.incidentId
  const steps: [string, string, object][] = [
    ['triageIncident', 'TriageIncidentInput', { assessment: 'INCIDENT', severity: 'HIGH', rationale: 'malware beacon seen' }],
    ['reportIncidentToCiso', 'ReportIncidentToCisoInput', { summary: 'one PC infected' }],
    ['recordContainment', 'RecordContainmentInput', { actions: ['PC isolated'] }],
    ['notifyNationalCentre', 'NotifyNationalCentreInput', { summary: 'reported by phone', reference: 'NCO-123' }],
    ['recordRecovery', 'RecordRecoveryInput', { actions: ['PC reimaged'] }],
    ['recordRootCause', 'RecordRootCauseInput', { cause: 'macro in attachment', preventionMeasures: ['block macros'] }],
    ['shareLessons', 'ShareLessonsInput', { lessons: 'train on attachments', sharedWith: ['all divisions'] }],
    ['recordIncidentAction', 'RecordIncidentActionInput', { description: 'briefed the minister' }],
    ['closeIncident', 'CloseIncidentInput', { summary: 'done' }],
  ]
  let last = created
  for (const [field, inputType, input] of steps) {
    const res = await gql<Record<string, CommandResult>>(csirt, step(field, inputType), { id, input }, { 'x-request-id': `req-${field}` })
    t.equal(res.status, 200, `${field}: ${JSON.stringify(res.errors)}`)
    last = res.data?.[field] ?? last
  }
  t.equal(last.streamVersion, 10)
  const res = await gql(csirt, INCIDENT, { id, min: last.position })
  const incident = res.data?.incident
  t.match(incident, { status: 'CLOSED', severity: 'HIGH', assessment: 'INCIDENT', closedAt: String, closure: { summary: 'done' }, notification: { destination: 'NCO', reference: 'NCO-123', by: 'sato' }, version: 10 })
  t.same(incident.timeline.map((e: { type: string }) => e.type), [
    'IncidentReported', 'IncidentTriaged', 'IncidentReportedToCiso', 'IncidentContained', 'NationalCentreNotified',
    'IncidentRecovered', 'IncidentRootCauseRecorded', 'IncidentLessonsShared', 'IncidentActionRecorded', 'IncidentClosed',
  ])
  t.match(incident.timeline[1], { version: 2, actor: { id: 'sato' }, correlationId: 'req-triageIncident', data: { severity: 'high' } })
  const paged = await gql(csirt, 'query($id: ID!) { incident(id: $id) { timeline(first: 2, afterVersion: 3) { version } } }', { id: incident.id })
  t.same(paged.data?.incident.timeline, [{ version: 4 }, { version: 5 }], 'a page of the timeline')
  const tooMany = await gql(csirt, 'query($id: ID!) { incident(id: $id) { timeline(first: 0) { version } } }', { id: incident.id })
  t.match(tooMany.errors, [{ extensions: { code: 'ValidationFailed' } }])
})

t.test('an illegal transition answers IncidentTransitionNotAllowed (409)', async (t) => {
  const { incidentId } = await report(employee)
  const res = await gql(csirt, step('closeIncident', 'CloseIncidentInput'), { id: incidentId, input: {} })
  t.equal(res.status, 409)
  t.match(res.errors, [{ path: ['closeIncident'], message: /CloseIncident is not allowed while the incident is REPORTED/, extensions: { code: 'IncidentTransitionNotAllowed' } }])
})

t.test('an employee may not triage: Forbidden (403)', async (t) => {
  const { incidentId } = await report(employee)
  const res = await gql(employee, step('triageIncident', 'TriageIncidentInput'), { id: incidentId, input: { assessment: 'NOT_INCIDENT', rationale: 'spam' } })
  t.equal(res.status, 403)
  t.match(res.errors, [{ extensions: { code: 'Forbidden' } }])
})

t.test('invalid input answers ValidationFailed with each path and message', async (t) => {
  const blank = await gql(employee, REPORT, { input: { ...reportInput(), title: '   ', detectedAt: 'yesterday' } })
  t.equal(blank.status, 400)
  t.equal(blank.errors?.[0]?.extensions.code, 'ValidationFailed')
  t.same(blank.errors?.[0]?.extensions.errors?.map((e) => e.path).sort(), ['input.detectedAt', 'input.title'])
  const { incidentId } = await report(employee)
  const noSeverity = await gql(csirt, step('triageIncident', 'TriageIncidentInput'), { id: incidentId, input: { assessment: 'INCIDENT', rationale: 'real' } })
  t.match(noSeverity.errors, [{ extensions: { code: 'ValidationFailed', errors: [{ path: 'input.severity' }] } }])
  const badId = await gql(csirt, step('recordIncidentAction', 'RecordIncidentActionInput'), { id: 'not-a-uuid', input: { description: 'x' } })
  t.match(badId.errors, [{ extensions: { code: 'ValidationFailed', errors: [{ path: 'arguments.id' }] } }])
  const unknownField = await gql(csirt, '{ me { nope } }')
  t.equal(unknownField.status, 400)
  t.match(unknownField.errors, [{ message: /Cannot query field "nope"/, extensions: { code: 'ValidationFailed' } }])
  const headers = { authorization: `Bearer ${csirt}`, 'content-type': 'application/json' }
  const malformed = await app.inject({ method: 'POST', url: '/graphql', headers, payload: '{"query": ' })
  t.equal(malformed.statusCode, 400)
  t.match(malformed.json(), { errors: [{ extensions: { code: 'ValidationFailed' } }] }, 'a body that is not JSON')
  const mutationOverGet = await app.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent('mutation { closeIncident(id: "x") { position } }')}`, headers })
  t.equal(mutationOverGet.statusCode, 405)
  t.match(mutationOverGet.json(), { errors: [{ message: /GET request/, extensions: { code: 'ValidationFailed' } }] })
})

t.test('a retry with the same idempotencyKey answers the first result and appends nothing', async (t) => {
  const bearer = await token('mic', ['EMPLOYEE'])
  const key = randomUUID()
  const variables = { input: reportInput('Retried report'), key }
  const first = await gql<{ reportIncident: CommandResult }>(bearer, REPORT, variables)
  const again = await gql<{ reportIncident: CommandResult }>(bearer, REPORT, variables)
  t.equal(first.data?.reportIncident.replayed, false)
  t.match(again.data?.reportIncident, { replayed: true, incidentId: first.data?.reportIncident.incidentId, position: first.data?.reportIncident.position })
  const list = await gql(mic, LIST, { filter: { agencyId: 'mic' }, first: 200, min: first.data?.reportIncident.position })
  t.equal(list.data?.incidents.edges.filter((e: { node: { title: string } }) => e.node.title === 'Retried report').length, 1, 'one incident')
  const other = await gql(bearer, REPORT, { input: reportInput('Something else'), key })
  t.match(other.errors, [{ extensions: { code: 'IdempotencyKeyReused' } }])
})

t.test('incidents pages through a Relay connection with first and after', async (t) => {
  await agency('pages')
  const bearer = await token('pages', ['EMPLOYEE'])
  const reported = [await report(bearer, 'one'), await report(bearer, 'two'), await report(bearer, 'three')]
  const min = Math.max(...reported.map((r) => r.position))
  const page1 = await gql(bearer, LIST, { first: 2, min })
  t.equal(page1.data?.incidents.edges.length, 2)
  t.equal(page1.data?.incidents.pageInfo.hasNextPage, true)
  t.equal(page1.data?.incidents.pageInfo.endCursor, page1.data?.incidents.edges[1].cursor)
  t.equal(page1.data?.incidents.pageInfo.startCursor, page1.data?.incidents.edges[0].cursor)
  t.equal(page1.data?.incidents.pageInfo.hasPreviousPage, false, 'the first page has nothing before it')
  const page2 = await gql(bearer, LIST, { first: 2, after: page1.data?.incidents.pageInfo.endCursor })
  t.equal(page2.data?.incidents.edges.length, 1)
  t.equal(page2.data?.incidents.pageInfo.hasNextPage, false)
  t.equal(page2.data?.incidents.pageInfo.hasPreviousPage, true, 'a page after a cursor has that edge before it')
  t.equal(page2.data?.incidents.pageInfo.startCursor, page2.data?.incidents.edges[0].cursor)
  const beyond = await gql(bearer, LIST, { first: 2, after: page2.data?.incidents.pageInfo.endCursor })
  t.same(beyond.data?.incidents.pageInfo, { hasNextPage: false, endCursor: null, hasPreviousPage: true, startCursor: null }, 'an empty page past the end')
  const seen = [...page1.data?.incidents.edges, ...page2.data?.incidents.edges].map((e: { node: { id: string } }) => e.node.id)
  t.same([...seen].sort(), reported.map((r) => r.incidentId).sort(), 'each incident exactly once')
  for (const first of [0, 201]) {
    const res = await gql(bearer, LIST, { first })
    t.match(res.errors, [{ extensions: { code: 'ValidationFailed', errors: [{ path: 'arguments.first' }] } }], `first: ${first}`)
  }
  const badCursor = await gql(bearer, LIST, { after: 'bm9wZQ' })
  t.match(badCursor.errors, [{ extensions: { code: 'InvalidCursor' } }])
})

t.test("an agency cannot see another agency's incidents, by id or in lists", async (t) => {
  const created = await report(csirt, 'mof only')
  t.equal((await gql(csirt, INCIDENT, { id: created.incidentId, min: created.position })).data?.incident.id, created.incidentId, 'the owner sees it')
  const byId = await gql(mic, INCIDENT, { id: created.incidentId })
  t.equal(byId.status, 200)
  t.equal(byId.data?.incident, null)
  const list = await gql(mic, LIST, { first: 200 })
  t.notOk(list.data?.incidents.edges.some((e: { node: { agencyId: string } }) => e.node.agencyId !== 'mic'), 'only mic incidents')
  const filtered = await gql(mic, LIST, { filter: { agencyId: 'mof' } })
  t.match(filtered.errors, [{ extensions: { code: 'ValidationFailed', errors: [{ path: 'arguments.filter.agencyId' }] } }])
})

t.test('a national organ sees the incidents of a body under it; the body does not see the organ', async (t) => {
  const nisc = await token('nisc', ['CSIRT_HEAD'])
  const ipa = await token('ipa', ['CSIRT_HEAD'])
  const child = await report(ipa, 'at the body')
  const parent = await report(nisc, 'at the organ')
  t.equal((await gql(ipa, INCIDENT, { id: child.incidentId, min: child.position })).data?.incident.agencyId, 'ipa')
  t.equal((await gql(nisc, INCIDENT, { id: parent.incidentId, min: parent.position })).data?.incident.agencyId, 'nisc')
  t.equal((await gql(nisc, INCIDENT, { id: child.incidentId })).data?.incident.agencyId, 'ipa', 'the organ sees its body')
  const narrowed = await gql(nisc, LIST, { filter: { agencyId: 'ipa' } })
  t.same(narrowed.data?.incidents.edges.map((e: { node: { id: string } }) => e.node.id), [child.incidentId])
  t.equal((await gql(ipa, INCIDENT, { id: parent.incidentId })).data?.incident, null, 'the body does not see the organ')
})

t.test('minPosition beyond the log answers ReadModelBehind with Retry-After after the bounded wait', async (t) => {
  const res = await gql(csirt, INCIDENT, { id: randomUUID(), min: 1_000_000 })
  t.equal(res.status, 200, 'partial data: the field is null')
  t.match(res.errors, [{ extensions: { code: 'ReadModelBehind' } }])
  t.equal(res.headers['retry-after'], '1')
})

t.test('query limits reject an over-costly or over-deep request before running it', async (t) => {
  const heavy = 'incidents(first: 200) { edges { node { id timeline { type actor { id } } } } }'
  const costly = await gql(csirt, `{ a: ${heavy} b: ${heavy} }`)
  t.equal(costly.status, 400)
  t.match(costly.errors, [{ message: /query cost \d+ exceeds the limit of 10000/, extensions: { code: 'ValidationFailed' } }])
  const light = await gql(csirt, 'query($n: Int) { a: incidents(first: $n) { edges { node { id timeline { type } } } } b: incidents(first: $n) { pageInfo { hasNextPage } } }', { n: 5 })
  t.equal(light.errors, undefined, 'a small first passes')
  const ofType = (n: number): string => (n === 0 ? 'name' : `ofType { ${ofType(n - 1)} }`)
  const deep = await gql(csirt, `{ __type(name: "Incident") { fields { type { ${ofType(20)} } } } }`)
  t.equal(deep.status, 400)
  t.match(deep.errors, [{ message: /query depth \d+ exceeds the limit of 16/, extensions: { code: 'ValidationFailed' } }])
})

t.test('the feed sends changes made after watching, each once, and nothing once released', async (t) => {
  await agency('feed')
  const bearer = await token('feed', ['CSIRT_HEAD'])
  const projected = async (r: CommandResult) => t.ok(await runner.waitFor('incidents', 'feed', r.position, 5000), 'projected')
  let applied: ((projection: string, agencyId: string, position: number) => void) | undefined
  const published: IncidentDto[] = []
  let onPublish = () => {}
  const feed = new IncidentFeed({
    pool: db.pool, log: silent, pollMs: 3_600_000, // no poll: this test drives the feed
    runner: { onApplied: (listener) => { applied = listener; return () => { applied = undefined } } },
    publish: (agencyId, incident) => { published.push(incident); onPublish() },
  })
  t.teardown(() => feed.close())

  await projected(await report(bearer, 'before watching'))
  const release = await feed.watch(['feed'])
  await feed.refresh()
  t.same(published, [], 'what happened before watching is not sent')

  const created = await report(bearer, 'after watching')
  await projected(created)
  const arrived = new Promise<boolean>((resolve) => {
    onPublish = () => resolve(true)
    setTimeout(() => resolve(false), 10_000).unref()
  })
  applied?.('incidents', 'feed', created.position)
  t.ok(await arrived, "the runner's signal alone starts a scan")
  t.match(published, [{ id: created.incidentId, agencyId: 'feed', title: 'after watching', status: 'REPORTED', reportedAt: String }])
  await feed.refresh()
  t.equal(published.length, 1, 'sent once')

  const triaged = await gql<{ triageIncident: CommandResult }>(bearer, step('triageIncident', 'TriageIncidentInput'), { id: created.incidentId, input: { assessment: 'NOT_INCIDENT', rationale: 'spam' } })
  await projected(triaged.data?.triageIncident ?? created)
  await feed.refresh()
  t.match(published.at(-1), { id: created.incidentId, status: 'DISMISSED' }, 'a later step is sent again with the new state')

  release()
  await projected(await report(bearer, 'after release'))
  await feed.refresh()
  t.equal(published.length, 2, 'nothing is sent once the last subscriber left')
})

// 3. Subscriptions over a real socket.
t.test('subscriptions over graphql-transport-ws', async (t) => {
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const url = `${address.replace(/^http/, 'ws')}/graphql`
  const SUBSCRIBE = 'subscription($agencyId: ID) { incidentChanged(agencyId: $agencyId) { id agencyId title status } }'

  async function subscriber(init: object, variables: object = {}) {
    const client = connect(url)
    t.teardown(() => client.close())
    await client.opened
    client.send({ type: 'connection_init', payload: init })
    const ack = await client.next()
    return { client, ack, subscribe: () => client.send({ type: 'subscribe', id: '1', payload: { query: SUBSCRIBE, variables } }) }
  }

  /** The protocol does not confirm a subscription: report probes in mof until one arrives, then it is live. */
  async function untilLive(client: { next(ms?: number): Promise<WsMessage | undefined> }): Promise<WsMessage | undefined> {
    let first: WsMessage | undefined
    for (let i = 0; i < 50 && !first; i++) {
      await report(csirt, `probe ${i}`)
      first = await client.next(300)
    }
    return first
  }

  t.test('a connection with an invalid token is refused', async (t) => {
    const { client, ack } = await subscriber({ authorization: 'Bearer csr_wrong' })
    t.equal(ack?.type, 'connection_error')
    t.equal((await client.next())?.type, 'closed', 'and closed')
  })

  t.test('an agency that is not visible cannot be subscribed to', async (t) => {
    const { client, ack, subscribe } = await subscriber({ token: mic }, { agencyId: 'mof' })
    t.equal(ack?.type, 'connection_ack')
    subscribe()
    const error = await client.next()
    t.match(error, { type: 'error', id: '1', payload: [{ extensions: { code: 'ValidationFailed', errors: [{ path: 'arguments.agencyId' }] } }] })
  })

  t.test('a token revoked after connecting cannot start a subscription', async (t) => {
    await org.employee('mic', 'leaver')
    await org.settle('mic')
    const issued = await issueToken(db.pool, { agencyId: 'mic', actorId: 'leaver', roles: ['EMPLOYEE'] })
    const { client, ack, subscribe } = await subscriber({ token: issued.token })
    t.equal(ack?.type, 'connection_ack')
    t.ok(await revokeToken(db.pool, 'mic', issued.tokenId))
    subscribe()
    t.match(await client.next(), { type: 'error', id: '1', payload: [{ extensions: { code: 'Unauthorized' } }] })
  })

  t.test('subscriptions are validated like queries', async (t) => {
    const { client } = await subscriber({ token: mic })
    client.send({ type: 'subscribe', id: '2', payload: { query: 'subscription { incidentChanged { nope } }' } })
    t.match(await client.next(), { type: 'error', id: '2', payload: [{ message: /Cannot query field "nope"/, extensions: { code: 'ValidationFailed' } }] })
  })

  t.test("a subscriber gets its agency's changes and never another agency's", async (t) => {
    const { client, ack, subscribe } = await subscriber({ authorization: `Bearer ${csirt}` })
    t.equal(ack?.type, 'connection_ack')
    subscribe()
    const first = await untilLive(client)
    t.match(first, { type: 'next', id: '1', payload: { data: { incidentChanged: { agencyId: 'mof', title: /^probe/, status: 'REPORTED' } } } })

    const foreign = await report(mic, 'mic incident')
    t.equal((await gql(mic, INCIDENT, { id: foreign.incidentId, min: foreign.position })).data?.incident.id, foreign.incidentId, 'projected')
    const own = await report(csirt, 'mof incident')
    const received: WsMessage[] = []
    for (let m = await client.next(); m; m = await client.next()) {
      received.push(m)
      if (m.payload?.data?.incidentChanged?.id === own.incidentId) break
    }
    const changed = received.map((m) => m.payload?.data?.incidentChanged)
    t.equal(changed.at(-1)?.id, own.incidentId, "the agency's new incident arrives")
    t.same(changed.filter((c) => c?.agencyId !== 'mof'), [], 'nothing of another agency arrived')
    t.notOk(changed.some((c) => c?.id === foreign.incidentId))
  })

  t.test('a live subscription stops delivering once its token is revoked', async (t) => {
    await org.employee('mof', 'soon-gone')
    await org.settle('mof')
    const issued = await issueToken(db.pool, { agencyId: 'mof', actorId: 'soon-gone', roles: ['EMPLOYEE'] })
    const { client, ack, subscribe } = await subscriber({ token: issued.token })
    t.equal(ack?.type, 'connection_ack')
    subscribe()
    const first = await untilLive(client)
    t.equal(first?.type, 'next', 'delivering while the token is valid')
    t.ok(await revokeToken(db.pool, 'mof', issued.tokenId))
    await new Promise((resolve) => setTimeout(resolve, 5_200)) // past the re-check interval
    await report(csirt, 'after revocation')
    let message = await client.next(2_000)
    while (message?.type === 'next' && /^probe/.test(message.payload?.data?.incidentChanged?.title ?? '')) message = await client.next(2_000)
    t.not(message?.payload?.data?.incidentChanged?.title, 'after revocation', 'the incident reported after revocation is not delivered')
    t.match(message, { type: 'error' }, 'the subscription ends with an error')
  })
})

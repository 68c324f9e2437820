// Compliance status end to end (issue 7 §1): REST and GraphQL read the same status per article, the
// status as of a past instant is exactly what it was then, own-standards items take the worst status of
// the articles they map to, a duty from the scheduler's stream makes an article non-compliant until
// discharged, a national organ sees the bodies under it (and nobody else's), the history lists each
// change with its event, and a GraphQL subscription tells a portal when a status changes.
import t from 'tap'
import { randomUUID } from 'node:crypto'
import { runCommand } from '../../src/application/command-runner.js'
import { dutiesDecider, dutiesStreamId } from '../../src/domain/compliance/duties.js'
import { baselineItems } from '../../src/domain/shared/common-standards.js'
import { complianceProjection } from '../../src/projections/compliance.js'
import { rebuildProjection } from '../../src/projections/rebuild.js'
import { startTestApp } from '../helpers/app.js'
import { connect, type WsMessage } from '../helpers/graphql-ws.js'
import { graphqlClient, restClient } from '../helpers/requests.js'

// After the agencies' registration, which the helper records at the real time.
let now = new Date(Date.now() + 86_400_000)
const clock = { now: () => now }
const later = (minutes: number) => {
  now = new Date(now.getTime() + minutes * 60_000)
}
const h = await startTestApp(t, { clock })
await h.agency('mof')
await h.agency('ipa', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
await h.agency('mic')
await h.employee('mof', 'ito', 'hr')
const employee = await h.token('mof', ['EMPLOYEE'], 'ito')
const ciso = await h.token('mof', ['CISO'], 'boss')
const ipa = await h.token('ipa', ['CISO'], 'ipa-boss')
const mic = await h.token('mic', ['CISO'], 'kato')
const { get } = restClient(h.app)
const gql = graphqlClient(h.app)
await h.settleAll('mof')

type Article = { article: number; status: string; reasons: { code: string }[]; since: string | null }
const article = (body: { articles: Article[] }, n: number) => body.articles.find((a) => a.article === n)

const before = await get(employee, '/api/compliance')
const beforeAt = now.toISOString()

t.test('a new agency: every article 3–22 with its status and the evidence missing; any employee reads it', async (t) => {
  t.equal(before.status, 200)
  t.same(before.body.articles.map((a: Article) => a.article), Array.from({ length: 20 }, (_, i) => i + 3))
  t.match(article(before.body, 4), { status: 'NON_COMPLIANT', reasons: [{ code: 'NO_BASIC_POLICY', missing: 'BasicPolicyAdopted' }, { code: 'NO_STANDARDS' }] })
  t.match(article(before.body, 7), { status: 'NOT_APPLICABLE' })
  t.match(article(before.body, 20), { status: 'UNKNOWN', reasons: [{ code: 'NO_SYSTEMS' }] })
  t.match(before.body, { agencyId: 'mof', standardsVersion: null, standardsItems: [], counts: { nonCompliant: Number, unknown: Number } })
  t.equal(Object.values(before.body.counts as Record<string, number>).reduce((a, b) => a + b, 0), 20)
})

let adopted = { position: 0 }
let adoptedAt = ''

t.test('adopting the policy makes article 4 compliant from that event; own-standards items take the worst of their articles', async (t) => {
  later(60)
  await h.admin('mof', 'adoptBasicPolicy', { version: '1.0', title: 'Basic policy', summary: 'We protect information.', adoptedOn: '2026-06-01' })
  later(1)
  adopted = await h.admin('mof', 'adoptStandards', {
    version: '1.0', edition: 'R3', adoptedOn: '2026-06-01',
    items: [{ itemId: 'S-1', title: 'Policy and plan', covers: ['2.1.2'] }, { itemId: 'S-2', title: 'Education', covers: ['2.2.3'] }, { itemId: 'S-9', title: 'Terms', covers: ['1.3'] },
      { itemId: 'S-R', title: 'The rest', covers: baselineItems('R3').filter((c) => c !== '2.1.2' && c !== '2.2.3') }],
  })
  adoptedAt = now.toISOString()
  const after = await get(employee, `/api/compliance?minPosition=${adopted.position}`)
  t.match(article(after.body, 4), { status: 'COMPLIANT', reasons: [], since: adoptedAt, sincePosition: adopted.position })
  t.match(after.body, { standardsVersion: '1.0', standardsEdition: 'R3', position: adopted.position })
  t.match(after.body.standardsItems, [
    { itemId: 'S-1', articles: [4, 6], status: 'NON_COMPLIANT' },
    { itemId: 'S-2', articles: [8], status: 'NON_COMPLIANT' },
    { itemId: 'S-9', articles: [], status: 'UNKNOWN' },
    { itemId: 'S-R', status: 'NON_COMPLIANT' },
  ])
})

t.test('as of a past instant: exactly the status then, standards included', async (t) => {
  const then = await get(employee, `/api/compliance?asOf=${encodeURIComponent(beforeAt)}`)
  t.equal(then.status, 200)
  t.same(then.body.articles, before.body.articles, 'every article as it was')
  t.equal(then.body.standardsVersion, null)
  t.equal(then.body.asOf, beforeAt)
  const between = await get(employee, `/api/compliance?asOf=${encodeURIComponent(new Date(new Date(adoptedAt).getTime() - 30_000).toISOString())}`)
  t.match(article(between.body, 4), { status: 'NON_COMPLIANT', reasons: [{ code: 'NO_STANDARDS' }] }, 'after the basic policy, before the standards')
  const beforeAnything = await get(employee, '/api/compliance?asOf=2020-01-01T00:00:00Z')
  t.match(article(beforeAnything.body, 3), { status: 'UNKNOWN', reasons: [{ code: 'NO_EVIDENCE' }] })
})

t.test('bad input: a future or malformed asOf is a 400 naming the parameter', async (t) => {
  t.match(await get(employee, '/api/compliance?asOf=2099-01-01T00:00:00Z'), { status: 400, body: { code: 'ValidationFailed', errors: [{ path: 'querystring/asOf' }] } })
  t.match(await get(employee, '/api/compliance?asOf=yesterday'), { status: 400, body: { code: 'ValidationFailed' } })
  t.match(await get(employee, '/api/compliance/history?article=2'), { status: 400 })
  t.match(await get(employee, '/api/compliance/history?after=nope'), { status: 400, body: { code: 'InvalidCursor' } })
})

t.test('a duty from the scheduler makes article 8 non-compliant until it is discharged', async (t) => {
  const system = { agencyId: 'mof', actorId: 'scheduler', roles: [], tokenId: 'scheduler', system: true as const }
  const ctx = { correlationId: randomUUID(), source: 'scheduler' }
  later(5)
  await h.admin('mof', 'planTraining', { fiscalYear: 2026, courses: [{ courseId: 'basics', title: 'Basics', audience: { kind: 'ALL' }, mandatory: true }] })
  const overdue = await runCommand({ store: h.store, clock }, system, ctx, {
    decider: dutiesDecider, streamId: dutiesStreamId, fingerprint: 'x',
    command: { type: 'ReconcileDuties', data: { checked: ['TRAINING_NOT_DONE'], checkedSubjects: [], overdue: [{ kind: 'TRAINING_NOT_DONE', subjectId: '2025', dueOn: '2026-03-31', detail: '1 employee did not complete the required training in FY2025', missing: ['emp-untrained-7'] }] } },
  })
  const s = await get(employee, `/api/compliance?minPosition=${overdue.position}`)
  t.match(article(s.body, 8), { status: 'NON_COMPLIANT', reasons: [{ code: 'TRAINING_NOT_DONE', subjectId: '2025', dueOn: '2026-03-31', missing: '1 employee' }] })
  t.notOk(JSON.stringify(s.body).includes('emp-untrained-7'), 'employees are counted, never named, in the status every employee reads')
  later(5)
  const done = await runCommand({ store: h.store, clock }, system, ctx, {
    decider: dutiesDecider, streamId: dutiesStreamId, fingerprint: 'y',
    command: { type: 'ReconcileDuties', data: { checked: ['TRAINING_NOT_DONE'], checkedSubjects: [], overdue: [] } },
  })
  const s2 = await get(employee, `/api/compliance?minPosition=${done.position}`)
  t.notOk(article(s2.body, 8)?.reasons.some((r) => r.code === 'TRAINING_NOT_DONE'), 'discharged')
  const history = await get(employee, '/api/compliance/history?article=8')
  t.match(history.body.items.slice(-2), [{ status: 'NON_COMPLIANT', eventType: 'DutyBecameOverdue' }, { eventType: 'DutyDischarged' }])
})

t.test('history: each change of an article with the event that caused it, paged without gaps', async (t) => {
  const all = await get(employee, '/api/compliance/history?article=4')
  t.match(all.body.items, [
    { article: 4, title: 'Policy documents', status: 'NON_COMPLIANT', previousStatus: null },
    { article: 4, status: 'NON_COMPLIANT', previousStatus: 'NON_COMPLIANT', eventType: 'BasicPolicyAdopted', reasons: [{ code: 'NO_STANDARDS' }] },
    { article: 4, status: 'COMPLIANT', previousStatus: 'NON_COMPLIANT', eventType: 'StandardsAdopted' },
  ])
  const seen: string[] = []
  let after: string | undefined
  do {
    const p = await get(employee, `/api/compliance/history?first=7${after ? `&after=${after}` : ''}`)
    seen.push(...p.body.items.map((i: { position: number; article: number }) => `${i.position}:${i.article}`))
    after = p.body.pageInfo.hasNextPage ? p.body.pageInfo.endCursor : undefined
  } while (after)
  const whole = await get(employee, '/api/compliance/history?first=200')
  t.same(seen, whole.body.items.map((i: { position: number; article: number }) => `${i.position}:${i.article}`), 'pages join up')
  t.equal(new Set(seen).size, seen.length, 'nothing repeated')
})

t.test('roll-up: a national organ sees itself and the bodies under it; a body sees itself; nobody sees another organ', async (t) => {
  const mofRollup = await get(ciso, '/api/compliance/rollup')
  t.same(mofRollup.body.agencies.map((a: { agencyId: string }) => a.agencyId), ['ipa', 'mof'])
  const art4 = mofRollup.body.articles.find((a: { article: number }) => a.article === 4)
  t.match(art4, { status: 'NON_COMPLIANT', counts: { compliant: 1, nonCompliant: 1 }, nonCompliantAgencies: ['ipa'] })
  t.same((await get(ipa, '/api/compliance/rollup')).body.agencies.map((a: { agencyId: string }) => a.agencyId), ['ipa'])
  t.match(await get(ciso, '/api/compliance?agencyId=ipa'), { status: 200, body: { agencyId: 'ipa' } })
  t.match(await get(mic, '/api/compliance?agencyId=mof'), { status: 400, body: { code: 'ValidationFailed' } })
  t.match(await get(ipa, '/api/compliance?agencyId=mof'), { status: 400 }, 'a body does not read its organ')
  t.equal((await h.app.inject({ method: 'GET', url: '/api/compliance' })).statusCode, 401)
})

t.test('GraphQL: the same status, as of, rules, and errors with codes', async (t) => {
  const q = 'query($asOf: DateTime) { complianceStatus(asOf: $asOf) { agencyId articles { article status reasons { code missing } since } standardsItems { itemId status } counts { compliant } } }'
  const nowStatus = await gql(employee, q)
  const rest = await get(employee, '/api/compliance')
  t.same(nowStatus.body.data.complianceStatus.articles.map((a: Article) => [a.article, a.status]), rest.body.articles.map((a: Article) => [a.article, a.status]))
  const then = await gql(employee, q, { asOf: beforeAt })
  t.same(then.body.data.complianceStatus.articles.map((a: Article) => [a.article, a.status]), before.body.articles.map((a: Article) => [a.article, a.status]))
  const future = await gql(employee, q, { asOf: '2099-01-01T00:00:00Z' })
  t.match(future.body.errors?.[0]?.extensions, { code: 'ValidationFailed' })
  const rules = await gql(employee, '{ complianceRules { article title standards evidence } complianceDutyKinds { kind article } }')
  t.equal(rules.body.data.complianceRules.length, 20)
  t.match(rules.body.data.complianceDutyKinds, [{ kind: 'RISK_REVIEW_OVERDUE', article: 3 }])
  const rollup = await gql(ciso, '{ complianceRollup { agencies { agencyId } articles { article status counts { nonCompliant } nonCompliantAgencies } } }')
  t.same(rollup.body.data.complianceRollup.agencies, [{ agencyId: 'ipa' }, { agencyId: 'mof' }])
  const hist = await gql(employee, '{ complianceHistory(article: 4, first: 2) { edges { cursor node { status eventType } } pageInfo { hasNextPage } } }')
  t.match(hist.body.data.complianceHistory, { edges: [{ node: { status: 'NON_COMPLIANT' } }, { node: { eventType: 'BasicPolicyAdopted' } }], pageInfo: { hasNextPage: true } })
})

t.test('subscription: a portal hears of a status change in its agency, never of another agency', async (t) => {
  const address = await h.app.listen({ port: 0, host: '127.0.0.1' })
  const client = connect(`${address.replace(/^http/, 'ws')}/graphql`)
  t.teardown(() => client.close())
  await client.opened
  client.send({ type: 'connection_init', payload: { token: employee } })
  t.match(await client.next(), { type: 'connection_ack' })
  client.send({ type: 'subscribe', id: '1', payload: { query: 'subscription { complianceStatusChanged { agencyId article status previousStatus eventType reasons { code } } }' } })
  // The protocol does not confirm a subscription: change statuses until one arrives.
  let first: WsMessage | undefined
  for (let i = 0; i < 40 && !first; i++) {
    later(1)
    await h.admin('mic', 'adoptBasicPolicy', { version: `1.${i}`, title: 'Basic policy', summary: 'x', adoptedOn: '2026-06-01' })
    // A risk assessment makes the policy review due (article 4), a review clears it: every round changes article 4.
    if (i % 2 === 0) await h.admin('mof', 'assessRisk', { title: `Phishing ${i}`, threat: 'phishing', likelihood: 'HIGH', impact: 'HIGH', measures: ['training'], reviewBy: '2027-03-31' })
    else await h.admin('mof', 'reviewPolicy', { outcome: 'UNCHANGED', notes: 'reviewed after the new risk' })
    first = await client.next(300)
  }
  t.match(first, { type: 'next', id: '1', payload: { data: { complianceStatusChanged: { agencyId: 'mof', article: Number, status: String } } } })
  const received = [first]
  for (let m = await client.next(500); m; m = await client.next(500)) received.push(m)
  t.same(received.filter((m) => m?.payload?.data?.complianceStatusChanged?.agencyId !== 'mof'), [], 'nothing of mic arrived')
})

t.test('a rebuild from position 0 gives the same history and statuses (the rules are a function of the log)', async (t) => {
  await h.settleAll('mof')
  const snapshot = async () => (await h.db.owner.pool.query(
    `SELECT agency_id, article, position, recorded_at, status, previous_status, reasons, exceptions, event_type FROM compliance_history ORDER BY agency_id, article, position`)).rows
  const beforeRebuild = await snapshot()
  t.ok(beforeRebuild.length > 60, `${beforeRebuild.length} history rows`)
  await rebuildProjection(h.db.owner.pool, complianceProjection, { batchSize: 3 })
  t.same(await snapshot(), beforeRebuild)
})

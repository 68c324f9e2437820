// REST and GraphQL end to end for the measures recorded per system: the crypto policy checked against the
// CRYPTREC list when read (Art. 20) and the systems that fall short, the continuity plan and exercises
// whose findings make the promotion plan due for review (Art. 19), and the measures of internet services
// with their shortfalls (Art. 21). Role checks: an employee 403, the officer of another system 403.
import t from 'tap'
import { startTestApp } from '../helpers/app.js'

const h = await startTestApp(t, { clock: { now: () => new Date('2026-07-01T10:00:00+09:00') } })
await h.agency('mof')
await h.agency('mic')
await h.employee('mof', 'sato', 'it')
await h.employee('mof', 'oda', 'it')
await h.admin('mof', 'assignRole', { employeeId: 'sato', role: 'SYSTEM_SECURITY_OFFICER', scope: { kind: 'SYSTEM', systemId: 'WEB' }, from: '2020-04-01' })
await h.admin('mof', 'assignRole', { employeeId: 'oda', role: 'SYSTEM_SECURITY_OFFICER', scope: { kind: 'SYSTEM', systemId: 'INT' }, from: '2020-04-01' })
const sato = await h.token('mof', [], 'sato')
const oda = await h.token('mof', [], 'oda')
const gso = await h.token('mof', ['GENERAL_SECURITY_OFFICER'], 'tanaka')
const employee = await h.token('mof', ['EMPLOYEE'], 'ito')
const mic = await h.token('mic', ['CISO'], 'kato')

const auth = (token: string) => ({ authorization: `Bearer ${token}` })
async function post(token: string, url: string, payload: object) {
  const res = await h.app.inject({ method: 'POST', url, headers: auth(token), payload })
  return { status: res.statusCode, body: res.json() }
}
async function get(token: string, url: string) {
  const res = await h.app.inject({ method: 'GET', url, headers: auth(token) })
  return { status: res.statusCode, body: res.json() }
}
async function gql(token: string, query: string, variables: object = {}) {
  const res = await h.app.inject({ method: 'POST', url: '/graphql', headers: auth(token), payload: { query, variables } })
  return { status: res.statusCode, body: res.json() }
}
const system = (systemId: string, over: object) => ({ systemId, name: systemId, purpose: 'p', ownerUnitId: 'it', internetFacing: false, criticality: 'LOW', ...over })
for (const s of [system('WEB', { internetFacing: true, criticality: 'HIGH' }), system('INT', { criticality: 'CRITICAL' }), system('OLD', {})]) {
  const res = await post(gso, '/api/systems', s)
  if (res.status !== 201) throw new Error(JSON.stringify(res.body))
}

const realistic = [
  { use: 'data at rest', algorithm: 'AES-256-GCM' },
  { use: 'legacy checksums', algorithm: 'SHA-1' },
  { use: 'TLS server certificate', algorithm: 'RSA', keyLength: 1024 },
  { use: 'old password hashes', algorithm: 'MD5' },
]

t.test('crypto policy: set by the system officer; evaluated against the CRYPTREC list when read', async (t) => {
  t.match(await post(employee, '/api/systems/WEB/crypto-policy', { algorithms: realistic }), { status: 403, body: { code: 'Forbidden' } })
  t.match(await post(oda, '/api/systems/WEB/crypto-policy', { algorithms: realistic }), { status: 403, body: { code: 'Forbidden' } }, 'the officer of another system')
  t.match(await post(sato, '/api/systems/WEB/crypto-policy', { edition: 'CRYPTREC-1999', algorithms: realistic }), { status: 422, body: { code: 'UnknownCryptrecEdition', editions: ['CRYPTREC-2022'] } })
  t.match(await post(sato, '/api/systems/WEB/crypto-policy', { algorithms: [] }), { status: 400 })
  t.equal((await post(sato, '/api/systems/WEB/crypto-policy', { algorithms: realistic })).status, 200)
  const set = await post(oda, '/api/systems/INT/crypto-policy', { algorithms: [{ use: 'disk', algorithm: 'AES-128-XTS' }, { use: 'signing', algorithm: 'RSA-PSS', keyLength: 3072 }, { use: 'digests', algorithm: 'SHA-256' }] })
  const web = await get(employee, `/api/systems/WEB?minPosition=${set.body.position}`)
  t.match(web.body, { cryptoPolicy: { edition: 'CRYPTREC-2022', by: 'sato' }, cryptoEvaluation: { edition: 'CRYPTREC-2022', fallsShort: true, shortfallCount: 3 } })
  t.same(web.body.cryptoEvaluation.algorithms.map((a: { algorithm: string; shortfalls: { reason: string }[] }) => [a.algorithm, a.shortfalls.map((s) => s.reason)]),
    [['AES-256-GCM', []], ['SHA-1', ['MONITORED_ONLY']], ['RSA', ['KEY_TOO_SHORT']], ['MD5', ['NOT_ON_LIST']]])
  t.match((await get(employee, '/api/systems/INT')).body, { cryptoEvaluation: { fallsShort: false, shortfallCount: 0 } })
  t.match((await get(employee, '/api/systems/OLD')).body, { cryptoPolicy: null, cryptoEvaluation: null })
})

t.test('systems whose crypto policy falls short, and those with none, with the reasons', async (t) => {
  const all = await get(employee, '/api/system-crypto-shortfalls')
  t.equal(all.status, 200)
  t.same(all.body.items.map((x: { systemId: string; policySet: boolean }) => [x.systemId, x.policySet]), [['OLD', false], ['WEB', true]])
  t.match(all.body.items[1], { systemId: 'WEB', agencyId: 'mof', stage: 'PLANNING', criticality: 'HIGH', internetFacing: true, edition: 'CRYPTREC-2022', shortfallCount: 3 })
  t.same(all.body.items[1].algorithms.map((a: { use: string; shortfalls: { reason: string; message: string }[] }) => [a.use, a.shortfalls[0]?.reason]),
    [['legacy checksums', 'MONITORED_ONLY'], ['TLS server certificate', 'KEY_TOO_SHORT'], ['old password hashes', 'NOT_ON_LIST']])
  t.same((await get(employee, '/api/system-crypto-shortfalls?includeMissing=false')).body.items.map((x: { systemId: string }) => x.systemId), ['WEB'])
  const first = await get(employee, '/api/system-crypto-shortfalls?first=1')
  t.match(first.body.pageInfo, { hasNextPage: true })
  const next = await get(employee, `/api/system-crypto-shortfalls?first=1&after=${first.body.pageInfo.endCursor}`)
  t.same(next.body.items.map((x: { systemId: string }) => x.systemId), ['WEB'])
  t.equal(next.body.pageInfo.hasNextPage, false)
  t.match(await get(employee, '/api/system-crypto-shortfalls?after=forged'), { status: 400, body: { code: 'InvalidCursor' } })
  t.same((await get(mic, '/api/system-crypto-shortfalls')).body.items, [], 'another agency sees nothing')
  const editions = await get(employee, '/api/cryptrec-editions')
  t.match(editions.body, { current: 'CRYPTREC-2022', editions: [{ id: 'CRYPTREC-2022', document: 'CRYPTREC LS-0001-2012R7' }] })

  const q = await gql(employee, `{ systemCryptoShortfalls(includeMissing: false, first: 5) { edges { node { systemId policySet shortfallCount
    algorithms { algorithm recommended components { text name list keyLength } shortfalls { reason component keyLength minKeyLength } } } } pageInfo { hasNextPage } } }`)
  t.same(q.body.errors, undefined)
  const node = q.body.data.systemCryptoShortfalls.edges[0].node
  t.match(node, { systemId: 'WEB', policySet: true, shortfallCount: 3 })
  t.same(node.algorithms[1], {
    algorithm: 'RSA', recommended: false, components: [{ text: 'RSA', name: 'RSASSA-PKCS1-v1_5', list: 'E_GOVERNMENT_RECOMMENDED', keyLength: 1024 }],
    shortfalls: [{ reason: 'KEY_TOO_SHORT', component: 'RSA', keyLength: 1024, minKeyLength: 2048 }],
  })
  const listed = await gql(employee, '{ cryptrecEditions { id current entries { name list minKeyLength aliases } } }')
  t.match(listed.body.data.cryptrecEditions[0], { id: 'CRYPTREC-2022', current: true })
  t.match(listed.body.data.cryptrecEditions[0].entries.find((e: { name: string }) => e.name === 'SHA-1'), { list: 'MONITORED', minKeyLength: null, aliases: ['SHA1'] })
})

t.test('continuity: plans and exercises; findings make the promotion plan (not the policy) due for review', async (t) => {
  const before = await get(gso, '/api/systems?continuityPlanMissing=true')
  t.same(before.body.items.map((x: { id: string }) => x.id), ['INT', 'WEB'])
  t.match(await post(employee, '/api/systems/INT/continuity-plan', { version: '1', measures: ['m'] }), { status: 403 })
  t.equal((await post(oda, '/api/systems/INT/continuity-plan', { version: '2026-1', recoveryTimeObjective: 'PT4H', measures: ['standby site', 'restore from backup'] })).status, 200)
  t.match(await post(oda, '/api/systems/INT/continuity-plan', { version: '2026-1', measures: ['x'] }), { status: 409, body: { code: 'ContinuityPlanVersionExists' } })
  t.match(await post(oda, '/api/systems/INT/continuity-exercises', { heldOn: '2026-07-05', scenario: 's', securityMeasuresHeld: true }), { status: 422, body: { code: 'ExerciseInFuture' } })
  const clean = await post(oda, '/api/systems/INT/continuity-exercises', { heldOn: '2026-06-10', scenario: 'tabletop: ransomware', securityMeasuresHeld: true, findings: [] })
  t.equal(clean.status, 201)
  await h.settle('mof')
  t.match((await get(gso, '/api/reviews-due')).body, { plan: { due: false }, policy: { due: false } }, 'an exercise that found nothing changes nothing')
  const found = await post(oda, '/api/systems/INT/continuity-exercises', { heldOn: '2026-06-20', scenario: 'failover to the standby site', securityMeasuresHeld: false, findings: ['log forwarding stopped after failover'] })
  await h.settle('mof')
  const due = (await get(gso, '/api/reviews-due')).body
  t.match(due, { plan: { due: true, reasonCount: 1, reasons: [{ eventType: 'ContinuityExerciseHeld', streamId: 'system-INT', position: found.body.position }] }, policy: { due: false } })
  const int = await get(gso, '/api/systems/INT')
  t.match(int.body.continuity, {
    planRequired: true, planMissing: false, planVersions: 1, exerciseCount: 2,
    plan: { version: '2026-1', recoveryTimeObjective: 'PT4H', measures: ['standby site', 'restore from backup'], by: 'oda' },
  })
  t.same(int.body.continuity.exercises.map((e: { heldOn: string; securityMeasuresHeld: boolean; planVersion: string }) => [e.heldOn, e.securityMeasuresHeld, e.planVersion]),
    [['2026-06-20', false, '2026-1'], ['2026-06-10', true, '2026-1']], 'newest first')
  t.same((await get(gso, '/api/systems?continuityPlanMissing=true')).body.items.map((x: { id: string }) => x.id), ['WEB'])
})

const goodMeasures = {
  tls: { enabled: true, minVersion: '1.2', hsts: true },
  domainAuthenticity: { dnssec: false },
  noInsecureContent: { noPlugins: true, noUnsignedDownloads: true, noMixedContent: true },
}

t.test('internet services: internet-facing systems only; shortfalls derived when read; a service recorded again is replaced', async (t) => {
  t.match(await post(oda, '/api/systems/INT/internet-services', { serviceName: 'x', domain: 'x.go.jp', measures: goodMeasures }), { status: 409, body: { code: 'NotInternetFacing' } })
  t.match(await post(sato, '/api/systems/WEB/internet-services', { serviceName: 'x', domain: 'not a domain', measures: goodMeasures }), { status: 400 })
  t.match(await post(employee, '/api/systems/WEB/internet-services', { serviceName: 'x', domain: 'x.go.jp', measures: goodMeasures }), { status: 403 })
  t.equal((await post(sato, '/api/systems/WEB/internet-services', { serviceName: 'portal', domain: 'www.example.go.jp', measures: goodMeasures })).status, 200)
  const weak = {
    tls: { enabled: true, minVersion: '1.0' },
    domainAuthenticity: { dnssec: false, mail: { spf: true, dkim: false, dmarc: false } },
    noInsecureContent: { noPlugins: true, noUnsignedDownloads: false },
  }
  const recorded = await post(sato, '/api/systems/WEB/internet-services', { serviceName: 'downloads', domain: 'dl.example-agency.jp', measures: weak })
  const web = await get(employee, `/api/systems/WEB?minPosition=${recorded.body.position}`)
  t.same(web.body.internetServices.map((s: { serviceName: string; governmentDomain: boolean; shortfalls: { code: string }[] }) => [s.serviceName, s.governmentDomain, s.shortfalls.map((x) => x.code)]), [
    ['portal', true, []],
    ['downloads', false, ['TLS_BELOW_1_2', 'NO_DOMAIN_AUTHENTICITY', 'MAIL_AUTHENTICATION_MISSING', 'INSECURE_CONTENT']],
  ])
  const fixed = await post(sato, '/api/systems/WEB/internet-services', { serviceName: 'downloads', domain: 'dl.example-agency.jp', measures: { ...goodMeasures, domainAuthenticity: { dnssec: true } } })
  const q = await gql(employee, `query($min: Int) { informationSystem(id: "WEB", minPosition: $min) { internetServices { serviceName domain governmentDomain
    measures { tls { enabled minVersion hsts } domainAuthenticity { dnssec mail { spf } } noInsecureContent { noPlugins noUnsignedDownloads } } shortfalls { code } by } } }`, { min: fixed.body.position })
  t.same(q.body.data.informationSystem.internetServices, [
    { serviceName: 'portal', domain: 'www.example.go.jp', governmentDomain: true, measures: { tls: { enabled: true, minVersion: '1.2', hsts: true }, domainAuthenticity: { dnssec: false, mail: null }, noInsecureContent: { noPlugins: true, noUnsignedDownloads: true } }, shortfalls: [], by: 'sato' },
    { serviceName: 'downloads', domain: 'dl.example-agency.jp', governmentDomain: false, measures: { tls: { enabled: true, minVersion: '1.2', hsts: true }, domainAuthenticity: { dnssec: true, mail: null }, noInsecureContent: { noPlugins: true, noUnsignedDownloads: true } }, shortfalls: [], by: 'sato' },
  ])
})

t.test('the measures through GraphQL mutations, with their error codes', async (t) => {
  const SET = 'mutation($id: ID!, $input: SetCryptoPolicyInput!) { setCryptoPolicy(systemId: $id, input: $input) { id position } }'
  const PLAN = 'mutation($id: ID!, $input: RecordContinuityPlanInput!) { recordContinuityPlan(systemId: $id, input: $input) { id } }'
  const EXERCISE = 'mutation($id: ID!, $input: RecordContinuityExerciseInput!) { recordContinuityExercise(systemId: $id, input: $input) { id } }'
  const SERVICE = 'mutation($id: ID!, $input: RecordInternetServiceMeasuresInput!) { recordInternetServiceMeasures(systemId: $id, input: $input) { id } }'
  const set = await gql(gso, SET, { id: 'OLD', input: { algorithms: [{ use: 'backups', algorithm: 'Camellia-256-CBC' }] } })
  t.equal(set.body.data.setCryptoPolicy.id, 'OLD')
  const old = await gql(employee, 'query($min: Int) { informationSystem(id: "OLD", minPosition: $min) { cryptoEvaluation { fallsShort algorithms { components { name keyLength } } } } }', { min: set.body.data.setCryptoPolicy.position })
  t.same(old.body.data.informationSystem.cryptoEvaluation, { fallsShort: false, algorithms: [{ components: [{ name: 'Camellia', keyLength: 256 }, { name: 'CBC', keyLength: null }] }] })
  t.equal((await gql(gso, PLAN, { id: 'OLD', input: { version: 'v1', measures: ['manual fallback'] } })).body.data.recordContinuityPlan.id, 'OLD')
  const future = await gql(gso, EXERCISE, { id: 'OLD', input: { heldOn: '2027-01-01', scenario: 's', securityMeasuresHeld: true } })
  t.equal(future.status, 422)
  t.equal(future.body.errors[0].extensions.code, 'ExerciseInFuture')
  const notFacing = await gql(gso, SERVICE, { id: 'OLD', input: { serviceName: 's', domain: 'a.go.jp', measures: goodMeasures } })
  t.equal(notFacing.body.errors[0].extensions.code, 'NotInternetFacing')
  const forbidden = await gql(employee, SET, { id: 'OLD', input: { algorithms: [{ use: 'u', algorithm: 'AES' }] } })
  t.equal(forbidden.status, 403)
})

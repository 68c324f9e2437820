// REST end to end for system use (Art. 22): usage rules published in versions (the one in force today,
// Japan date of the injected clock, is current: the latest published with effectiveFrom on or before
// today), acknowledged by employees for themselves (the version in force or an upcoming one, once),
// coverage per unit and the employees who have not acknowledged the version in force, who may publish,
// and visibility across agencies.
import t from 'tap'
import { startTestApp } from '../helpers/app.js'

const JULY = new Date('2026-07-01T10:00:00+09:00')
let now = JULY
const h = await startTestApp(t, { clock: { now: () => now } })
await h.agency('mof')
await h.agency('ipa', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
await h.agency('mic')
for (const [id, unit] of [['sato', 'u1'], ['suzuki', 'u1'], ['ota', 'u2']] as const) await h.employee('mof', id, unit)
await h.employee('mof', 'newbie', 'u2', '2026-08-01')
const gso = await h.token('mof', ['GENERAL_SECURITY_OFFICER'], 'tanaka')
const sato = await h.token('mof', [], 'sato')
const suzuki = await h.token('mof', [], 'suzuki')
const mic = await h.token('mic', ['CISO'], 'kato')
const ipa = await h.token('ipa', ['CISO'], 'ito')

const auth = (token: string) => ({ authorization: `Bearer ${token}` })
async function post(token: string, url: string, payload: object) {
  const res = await h.app.inject({ method: 'POST', url, headers: auth(token), payload })
  return { status: res.statusCode, body: res.json() }
}
async function get(token: string, url: string) {
  const res = await h.app.inject({ method: 'GET', url, headers: auth(token) })
  return { status: res.statusCode, body: res.json() }
}
const rules = (version: string, effectiveFrom: string) => ({ version, title: `Rules for using information systems ${version}`, summary: 'work use only; no personal devices', documentRef: 'DOC-22', effectiveFrom })
const pending = async (query = '') => (await get(gso, `/api/usage-rules/pending${query}`)).body.items.map((e: { employeeId: string }) => e.employeeId)

t.test('before any rules: nothing to acknowledge, nothing pending', async (t) => {
  t.match(await post(sato, '/api/usage-rules/acknowledgements', { version: '2026.1' }), { status: 409, body: { code: 'NotCurrentUsageRules', currentVersion: null } })
  const coverage = await get(gso, '/api/usage-rules/coverage')
  t.match(coverage.body, { agencyId: 'mof', asOf: '2026-07-01', current: null, total: { employees: 4, acknowledged: 0, pending: 0, coverage: null } })
  t.same(await pending(), [])
})

t.test('publishing: the CISO or general security officer; versions once and in effective-date order', async (t) => {
  t.match(await post(sato, '/api/usage-rules', rules('2026.1', '2026-04-01')), { status: 403, body: { code: 'Forbidden' } })
  const published = await post(gso, '/api/usage-rules', rules('2026.1', '2026-04-01'))
  t.match(published, { status: 201, body: { id: '2026.1' } })
  t.match(await post(gso, '/api/usage-rules', rules('2026.1', '2026-05-01')), { status: 409, body: { code: 'UsageRulesVersionExists' } })
  t.match(await post(gso, '/api/usage-rules', rules('2025.9', '2026-03-01')), { status: 409, body: { code: 'UsageRulesOutOfOrder' } })
  const list = await get(sato, `/api/usage-rules?minPosition=${published.body.position}`)
  t.match(list.body.items, [{ version: '2026.1', current: true, upcoming: false, effectiveFrom: '2026-04-01', documentRef: 'DOC-22', supersedes: null, publishedBy: 'tanaka', acknowledgements: 0 }])
})

t.test('two employees, one acknowledges: coverage per unit lists the other', async (t) => {
  t.match(await post(sato, '/api/usage-rules/acknowledgements', { version: '2025.1' }), { status: 409, body: { code: 'NotCurrentUsageRules', version: '2025.1', currentVersion: '2026.1', upcomingVersions: [] } })
  const acked = await post(sato, '/api/usage-rules/acknowledgements', { version: '2026.1' })
  t.match(acked, { status: 200, body: { id: '2026.1', streamVersion: 1 } })
  const again = await post(sato, '/api/usage-rules/acknowledgements', { version: '2026.1' })
  t.match(again, { status: 200, body: { streamVersion: 1, replayed: false } }, 'a repeat records nothing')
  await h.settle('mof')
  const coverage = await get(gso, '/api/usage-rules/coverage')
  t.match(coverage.body, { current: { version: '2026.1' }, total: { employees: 4, acknowledged: 1, pending: 3, coverage: 0.25 } }, 'newbie joins in August: not counted today')
  t.match(coverage.body.units.find((u: { unitId: string }) => u.unitId === 'u1'), { employees: 2, acknowledged: 1, pending: 1, coverage: 0.5 })
  t.match(coverage.body.units.find((u: { unitId: string }) => u.unitId === 'u2'), { employees: 1, acknowledged: 0, pending: 1 })
  t.same(await pending('?unitId=u1'), ['suzuki'])
  t.same(await pending(), ['tanaka', 'suzuki', 'ota'], 'by unit (general, u1, u2), then employee')
  const page1 = await get(gso, '/api/usage-rules/pending?first=2')
  t.equal(page1.body.pageInfo.hasNextPage, true)
  const page2 = await get(gso, `/api/usage-rules/pending?first=2&after=${page1.body.pageInfo.endCursor}`)
  t.same(page2.body.items.map((e: { employeeId: string }) => e.employeeId), ['ota'])
  t.match((await get(gso, '/api/usage-rules')).body.items, [{ version: '2026.1', acknowledgements: 1 }])
})

t.test('a version published ahead of its effective date is upcoming: acknowledged ahead, but not in force until then', async (t) => {
  t.equal((await post(gso, '/api/usage-rules', rules('2026.2', '2026-10-01'))).status, 201)
  await h.settle('mof')
  const upcoming = await get(gso, '/api/usage-rules')
  t.match(upcoming.body.items, [{ version: '2026.2', current: false, upcoming: true, supersedes: '2026.1' }, { version: '2026.1', current: true, upcoming: false }], '2026.1 stays in force until October')
  t.match(await post(suzuki, '/api/usage-rules/acknowledgements', { version: '2025.1' }), { status: 409, body: { code: 'NotCurrentUsageRules', currentVersion: '2026.1', upcomingVersions: ['2026.2'] } })
  t.equal((await post(suzuki, '/api/usage-rules/acknowledgements', { version: '2026.1' })).status, 200, 'the version in force')
  t.equal((await post(suzuki, '/api/usage-rules/acknowledgements', { version: '2026.2' })).status, 200, 'the upcoming one, ahead of its effective date')
  await h.settle('mof')
  const coverage = await get(gso, '/api/usage-rules/coverage')
  t.match(coverage.body, { current: { version: '2026.1', current: true }, total: { employees: 4, acknowledged: 2, pending: 2 } }, 'coverage is of the version in force')
  t.match(coverage.body.units.find((u: { unitId: string }) => u.unitId === 'u1'), { employees: 2, acknowledged: 2, pending: 0 })
  t.same(await pending('?unitId=u1'), [], 'both acknowledged the version in force')
})

t.test('from its effective date (Japan) the new version supersedes: the old one can no longer be acknowledged, and who has not acknowledged the new one is pending again', async (t) => {
  t.teardown(() => { now = JULY })
  now = new Date('2026-09-30T23:59:00+09:00')
  t.match((await get(gso, '/api/usage-rules/coverage')).body, { asOf: '2026-09-30', current: { version: '2026.1' } }, 'the last day of 2026.1')
  now = new Date('2026-09-30T15:00:00Z') // 2026-10-01 00:00 in Japan
  t.match(await post(sato, '/api/usage-rules/acknowledgements', { version: '2026.1' }), { status: 409, body: { code: 'NotCurrentUsageRules', currentVersion: '2026.2', upcomingVersions: [] } })
  const list = await get(gso, '/api/usage-rules')
  t.match(list.body.items, [{ version: '2026.2', current: true, upcoming: false, supersedes: '2026.1', acknowledgements: 1 }, { version: '2026.1', current: false, upcoming: false, acknowledgements: 2 }])
  const first = await get(gso, '/api/usage-rules?first=1')
  const rest = await get(gso, `/api/usage-rules?first=1&after=${first.body.pageInfo.endCursor}`)
  t.same([...first.body.items, ...rest.body.items].map((r: { version: string }) => r.version), ['2026.2', '2026.1'])
  const items = (await get(gso, '/api/usage-rules/pending?unitId=u1')).body.items
  t.match(items, [{ employeeId: 'sato', unitId: 'u1', lastAcknowledgedVersion: '2026.1' }], 'suzuki acknowledged 2026.2 ahead')
  t.equal(items.length, 1)
  t.match((await get(gso, '/api/usage-rules/coverage')).body, { asOf: '2026-10-01', current: { version: '2026.2' }, total: { employees: 5, acknowledged: 1, pending: 4 } }, 'newbie joined in August')
  t.equal((await post(sato, '/api/usage-rules/acknowledgements', { version: '2026.2' })).status, 200)
  t.equal((await get(gso, '/api/usage-rules?after=nope')).status, 400)
  t.equal((await get(gso, '/api/usage-rules/pending?after=nope')).status, 400)
})

t.test('across agencies: another agency sees nothing; a national organ reads the bodies under it', async (t) => {
  t.same((await get(mic, '/api/usage-rules')).body.items, [])
  t.match((await get(mic, '/api/usage-rules/coverage')).body, { agencyId: 'mic', current: null })
  t.equal((await get(mic, '/api/usage-rules/coverage?agencyId=mof')).status, 400)
  t.equal((await post(ipa, '/api/usage-rules', rules('IPA-1', '2026-04-01'))).status, 201)
  await h.settle('ipa')
  t.match((await get(gso, '/api/usage-rules?agencyId=ipa')).body.items, [{ agencyId: 'ipa', version: 'IPA-1' }])
  t.match((await get(gso, '/api/usage-rules/coverage?agencyId=ipa')).body, { agencyId: 'ipa', current: { version: 'IPA-1' }, total: { employees: 1, pending: 1 } })
})

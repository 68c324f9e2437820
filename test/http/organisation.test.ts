// REST end to end for the organisation (Art. 2, 4 §4–5, 5, 15): every command through the catalogue,
// its error codes, idempotency, authorization DERIVED from role assignments and delegations on the
// clock's date, the reads (chart, authority, paged lists), visibility across agencies, and the
// organisation read model when one batch creates and changes the same rows.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import { issueToken } from '../../src/application/tokens.js'
import { commandRoles } from '../../src/domain/shared/authorization.js'
import { startTestApp } from '../helpers/app.js'

const TODAY = new Date('2026-06-15T10:00:00+09:00')
let current = TODAY
const clock = { now: () => current }
/** Moves the clock to noon (Japan) of `date` for the rest of the test. */
const travelTo = (t: { teardown(fn: () => void): void }, date: string) => {
  current = new Date(`${date}T12:00:00+09:00`)
  t.teardown(() => { current = TODAY })
}

const h = await startTestApp(t, { clock })
await h.agency('mof')
await h.agency('ipa', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
await h.agency('mic')
const ciso = await h.token('mof', ['CISO'], 'boss')
const gso = await h.token('mof', ['GENERAL_SECURITY_OFFICER'], 'tanaka')
const sato = await h.token('mof', [], 'sato')
const ipa = await h.token('ipa', ['CISO'], 'ito')
const mic = await h.token('mic', ['CISO'], 'kato')

const auth = (token: string) => ({ authorization: `Bearer ${token}` })
async function post(token: string, url: string, payload: object, headers: Record<string, string> = {}) {
  const res = await h.app.inject({ method: 'POST', url: `/api/organisation${url}`, headers: { ...auth(token), ...headers }, payload })
  return { status: res.statusCode, body: res.json(), headers: res.headers }
}
async function get(token: string, url: string) {
  const res = await h.app.inject({ method: 'GET', url: `/api/organisation${url}`, headers: auth(token) })
  return { status: res.statusCode, body: res.json() }
}
/** Posts and insists on success; answers the body ({ id, position, ... }). */
async function ok(token: string, url: string, payload: object, status = 201) {
  const res = await post(token, url, payload)
  if (res.status !== status) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body as { id: string; position: number; streamVersion: number; replayed: boolean }
}
const logLength = async (agencyId = 'mof') => (await h.store.readAgency(agencyId, 0, 1_000_000)).length
interface Holder { assignmentId: string | null; employeeId: string; role: string; delegationId: string | null; scope: Record<string, unknown> }
const who = (holders: Holder[]) => holders.map((x) => `${x.employeeId}:${x.role}`).sort()
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const ids: Record<string, string> = {}

t.test('every organisation command answers with the id of its record, and the chart shows the result', async (t) => {
  const unit = await post(ciso, '/units', { unitId: 'cyber', name: 'Cyber division' })
  t.equal(unit.status, 201)
  t.match(unit.body, { id: 'cyber', streamVersion: Number, position: Number, replayed: false })
  t.equal((await ok(gso, '/units', { unitId: 'cyber-1', name: 'Team 1', parentUnitId: 'cyber' })).id, 'cyber-1', 'the general security officer may create units')
  t.equal((await ok(ciso, '/areas', { areaId: 'server-room', name: 'Server room', unitId: 'cyber', measures: ['card reader'] })).id, 'server-room')
  const measures = await post(ciso, '/areas/server-room/measures', { measures: ['card reader', 'camera'] })
  t.same([measures.status, measures.body.id], [200, 'server-room'])
  const settings = await post(ciso, '/settings', { education: { newcomerWithinMonths: 6 } })
  t.same([settings.status, settings.body.id], [200, 'mof'])

  for (const [employeeId, name] of [['yamada', 'Yamada Taro'], ['mori', 'Mori Hanako'], ['abe', 'Abe Jiro']]) {
    t.equal((await ok(gso, '/employees', { employeeId, name, unitId: 'cyber', joinedOn: '2026-04-01' })).id, employeeId)
  }
  const transfer = await post(gso, '/employees/yamada/transfer', { toUnitId: 'cyber-1', on: '2026-06-01' })
  t.same([transfer.status, transfer.body.id], [200, 'yamada'])
  const departure = await post(gso, '/employees/abe/departure', { on: '2026-06-10', reason: 'retired' })
  t.same([departure.status, departure.body.id], [200, 'abe'])

  const officer = await ok(ciso, '/role-assignments', { employeeId: 'yamada', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'cyber-1' }, from: '2026-04-01' })
  t.match(officer.id, UUID, 'a new assignment id')
  ids.officer = officer.id
  ids.areaOfficer = (await ok(gso, '/role-assignments', { employeeId: 'mori', role: 'AREA_SECURITY_OFFICER', scope: { kind: 'AREA', areaId: 'server-room' }, from: '2026-04-01' })).id
  ids.csirt = (await ok(ciso, '/role-assignments', { employeeId: 'mori', role: 'CSIRT_MEMBER', from: '2026-04-01', to: '2026-06-30', note: 'FY2026 first half' })).id
  const end = await post(ciso, `/role-assignments/${ids.csirt}/end`, { on: '2026-06-20', reason: 'moved to audit' })
  t.same([end.status, end.body.id], [200, ids.csirt])

  const committee = await ok(ciso, '/committee', { name: 'Security committee', mandate: 'Deliberates the basic policy', chairId: 'yamada', memberIds: ['mori', 'sato'], from: '2026-04-01' })
  t.match(committee.id, UUID)
  ids.committee = committee.id
  const delegation = await ok(ciso, '/delegations', { delegateId: 'mori', task: 'Stand in during leave', role: 'CISO', from: '2026-07-01', to: '2026-07-31' })
  t.match(delegation.id, UUID)
  ids.delegation = delegation.id
  const endDelegation = await post(ciso, `/delegations/${delegation.id}/end`, { on: '2026-07-10', reason: 'leave shortened' })
  t.same([endDelegation.status, endDelegation.body.id], [200, delegation.id])

  const chart = await get(sato, `?minPosition=${endDelegation.body.position}`)
  t.equal(chart.status, 200)
  await h.settle('mof') // the agency's settings live in the agencies read model
  const body = (await get(sato, '')).body
  t.match(body.agency, { id: 'mof', name: 'Agency mof', kind: 'NATIONAL_ADMINISTRATIVE_ORGAN', parentId: null })
  t.same(body.agency.settings, { education: { trainingsPerFiscalYear: 1, newcomerWithinMonths: 6 }, selfCheck: { perFiscalYear: 1 }, deadlines: { planGraceDays: 30, incidentTriageHours: 24, incidentCisoReportHours: 24, nationalCentreNoticeHours: 72, contractErasureDays: 30 } }, 'the change merged into the defaults')
  t.same(body.units.map((u: { id: string }) => u.id), ['cyber', 'cyber-1', 'general'])
  t.match(body.units[0], { id: 'cyber', name: 'Cyber division', parentUnitId: null, employeeCount: 1, holders: [] }, 'mori only: yamada moved, abe left')
  t.match(body.units[1], { id: 'cyber-1', parentUnitId: 'cyber', employeeCount: 1 })
  t.same(body.units[1].holders, [{
    assignmentId: ids.officer, employeeId: 'yamada', name: 'Yamada Taro', unitId: 'cyber-1', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'cyber-1' },
    from: '2026-04-01', to: null, delegationId: null,
  }])
  t.match(body.areas, [{ id: 'server-room', name: 'Server room', unitId: 'cyber', measures: ['card reader', 'camera'], measuresRecordedAt: String }])
  t.same(who(body.areas[0].officers), ['mori:AREA_SECURITY_OFFICER'])
  t.same(body.committee, { id: ids.committee, name: 'Security committee', mandate: 'Deliberates the basic policy', chairId: 'yamada', memberIds: ['mori', 'sato'], from: '2026-04-01' })
  t.same(who(body.agencyRoles), ['boss:CISO', 'mori:COMMITTEE_MEMBER', 'mori:CSIRT_MEMBER', 'sato:COMMITTEE_MEMBER', 'tanaka:GENERAL_SECURITY_OFFICER', 'yamada:COMMITTEE_CHAIR'])

  const later = (await get(sato, '?on=2026-07-05')).body
  t.notOk(who(later.agencyRoles).includes('mori:CSIRT_MEMBER'), 'the ended term is gone on a later date')
  const standIn = later.agencyRoles.find((x: Holder) => x.employeeId === 'mori' && x.role === 'CISO')
  t.match(standIn, { assignmentId: null, delegationId: ids.delegation, from: '2026-07-01', to: '2026-07-10', scope: { kind: 'AGENCY' } }, 'the delegate holds CISO through the delegation')
  t.notOk(who((await get(sato, '?on=2026-07-11')).body.agencyRoles).includes('mori:CISO'), 'not after the delegation ended')
  const before = (await get(sato, '?on=2026-03-31')).body
  t.same(before.units.map((u: { id: string; employeeCount: number }) => [u.id, u.employeeCount]), [['cyber', 0], ['cyber-1', 0], ['general', 3]],
    'on a date before they joined (2026-04-01) the new employees are not counted')
})

t.test('broken rules answer with their catalogue status and code, and write nothing', async (t) => {
  const before = await logLength()
  const cases: [string, string, object, number, string][] = [
    [ciso, '/units', { unitId: 'cyber', name: 'again' }, 409, 'UnitAlreadyExists'],
    [ciso, '/units', { unitId: 'team-9', name: 'x', parentUnitId: 'nope' }, 422, 'UnknownUnit'],
    [ciso, '/units', { unitId: 'has space', name: 'x' }, 400, 'ValidationFailed'],
    [ciso, '/areas', { areaId: 'server-room', name: 'again' }, 409, 'AreaAlreadyExists'],
    [ciso, '/areas', { areaId: 'vault', name: 'Vault', unitId: 'nope' }, 422, 'UnknownUnit'],
    [ciso, '/areas/nope/measures', { measures: ['lock'] }, 422, 'UnknownArea'],
    [ciso, '/settings', {}, 400, 'ValidationFailed'],
    [ciso, '/settings', { selfCheck: { perFiscalYear: 0 } }, 400, 'ValidationFailed'],
    [gso, '/employees', { employeeId: 'yamada', name: 'again', unitId: 'cyber', joinedOn: '2026-04-01' }, 409, 'EmployeeAlreadyExists'],
    [gso, '/employees', { employeeId: 'new1', name: 'x', unitId: 'nope', joinedOn: '2026-04-01' }, 422, 'UnknownUnit'],
    [gso, '/employees/ghost/transfer', { toUnitId: 'cyber', on: '2026-06-01' }, 422, 'UnknownEmployee'],
    [gso, '/employees/yamada/transfer', { toUnitId: 'cyber-1', on: '2026-06-12' }, 409, 'AlreadyInUnit'],
    [gso, '/employees/yamada/transfer', { toUnitId: 'cyber', on: '2026-05-01' }, 422, 'InvalidPeriod'],
    [gso, '/employees/abe/transfer', { toUnitId: 'cyber-1', on: '2026-06-12' }, 409, 'EmployeeDeparted'],
    [gso, '/employees/abe/departure', { on: '2026-06-12' }, 409, 'EmployeeDeparted'],
    [ciso, '/role-assignments', { employeeId: 'sato', role: 'CISO', from: '2026-10-01' }, 409, 'RoleTermOverlap'],
    [ciso, '/role-assignments', { employeeId: 'yamada', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'cyber-1' }, from: '2026-06-01' }, 409, 'DuplicateAssignment'],
    [ciso, '/role-assignments', { employeeId: 'sato', role: 'SECURITY_OFFICER', from: '2026-04-01' }, 422, 'ScopeNotAllowed'],
    [ciso, '/role-assignments', { employeeId: 'sato', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'nope' }, from: '2026-04-01' }, 422, 'UnknownScope'],
    [ciso, '/role-assignments', { employeeId: 'sato', role: 'AREA_SECURITY_OFFICER', scope: { kind: 'AREA', areaId: 'nope' }, from: '2026-04-01' }, 422, 'UnknownScope'],
    [ciso, '/role-assignments', { employeeId: 'kato', role: 'CSIRT_MEMBER', from: '2026-04-01' }, 422, 'UnknownEmployee'],
    [ciso, '/role-assignments', { employeeId: 'sato', role: 'CSIRT_MEMBER', from: '2026-04-01', to: '2026-03-01' }, 422, 'InvalidPeriod'],
    [ciso, '/role-assignments', { employeeId: 'abe', role: 'CSIRT_MEMBER', from: '2026-07-01' }, 409, 'EmployeeDeparted'],
    [ciso, '/role-assignments', { employeeId: 'sato', role: 'KING', from: '2026-04-01' }, 400, 'ValidationFailed'],
    [ciso, `/role-assignments/${randomUUID()}/end`, { on: '2026-06-30', reason: 'x' }, 404, 'AssignmentNotFound'],
    [ciso, '/role-assignments/not-a-uuid/end', { on: '2026-06-30', reason: 'x' }, 400, 'ValidationFailed'],
    [ciso, `/role-assignments/${ids.csirt}/end`, { on: '2026-06-25', reason: 'x' }, 409, 'AssignmentAlreadyEnded'],
    [ciso, `/role-assignments/${ids.officer}/end`, { on: '2026-03-31', reason: 'x' }, 422, 'InvalidPeriod'],
    [ciso, '/committee', { name: 'c', mandate: 'm', chairId: 'sato', memberIds: ['mori', 'sato'], from: '2026-10-01' }, 422, 'ChairListedAsMember'],
    [ciso, '/committee', { name: 'c', mandate: 'm', chairId: 'sato', memberIds: ['mori', 'mori'], from: '2026-10-01' }, 422, 'DuplicateMember'],
    [ciso, '/committee', { name: 'c', mandate: 'm', chairId: 'kato', memberIds: ['sato'], from: '2026-10-01' }, 422, 'UnknownEmployee'],
    [ciso, '/committee', { name: 'c', mandate: 'm', chairId: 'sato', memberIds: ['tanaka'], from: '2026-10-01' }, 409, 'RoleTermOverlap'],
    [ciso, '/delegations', { delegateId: 'boss', task: 't', from: '2026-07-01', to: '2026-07-31' }, 422, 'SelfDelegation'],
    [ciso, '/delegations', { delegateId: 'sato', task: 't', role: 'CSIRT_HEAD', from: '2026-07-01', to: '2026-07-31' }, 403, 'DelegationBeyondOwnRoles'],
    [ciso, '/delegations', { delegateId: 'sato', task: 't', from: '2026-07-31', to: '2026-07-01' }, 422, 'InvalidPeriod'],
    [ciso, '/delegations', { delegateId: 'sato', task: 't', from: '2026-06-01', to: '2026-06-14' }, 422, 'InvalidPeriod'],
    [ciso, '/delegations', { delegateId: 'kato', task: 't', from: '2026-07-01', to: '2026-07-31' }, 422, 'UnknownEmployee'],
    [ciso, `/delegations/${randomUUID()}/end`, { on: '2026-07-05' }, 404, 'DelegationNotFound'],
    [ciso, `/delegations/${ids.delegation}/end`, { on: '2026-07-05' }, 409, 'DelegationAlreadyEnded'],
  ]
  for (const [token, url, payload, status, code] of cases) {
    const res = await post(token, url, payload)
    t.same([res.status, res.body.code], [status, code], `${url} ${JSON.stringify(payload)}`)
  }
  const overlap = await post(ciso, '/role-assignments', { employeeId: 'sato', role: 'CISO', from: '2026-10-01' })
  t.match(overlap.body, { holder: 'boss', role: 'CISO', from: '2020-04-01', to: null, fix: /EndRoleAssignment/ }, 'the current holder is named')
  const foreign = await post(ciso, '/role-assignments', { employeeId: 'kato', role: 'CSIRT_MEMBER', from: '2026-04-01' })
  t.equal(foreign.body.employeeId, 'kato')
  t.equal(await logLength(), before, 'nothing was appended')
})

t.test('403 for a caller without a role the rules table names for the command', async (t) => {
  const before = await logLength()
  const cases: [string, string, object, readonly string[]][] = [
    [sato, '/units', { unitId: 'x1', name: 'x' }, commandRoles.CreateUnit],
    [sato, '/employees', { employeeId: 'x1', name: 'x', unitId: 'cyber', joinedOn: '2026-04-01' }, commandRoles.RegisterEmployee],
    [sato, '/role-assignments', { employeeId: 'sato', role: 'CISO', from: '2030-04-01' }, commandRoles.AssignRole],
    [gso, '/settings', { education: { newcomerWithinMonths: 1 } }, ['CISO']],
    [gso, '/committee', { name: 'c', mandate: 'm', chairId: 'mori', memberIds: ['sato'], from: '2030-04-01' }, ['CISO']],
  ]
  for (const [token, url, payload, roles] of cases) {
    const res = await post(token, url, payload)
    t.equal(res.status, 403, url)
    t.match(res.body, { code: 'Forbidden', requiredRoles: [...roles], detail: /you hold .*EMPLOYEE/ })
  }
  // Anyone may ask to end a delegation, but only its delegator (or the CISO or general security officer) may.
  const notMine = await post(sato, `/delegations/${ids.delegation}/end`, { on: '2026-07-02' })
  t.equal(notMine.status, 403)
  t.match(notMine.body, { code: 'NotDelegator' })
  t.equal(await logLength(), before)
  const task = await post(sato, '/delegations', { delegateId: 'mori', task: 'Water the plants', from: '2026-07-01', to: '2026-07-02' })
  t.equal(task.status, 201, 'anyone may delegate a task (DelegateResponsibility is open to ANY)')
})

t.test('the same Idempotency-Key answers the first result once; another body with it is refused', async (t) => {
  const payload = { unitId: 'legal', name: 'Legal division' }
  const first = await post(ciso, '/units', payload, { 'idempotency-key': 'unit-legal' })
  const again = await post(ciso, '/units', payload, { 'idempotency-key': 'unit-legal' })
  t.equal(first.status, 201)
  t.match(again.body, { id: 'legal', replayed: true, position: first.body.position, streamVersion: first.body.streamVersion })
  t.equal(again.headers['idempotent-replayed'], 'true')
  const other = await post(ciso, '/units', { ...payload, name: 'Legal affairs' }, { 'idempotency-key': 'unit-legal' })
  t.same([other.status, other.body.code], [422, 'IdempotencyKeyReused'])
  const units = (await h.store.readStream('mof', 'agency-mof')).events.filter((e) => e.type === 'UnitCreated' && (e.data as { unitId: string }).unitId === 'legal')
  t.equal(units.length, 1)
})

t.test('a retried AssignRole answers the id of the assignment it made', async (t) => {
  const payload = { employeeId: 'sato', role: 'AUDITOR', scope: { kind: 'UNIT', unitId: 'cyber' }, from: '2026-04-01' }
  const first = await post(ciso, '/role-assignments', payload, { 'idempotency-key': 'auditor-sato' })
  const again = await post(ciso, '/role-assignments', payload, { 'idempotency-key': 'auditor-sato' })
  t.equal(first.status, 201)
  t.equal(again.body.replayed, true)
  t.equal(again.body.id, first.body.id, 'the replay names the same assignment, not a fresh random id')
  const list = await get(ciso, `/role-assignments?employeeId=sato&role=AUDITOR&minPosition=${first.body.position}`)
  t.same(list.body.items.map((a: { assignmentId: string }) => a.assignmentId), [first.body.id], 'one assignment, with the id of the first answer')
})

t.test('authorization is derived from assignments on the clock date: a term that ends or has not begun gives no right', async (t) => {
  await h.employee('mof', 'suzuki', 'cyber')
  await h.employee('mof', 'nakamura', 'cyber')
  await h.employee('mof', 'ogawa', 'cyber')
  const suzuki = await h.token('mof', [], 'suzuki')
  const nakamura = await h.token('mof', [], 'nakamura')
  const ogawa = await h.token('mof', [], 'ogawa')
  await ok(ciso, '/role-assignments', { employeeId: 'suzuki', role: 'GENERAL_SECURITY_OFFICER', from: '2026-04-01', to: '2026-06-30' })
  const nakamuraGso = await ok(ciso, '/role-assignments', { employeeId: 'nakamura', role: 'GENERAL_SECURITY_OFFICER', from: '2026-04-01' })
  const last = await ok(ciso, '/role-assignments', { employeeId: 'ogawa', role: 'GENERAL_SECURITY_OFFICER', from: '2026-06-16' })
  await h.settle('mof', last.position)

  t.equal((await post(suzuki, '/units', { unitId: 'by-suzuki-1', name: 'x' })).status, 201, 'suzuki holds the role today')
  t.equal((await post(nakamura, '/units', { unitId: 'by-nakamura-1', name: 'x' })).status, 201)
  t.equal((await post(ogawa, '/units', { unitId: 'by-ogawa-1', name: 'x' })).status, 403, "ogawa's term starts tomorrow")

  const ended = await post(ciso, `/role-assignments/${nakamuraGso.id}/end`, { on: '2026-06-14', reason: 'moved' })
  t.equal(ended.status, 200)
  await h.settle('mof', ended.body.position)
  const refused = await post(nakamura, '/units', { unitId: 'by-nakamura-2', name: 'x' })
  t.same([refused.status, refused.body.code], [403, 'Forbidden'], 'the same token, after its actor lost the role (ended yesterday)')
  const authority = await get(ciso, '/authority?command=CreateUnit')
  t.notOk(who(authority.body.items[0].holders).includes('nakamura:GENERAL_SECURITY_OFFICER'), 'nor is nakamura listed as a holder')

  travelTo(t, '2026-06-16')
  t.equal((await post(ogawa, '/units', { unitId: 'by-ogawa-2', name: 'x' })).status, 201, 'from the first day of the term')
  travelTo(t, '2026-07-01')
  t.equal((await post(suzuki, '/units', { unitId: 'by-suzuki-2', name: 'x' })).status, 403, "the day after suzuki's term ended")
})

t.test('a delegated role works during the delegation and not before or after it', async (t) => {
  await h.employee('mof', 'kimura', 'cyber')
  const kimura = await h.token('mof', [], 'kimura')
  const delegation = await ok(ciso, '/delegations', { delegateId: 'kimura', task: 'Keep the settings while I travel', role: 'CISO', from: '2026-06-20', to: '2026-06-25' })
  await h.settle('mof', delegation.position)
  const change = () => post(kimura, '/settings', { education: { newcomerWithinMonths: 4 } })
  t.equal((await change()).status, 403, 'before the delegation')
  travelTo(t, '2026-06-20')
  t.equal((await change()).status, 200, 'during the delegation: the CISO-only command is allowed')
  const authority = await get(kimura, '/authority?command=ChangeAgencySettings')
  t.match(authority.body.items[0].holders.find((x: Holder) => x.employeeId === 'kimura'), { role: 'CISO', delegationId: delegation.id, assignmentId: null })
  travelTo(t, '2026-06-26')
  t.equal((await change()).status, 403, 'after it')
})

t.test("a unit's security officer manages that unit's employees only; an area officer that area only", async (t) => {
  await h.employee('mof', 'uchida', 'cyber')
  const officer = await ok(ciso, '/role-assignments', { employeeId: 'uchida', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'cyber' }, from: '2026-04-01' })
  await h.settle('mof', officer.position)
  const uchida = (await issueToken(h.db.app.pool, { agencyId: 'mof', actorId: 'uchida' })).token
  t.equal((await post(uchida, '/employees', { employeeId: 'c-new', name: 'Cyber Newcomer', unitId: 'cyber', joinedOn: '2026-06-15' })).status, 201, 'into their unit')
  const elsewhere = await post(uchida, '/employees', { employeeId: 'l-new', name: 'Legal Newcomer', unitId: 'legal', joinedOn: '2026-06-15' })
  t.match(elsewhere, { status: 403, body: { code: 'Forbidden', target: { unitIds: ['legal'] }, detail: /unit cyber/ } })
  t.equal((await post(uchida, '/employees/c-new/transfer', { toUnitId: 'legal', on: '2026-06-15' })).status, 200, 'out of their unit')
  t.equal((await post(uchida, '/employees/c-new/departure', { on: '2026-06-15' })).status, 403, 'but the employee is now in legal')
  t.equal((await post(uchida, '/employees/sato/departure', { on: '2026-06-15' })).status, 403, 'nor someone of another unit')
  t.equal((await post(uchida, '/units', { unitId: 'by-uchida', name: 'x' })).status, 403, 'CreateUnit is not theirs at all')

  const mori = (await issueToken(h.db.app.pool, { agencyId: 'mof', actorId: 'mori' })).token // AREA_SECURITY_OFFICER of server-room
  await ok(ciso, '/areas', { areaId: 'archive', name: 'Archive' })
  t.equal((await post(mori, '/areas/server-room/measures', { measures: ['card reader', 'camera', 'logbook'] })).status, 200)
  t.equal((await post(mori, '/areas/archive/measures', { measures: ['lock'] })).status, 403, 'another area')
})

t.test("a token with a roles limit cannot use a role outside it, though its actor holds that role", async (t) => {
  const employeeOnly = (await issueToken(h.db.app.pool, { agencyId: 'mof', actorId: 'boss', roles: ['EMPLOYEE'] })).token
  const res = await post(employeeOnly, '/units', { unitId: 'limited-1', name: 'x' })
  t.same([res.status, res.body.code], [403, 'Forbidden'])
  t.equal((await get(employeeOnly, '')).status, 200, 'it still reads')
  const cisoOnly = (await issueToken(h.db.app.pool, { agencyId: 'mof', actorId: 'boss', roles: ['CISO'] })).token
  t.equal((await post(cisoOnly, '/units', { unitId: 'limited-2', name: 'x' })).status, 201)
  const notHeld = (await issueToken(h.db.app.pool, { agencyId: 'mof', actorId: 'sato', roles: ['CISO'] })).token
  t.equal((await post(notHeld, '/units', { unitId: 'limited-3', name: 'x' })).status, 403, 'a limit never grants a role')
})

t.test('authority: who may issue a command today, from the rules table and the current holders', async (t) => {
  const res = await get(sato, '/authority?command=AssignRole')
  t.equal(res.status, 200)
  t.equal(res.body.items.length, 1)
  t.match(res.body.items[0], { command: 'AssignRole', roles: ['CISO', 'GENERAL_SECURITY_OFFICER'] })
  t.same(who(res.body.items[0].holders), ['boss:CISO', 'suzuki:GENERAL_SECURITY_OFFICER', 'tanaka:GENERAL_SECURITY_OFFICER'])
  const inJuly = await get(sato, '/authority?command=AssignRole&on=2026-07-05')
  t.same(who(inJuly.body.items[0].holders), ['boss:CISO', 'mori:CISO', 'ogawa:GENERAL_SECURITY_OFFICER', 'tanaka:GENERAL_SECURITY_OFFICER'], 'on another date: the delegate, the new officer, not the ended terms')
  t.same((await get(sato, '/authority?command=ReportIncident')).body.items, [{ command: 'ReportIncident', roles: 'ANY', holders: [] }])
  const all = await get(sato, '/authority')
  t.same(all.body.items.map((i: { command: string }) => i.command).sort(), Object.entries(commandRoles).filter(([, r]) => r !== 'SYSTEM').map(([c]) => c).sort(), 'every command of the rules table a caller can issue')
  t.same((await get(sato, '/authority?command=NoSuchCommand')).body.items, [])
})

t.test('employees: paged by id with a cursor, filtered by unit and by the date they are in the agency', async (t) => {
  await ok(gso, '/employees', { employeeId: 'zz-future', name: 'Future Hire', unitId: 'cyber', joinedOn: '2026-10-01' })
  await h.settle('mof')
  const all = await get(sato, '/employees?first=200')
  const allIds: string[] = all.body.items.map((e: { id: string }) => e.id)
  t.same(allIds, [...allIds].sort(), 'ordered by id')
  t.ok(allIds.includes('abe') && allIds.includes('zz-future'), 'all of them, whatever their dates')
  t.equal(all.body.pageInfo.hasNextPage, false)

  const walked: string[] = []
  let after: string | undefined
  for (let page = 0; page < allIds.length + 1; page++) {
    const res = await get(sato, `/employees?first=1${after ? `&after=${after}` : ''}`)
    t.equal(res.body.items.length, 1)
    walked.push(res.body.items[0].id)
    if (!res.body.pageInfo.hasNextPage) break
    after = res.body.pageInfo.endCursor
  }
  t.same(walked, allIds, 'following endCursor page by page visits each employee once')

  const first = (await get(sato, '/employees?first=1')).body
  const second = (await get(sato, `/employees?first=1&after=${first.pageInfo.endCursor}`)).body
  t.not(second.items[0].id, first.items[0].id)
  t.same(second.items[0].id, allIds[1])
  const bad = await get(sato, '/employees?after=not-a-cursor')
  t.same([bad.status, bad.body.code], [400, 'InvalidCursor'])

  t.same((await get(sato, '/employees?unitId=cyber&first=200')).body.items.map((e: { id: string }) => e.id).filter((id: string) => ['abe', 'mori', 'yamada', 'zz-future'].includes(id)), ['abe', 'mori', 'zz-future'])
  const active = (await get(sato, '/employees?unitId=cyber&activeOn=2026-06-15&first=200')).body.items.map((e: { id: string }) => e.id)
  t.ok(active.includes('mori'))
  t.notOk(active.includes('abe'), 'abe left on 2026-06-10')
  t.notOk(active.includes('zz-future'), 'not yet joined')
  t.match((await get(sato, '/employees?unitId=cyber-1')).body.items, [{ id: 'yamada', name: 'Yamada Taro', unitId: 'cyber-1', joinedOn: '2026-04-01', unitSince: '2026-06-01', departedOn: null }])
  t.equal((await get(sato, '/employees?first=0')).status, 400)
})

t.test('role assignments: past and present, paged, filtered by role, employee and date', async (t) => {
  const all = (await get(sato, '/role-assignments?first=200')).body.items as { assignmentId: string }[]
  const walked: string[] = []
  let after: string | undefined
  do {
    const page = (await get(sato, `/role-assignments?first=3${after ? `&after=${after}` : ''}`)).body
    t.ok(page.items.length <= 3)
    walked.push(...page.items.map((a: { assignmentId: string }) => a.assignmentId))
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : undefined
  } while (after)
  t.same(walked, all.map((a) => a.assignmentId), 'pages of 3 add up to the whole list')
  t.equal(new Set(walked).size, walked.length)

  t.same((await get(sato, '/role-assignments?role=CISO')).body.items.map((a: { employeeId: string }) => a.employeeId), ['boss'])
  const mori = (await get(sato, '/role-assignments?employeeId=mori')).body.items
  t.same(mori.map((a: { role: string }) => a.role).sort(), ['AREA_SECURITY_OFFICER', 'COMMITTEE_MEMBER', 'CSIRT_MEMBER'])
  t.match(mori.find((a: { role: string }) => a.role === 'CSIRT_MEMBER'), { assignmentId: ids.csirt, from: '2026-04-01', to: '2026-06-20', endReason: 'moved to audit', name: 'Mori Hanako' })
  const inJuly = (await get(sato, '/role-assignments?employeeId=mori&activeOn=2026-07-01')).body.items.map((a: { role: string }) => a.role).sort()
  t.same(inJuly, ['AREA_SECURITY_OFFICER', 'COMMITTEE_MEMBER'], 'the ended term is not active in July')
  t.equal((await get(sato, '/role-assignments?role=KING')).status, 400)
  t.equal((await get(sato, '/role-assignments?after=%%%')).body.code, 'InvalidCursor')
})

t.test('delegations are listed with their end', async (t) => {
  const res = await get(sato, '/delegations')
  t.equal(res.status, 200)
  t.match(res.body.items.find((d: { id: string }) => d.id === ids.delegation), {
    delegatorId: 'boss', delegateId: 'mori', task: 'Stand in during leave', role: 'CISO', from: '2026-07-01', to: '2026-07-10', endReason: 'leave shortened',
  })
  t.match(res.body.items.find((d: { delegateId: string; task: string }) => d.task === 'Water the plants'), { delegatorId: 'sato', role: null, endReason: null })
  t.equal(res.body.pageInfo.hasNextPage, false)
  const first = await get(sato, '/delegations?first=1')
  t.equal(first.body.items.length, 1)
  t.equal(first.body.pageInfo.hasNextPage, true)
  const next = await get(sato, `/delegations?first=1&after=${first.body.pageInfo.endCursor}`)
  t.not(next.body.items[0]?.id, first.body.items[0]?.id, 'the next page goes on')
  const bySato = await get(sato, '/delegations?delegatorId=sato')
  t.ok(bySato.body.items.length > 0 && bySato.body.items.every((d: { delegatorId: string }) => d.delegatorId === 'sato'), 'filtered by delegator')
})

t.test("a national organ reads a body's organisation but its commands act on its own agency only", async (t) => {
  const made = await ok(ipa, '/units', { unitId: 'ipa-lab', name: 'IPA lab' })
  const own = await ok(ciso, '/units', { unitId: 'mof-only', name: 'Only in mof' })
  await h.settle('ipa', made.position)
  await h.settle('mof', own.position)

  const chart = await get(ciso, '?agencyId=ipa')
  t.equal(chart.status, 200)
  t.match(chart.body.agency, { id: 'ipa', kind: 'INCORPORATED_ADMINISTRATIVE_AGENCY', parentId: 'mof' })
  t.same(chart.body.units.map((u: { id: string }) => u.id), ['general', 'ipa-lab'], "the body's units, and not the organ's own")
  t.same(who(chart.body.agencyRoles), ['ito:CISO'])
  t.same(chart.body.agency.settings, { education: { trainingsPerFiscalYear: 1, newcomerWithinMonths: 3 }, selfCheck: { perFiscalYear: 1 }, deadlines: { planGraceDays: 30, incidentTriageHours: 24, incidentCisoReportHours: 24, nationalCentreNoticeHours: 72, contractErasureDays: 30 } }, 'an agency that never changed its settings shows the defaults (as GraphQL does)')
  t.same((await get(ciso, '/employees?agencyId=ipa')).body.items.map((e: { id: string }) => e.id), ['ito'])
  t.same((await get(ciso, '/role-assignments?agencyId=ipa')).body.items.map((a: { employeeId: string }) => a.employeeId), ['ito'])
  t.same(who((await get(ciso, '/authority?agencyId=ipa&command=CreateUnit')).body.items[0].holders), ['ito:CISO'])
  t.ok((await get(ciso, '')).body.units.some((u: { id: string }) => u.id === 'mof-only'), "the organ's command landed in its own agency")
  t.notOk((await h.store.readStream('ipa', 'agency-ipa')).events.some((e) => (e.data as { unitId?: string }).unitId === 'mof-only'), "and wrote nothing into the body's log")

  for (const [token, url] of [[ipa, '?agencyId=mof'], [mic, '?agencyId=mof'], [mic, '/employees?agencyId=ipa'], [mic, '/role-assignments?agencyId=mof'], [ipa, '/authority?agencyId=mof'], [mic, '/delegations?agencyId=mof']] as const) {
    const res = await get(token, url)
    t.same([res.status, res.body.code], [400, 'ValidationFailed'], `${url} is not visible`)
  }
  const micChart = (await get(mic, '')).body
  t.same(micChart.units.map((u: { id: string }) => u.id), ['general'], 'another agency sees only its own units')
  t.same((await get(mic, '/employees')).body.items.map((e: { id: string }) => e.id), ['kato'])
})

t.test('minPosition reads the write; a position the read model cannot reach in time answers 503', async (t) => {
  const made = await ok(gso, '/units', { unitId: 'fresh', name: 'Fresh unit' })
  const chart = await get(gso, `?minPosition=${made.position}`)
  t.ok(chart.body.units.some((u: { id: string }) => u.id === 'fresh'))
  const employee = await ok(gso, '/employees', { employeeId: 'fresh-1', name: 'Fresh One', unitId: 'fresh', joinedOn: '2026-06-01' })
  t.same((await get(gso, `/employees?unitId=fresh&minPosition=${employee.position}`)).body.items.map((e: { id: string }) => e.id), ['fresh-1'])
  const behind = await get(gso, `?minPosition=${made.position + 1_000_000}`)
  t.same([behind.status, behind.body.code], [503, 'ReadModelBehind'])
})

t.test('one projection batch that creates and changes the same rows ends with the right rows', async (t) => {
  await h.employee('mof', 'old-1', 'cyber', '2026-04-01')
  const oldTerm = await h.admin('mof', 'assignRole', { employeeId: 'old-1', role: 'CSIRT_MEMBER', from: '2026-04-01' })
  await h.settle('mof')
  await h.runner.stop()
  let restarted = false
  t.teardown(() => { if (!restarted) h.runner.start() })

  // All of these are appended while nothing is projected, so the runner applies them as one batch.
  await h.admin('mof', 'createUnit', { unitId: 'batch-unit', name: 'Batch unit' })
  await h.admin('mof', 'registerEmployee', { employeeId: 'kimura-b', name: 'Kimura B', unitId: 'cyber', joinedOn: '2026-04-01' })
  await h.admin('mof', 'transferEmployee', { toUnitId: 'batch-unit', on: '2026-05-01' }, { employeeId: 'kimura-b' })
  await h.admin('mof', 'recordDeparture', { on: '2026-06-01', reason: 'left' }, { employeeId: 'kimura-b' })
  const term = await h.admin('mof', 'assignRole', { employeeId: 'kimura-b', role: 'AUDITOR', scope: { kind: 'UNIT', unitId: 'batch-unit' }, from: '2026-04-01', note: 'n' })
  await h.admin('mof', 'endRoleAssignment', { on: '2026-05-31', reason: 'leaving' }, { assignmentId: term.id })
  await h.admin('mof', 'defineArea', { areaId: 'vault', name: 'Vault', unitId: 'batch-unit' })
  await h.admin('mof', 'recordAreaMeasures', { measures: ['safe', 'alarm'] }, { areaId: 'vault' })
  // ...and changes to rows projected earlier, with different column sets.
  await h.admin('mof', 'transferEmployee', { toUnitId: 'batch-unit', on: '2026-06-12' }, { employeeId: 'old-1' })
  await h.admin('mof', 'endRoleAssignment', { on: '2026-06-13', reason: 'rotation' }, { assignmentId: oldTerm.id })
  await h.admin('mof', 'recordDeparture', { on: '2026-06-14' }, { employeeId: 'fresh-1' })

  const steps: number[] = []
  const off = h.runner.onApplied((projection, agencyId, position) => { if (projection === 'organisation' && agencyId === 'mof') steps.push(position) })
  h.runner.start()
  restarted = true
  await h.settle('mof')
  off()
  t.same(steps, [await logLength()], 'the premise: the organisation projection applied all of it in one batch')
  const employees = (await get(sato, '/employees?first=200')).body.items as { id: string }[]
  t.same(employees.find((e) => e.id === 'kimura-b'), { id: 'kimura-b', name: 'Kimura B', unitId: 'batch-unit', joinedOn: '2026-04-01', unitSince: '2026-05-01', departedOn: '2026-06-01' })
  t.same(employees.find((e) => e.id === 'old-1'), { id: 'old-1', name: 'Employee old-1', unitId: 'batch-unit', joinedOn: '2026-04-01', unitSince: '2026-06-12', departedOn: null })
  t.match(employees.find((e) => e.id === 'fresh-1'), { unitId: 'fresh', unitSince: '2026-06-01', departedOn: '2026-06-14' })
  const terms = (await get(sato, '/role-assignments?first=200')).body.items as { assignmentId: string }[]
  t.same(terms.find((a) => a.assignmentId === term.id), {
    assignmentId: term.id, employeeId: 'kimura-b', name: 'Kimura B', unitId: 'batch-unit', role: 'AUDITOR', scope: { kind: 'UNIT', unitId: 'batch-unit' },
    from: '2026-04-01', to: '2026-05-31', delegationId: null, endReason: 'leaving',
  })
  t.match(terms.find((a) => a.assignmentId === oldTerm.id), { to: '2026-06-13', endReason: 'rotation', unitId: 'batch-unit' })
  const chart = (await get(sato, '')).body
  t.match(chart.areas.find((a: { id: string }) => a.id === 'vault'), { name: 'Vault', unitId: 'batch-unit', measures: ['safe', 'alarm'] })
  t.match(chart.units.find((u: { id: string }) => u.id === 'batch-unit'), { name: 'Batch unit', employeeCount: 1, holders: [] }, 'old-1 moved in; kimura-b left; the auditor term ended')
  const { rows } = await h.db.owner.pool.query('SELECT count(*)::int AS n FROM employees WHERE agency_id = $1 AND employee_id = $2', ['mof', 'kimura-b'])
  t.equal(rows[0].n, 1, 'one row per employee')
})


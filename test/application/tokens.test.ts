// authenticate(): the roles a bearer token acts with are DERIVED, on the Japan date of the clock, from
// the actor's role assignments, the roles delegated to them, and EMPLOYEE while they are employed,
// narrowed by the token's own roles limit when it names one.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import { commandCatalogue } from '../../src/application/catalogue.js'
import type { Clock } from '../../src/application/context.js'
import { authenticate, issueToken, revokeToken } from '../../src/application/tokens.js'
import type { Role } from '../../src/domain/shared/roles.js'
import { startTestApp } from '../helpers/app.js'

const clock: Clock = { now: () => new Date('2026-06-15T10:00:00+09:00') }
const h = await startTestApp(t, { clock })
const pool = h.db.app.pool
await h.agency('mof')
await h.agency('mic')

/** Runs a catalogue command as an actor holding `roles` (role checks and the delegation rules apply). */
async function as(actorId: string, roles: Role[], mutation: string, input: unknown, params: Record<string, string> = {}) {
  const spec = commandCatalogue.find((c) => c.mutation === mutation)
  if (!spec) throw new Error(`no command ${mutation}`)
  return spec.run({ store: h.store, clock, pool }, { agencyId: 'mof', actorId, roles, tokenId: 'test' }, spec.params.parse(params), spec.input.parse(input), { correlationId: randomUUID(), source: 'api' })
}
const assign = (employeeId: string, role: Role, from: string, to?: string, scope: object = { kind: 'AGENCY' }) =>
  h.admin('mof', 'assignRole', { employeeId, role, scope, from, to })
const tokenFor = async (actorId: string, roles?: Role[], agencyId = 'mof') => (await issueToken(pool, { agencyId, actorId, roles })).token
const clockAt = (instant: string): Clock => ({ now: () => new Date(instant) })
/** The roles the token acts with at noon (Japan) of `date`, sorted; undefined when it is refused. */
async function rolesOn(token: string, date: string): Promise<string[] | undefined> {
  const principal = await authenticate(pool, token, clockAt(`${date}T12:00:00+09:00`))
  return principal && [...principal.roles].sort()
}

// The organisation these tests read (all employees in unit `general`, joined 2020-04-01 unless said).
for (const id of ['boss', 'sato', 'suzuki', 'ito', 'kimura', 'watanabe', 'yoshida', 'leaver']) await h.employee('mof', id)
await h.employee('mof', 'newbie', 'general', '2026-07-01')
await h.employee('mic', 'sato', 'm1')
await h.unit('mof', 'u2')
await assign('boss', 'CISO', '2020-04-01')
await assign('sato', 'CSIRT_MEMBER', '2026-07-01', '2026-09-30')
const suzukiGso = await assign('suzuki', 'GENERAL_SECURITY_OFFICER', '2026-04-01')
await h.admin('mof', 'endRoleAssignment', { on: '2026-06-20', reason: 'moved to another ministry' }, { assignmentId: suzukiGso.id })
await assign('watanabe', 'CSIRT_HEAD', '2026-04-01', '2026-07-05')
await assign('watanabe', 'SECURITY_OFFICER', '2026-04-01', undefined, { kind: 'UNIT', unitId: 'general' })
await assign('watanabe', 'SECURITY_OFFICER', '2026-04-01', undefined, { kind: 'UNIT', unitId: 'u2' })
await assign('yoshida', 'SECURITY_OFFICER', '2026-04-01', undefined, { kind: 'UNIT', unitId: 'u2' })
await assign('leaver', 'SECURITY_OFFICER', '2026-04-01', undefined, { kind: 'UNIT', unitId: 'general' })
await h.admin('mof', 'recordDeparture', { on: '2026-06-30' }, { employeeId: 'leaver' })
const boss = ['CISO', 'EMPLOYEE'] as Role[]
await as('boss', boss, 'delegateResponsibility', { delegateId: 'ito', task: 'Stand in for the CISO during leave', role: 'CISO', from: '2026-07-01', to: '2026-07-10' })
const early = await as('boss', boss, 'delegateResponsibility', { delegateId: 'kimura', task: 'Stand in for the CISO', role: 'CISO', from: '2026-07-01', to: '2026-07-31' })
await as('boss', boss, 'endDelegation', { on: '2026-07-05', reason: 'back early' }, { delegationId: early.id })
await as('boss', boss, 'delegateResponsibility', { delegateId: 'suzuki', task: 'Collect the self-check forms', from: '2026-06-01', to: '2026-12-31' })
await as('watanabe', ['CSIRT_HEAD', 'SECURITY_OFFICER', 'EMPLOYEE'], 'delegateResponsibility', { delegateId: 'yoshida', task: 'Lead the CSIRT', role: 'CSIRT_HEAD', from: '2026-07-01', to: '2026-07-31' })
await as('watanabe', ['CSIRT_HEAD', 'SECURITY_OFFICER', 'EMPLOYEE'], 'delegateResponsibility', { delegateId: 'yoshida', task: 'Security officer work', role: 'SECURITY_OFFICER', from: '2026-07-01', to: '2026-07-31' })
await h.settle('mof')
await h.settle('mic')

t.test('unknown, malformed, forged and revoked tokens authenticate nobody', async (t) => {
  const token = await tokenFor('sato')
  t.ok(await authenticate(pool, token, clock), 'the fixture: a valid token')
  t.equal(await authenticate(pool, 'not-a-token', clock), undefined)
  t.equal(await authenticate(pool, `csr_mof.${'x'.repeat(43)}`, clock), undefined)
  t.equal(await authenticate(pool, token.replace('csr_mof.', 'csr_mic.'), clock), undefined, 'the secret of one agency is not valid for another')
  const revoked = await issueToken(pool, { agencyId: 'mof', actorId: 'sato' })
  t.ok(await revokeToken(pool, 'mof', revoked.tokenId))
  t.equal(await authenticate(pool, revoked.token, clock), undefined)
})

t.test('a registered employee holds EMPLOYEE from joining to the departure day; nobody else gets in', async (t) => {
  const principal = await authenticate(pool, await tokenFor('ito'), clock)
  t.same(principal && { agencyId: principal.agencyId, actorId: principal.actorId, roles: principal.roles }, { agencyId: 'mof', actorId: 'ito', roles: ['EMPLOYEE'] })
  const newbie = await tokenFor('newbie')
  t.equal(await rolesOn(newbie, '2026-06-30'), undefined, 'not let in before joining')
  t.same(await rolesOn(newbie, '2026-07-01'), ['EMPLOYEE'])
  await t.rejects(tokenFor('stranger'), { code: 'UnknownEmployee' }, 'no token for someone who is not an employee of the agency')
  await t.rejects(tokenFor('boss', undefined, 'mic'), { code: 'UnknownEmployee' }, 'nor for an employee of another agency')
})

t.test('an assignment counts from its first to its last day, and an ended one no longer', async (t) => {
  const sato = await tokenFor('sato')
  t.same(await rolesOn(sato, '2026-06-30'), ['EMPLOYEE'])
  t.same(await rolesOn(sato, '2026-07-01'), ['CSIRT_MEMBER', 'EMPLOYEE'])
  t.same(await rolesOn(sato, '2026-09-30'), ['CSIRT_MEMBER', 'EMPLOYEE'])
  t.same(await rolesOn(sato, '2026-10-01'), ['EMPLOYEE'])
  const suzuki = await tokenFor('suzuki')
  t.same(await rolesOn(suzuki, '2026-06-20'), ['EMPLOYEE', 'GENERAL_SECURITY_OFFICER'], 'the last day of the ended term')
  t.same(await rolesOn(suzuki, '2026-06-21'), ['EMPLOYEE'], 'EndRoleAssignment took it away')
  t.same(await rolesOn(await tokenFor('boss'), '2026-06-15'), ['CISO', 'EMPLOYEE'])
})

t.test('"today" is the Japan date of the clock', async (t) => {
  const sato = await tokenFor('sato')
  t.same((await authenticate(pool, sato, clockAt('2026-06-30T15:00:00Z')))?.roles, ['CSIRT_MEMBER', 'EMPLOYEE'], '2026-07-01 00:00 in Japan')
  t.same((await authenticate(pool, sato, clockAt('2026-06-30T14:59:59Z')))?.roles, ['EMPLOYEE'], 'still 2026-06-30 in Japan')
})

t.test('a delegated role counts during the delegation only, and only while the delegator holds it', async (t) => {
  const ito = await tokenFor('ito')
  t.same(await rolesOn(ito, '2026-06-30'), ['EMPLOYEE'])
  t.same(await rolesOn(ito, '2026-07-01'), ['CISO', 'EMPLOYEE'])
  t.same(await rolesOn(ito, '2026-07-10'), ['CISO', 'EMPLOYEE'])
  t.same(await rolesOn(ito, '2026-07-11'), ['EMPLOYEE'])
  const kimura = await tokenFor('kimura')
  t.same(await rolesOn(kimura, '2026-07-05'), ['CISO', 'EMPLOYEE'])
  t.same(await rolesOn(kimura, '2026-07-06'), ['EMPLOYEE'], 'EndDelegation took it away')
  const yoshida = await tokenFor('yoshida')
  t.same(await rolesOn(yoshida, '2026-07-05'), ['CSIRT_HEAD', 'EMPLOYEE', 'SECURITY_OFFICER'], 'each role once, though held twice (own assignment and two delegated scopes)')
  t.same(await rolesOn(yoshida, '2026-07-06'), ['EMPLOYEE', 'SECURITY_OFFICER'], "watanabe's CSIRT_HEAD term ended on 07-05")
})

t.test('each role comes with its scope; a delegated role carries the scope of the delegator\'s assignment', async (t) => {
  const principal = await authenticate(pool, await tokenFor('yoshida'), clockAt('2026-07-05T12:00:00+09:00'))
  const held = (principal?.assignments ?? []).map((a) => `${a.role}@${JSON.stringify(a.scope)}`).sort()
  t.same(held, [
    'CSIRT_HEAD@{"kind":"AGENCY"}', 'EMPLOYEE@{"kind":"AGENCY"}',
    'SECURITY_OFFICER@{"kind":"UNIT","unitId":"general"}', 'SECURITY_OFFICER@{"kind":"UNIT","unitId":"u2"}',
  ], 'u2 once (own and delegated), general through the delegation')
  const limited = await authenticate(pool, await tokenFor('watanabe', ['SECURITY_OFFICER']), clock)
  t.same(limited?.assignments?.map((a) => a.scope).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    [{ kind: 'UNIT', unitId: 'general' }, { kind: 'UNIT', unitId: 'u2' }], 'the limit keeps the scopes of the roles it lets through, and only those')
})

t.test('a delegation of a task alone adds no role', async (t) => {
  t.same(await rolesOn(await tokenFor('suzuki'), '2026-06-15'), ['EMPLOYEE', 'GENERAL_SECURITY_OFFICER'])
  t.same(await rolesOn(await tokenFor('suzuki'), '2026-07-01'), ['EMPLOYEE'])
})

t.test("a token's roles limit narrows the actor's roles and never adds one", async (t) => {
  t.same(await rolesOn(await tokenFor('boss', ['CISO']), '2026-06-15'), ['CISO'])
  t.same(await rolesOn(await tokenFor('boss', ['CISO', 'EMPLOYEE']), '2026-06-15'), ['CISO', 'EMPLOYEE'])
  t.same(await rolesOn(await tokenFor('boss', ['GENERAL_SECURITY_OFFICER']), '2026-06-15'), [], 'boss holds no GENERAL_SECURITY_OFFICER assignment')
  t.same(await rolesOn(await tokenFor('ito', ['EMPLOYEE']), '2026-07-02'), ['EMPLOYEE'], 'nor a delegated role outside the limit')
  const limited = await issueToken(pool, { agencyId: 'mof', actorId: 'boss', roles: ['CISO'] })
  t.same(limited.roles, ['CISO'])
  t.equal((await issueToken(pool, { agencyId: 'mof', actorId: 'boss' })).roles, null, 'no limit: the assigned roles')
})

t.test('roles are per agency: the same employee number elsewhere holds only what that agency assigned', async (t) => {
  const micSato = await tokenFor('sato', undefined, 'mic')
  const principal = await authenticate(pool, micSato, clockAt('2026-07-15T12:00:00+09:00'))
  t.same(principal && [principal.agencyId, principal.roles], ['mic', ['EMPLOYEE']], "mof's CSIRT_MEMBER assignment of sato does not leak")
})

t.test('an employee who has left holds no role after the departure day', async (t) => {
  const leaver = await tokenFor('leaver')
  t.same(await rolesOn(leaver, '2026-06-30'), ['EMPLOYEE', 'SECURITY_OFFICER'], 'the departure day is still a working day')
  t.equal(await rolesOn(leaver, '2026-07-01'), undefined, 'not let in at all: neither EMPLOYEE nor the security officer term that nobody ended')
})

// authorize(): the command → roles table, and the Forbidden answer that tells the caller what is missing.
import t from 'tap'
import { ANY, authorize, commandRoles, SYSTEM, type AuthorizedCommand } from '../../../src/domain/shared/authorization.js'
import type { Actor } from '../../../src/domain/shared/decider.js'
import { ForbiddenError } from '../../../src/domain/shared/errors.js'
import { roleCodes } from '../../../src/domain/shared/roles.js'

const employee: Actor = { id: 'u-emp', roles: ['EMPLOYEE'] }
const csirtMember: Actor = { id: 'u-csirt', roles: ['EMPLOYEE', 'CSIRT_MEMBER'] }
const nobody: Actor = { id: 'u-none', roles: [] }

t.test('a command open to ANY is allowed for a plain employee, and for an actor with no role', async (t) => {
  t.equal(commandRoles.ReportIncident, ANY, 'the fixture: ReportIncident is open to anyone')
  t.doesNotThrow(() => authorize('ReportIncident', employee))
  t.doesNotThrow(() => authorize('ReportIncident', nobody))
})

t.test('an employee may not triage; the Forbidden message names the roles that may', async (t) => {
  const err = t.throws(() => authorize('TriageIncident', employee), {
    name: 'ForbiddenError',
    code: 'Forbidden',
    details: { command: 'TriageIncident', requiredRoles: ['CSIRT_HEAD', 'CSIRT_MEMBER'] },
  })
  t.type(err, ForbiddenError)
  const message = err instanceof Error ? err.message : ''
  t.match(message, /CSIRT_HEAD/)
  t.match(message, /CSIRT_MEMBER/)
  t.match(message, /EMPLOYEE/, 'and the roles the actor holds')
})

t.test('an actor with no role is told it holds none', async (t) => {
  t.throws(() => authorize('TriageIncident', nobody), { code: 'Forbidden', message: /you hold none/ })
})

t.test('a CSIRT member may triage', async (t) => {
  t.doesNotThrow(() => authorize('TriageIncident', csirtMember))
})

t.test('each role-restricted command admits exactly its listed roles', async (t) => {
  for (const [command, allowed] of Object.entries(commandRoles) as [AuthorizedCommand, (typeof commandRoles)[AuthorizedCommand]][]) {
    if (allowed === ANY || allowed === SYSTEM) continue
    for (const role of roleCodes) {
      const actor: Actor = { id: `u-${role}`, roles: [role] }
      if ((allowed as readonly string[]).includes(role)) t.doesNotThrow(() => authorize(command, actor), `${role} may ${command}`)
      else t.throws(() => authorize(command, actor), { code: 'Forbidden' }, `${role} may not ${command}`)
    }
  }
})

t.test('commandRoles lists only valid role codes, and at least one per restricted command', async (t) => {
  const valid = new Set<string>(roleCodes)
  const entries = Object.entries(commandRoles)
  t.ok(entries.length > 0, 'the table is not empty')
  for (const [command, allowed] of entries) {
    if (allowed === ANY || allowed === SYSTEM) continue
    t.ok(allowed.length > 0, `${command} names at least one role`)
    const unknown = allowed.filter((r) => !valid.has(r))
    t.same(unknown, [], `${command} names only roles from roles.ts`)
  }
})

t.test('with a target, the role must also cover it: agency-wide covers all, a scoped role only its own', async (t) => {
  const unitOfficer: Actor = { id: 'o', roles: ['SECURITY_OFFICER'], assignments: [{ role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'u1' } }] }
  t.doesNotThrow(() => authorize('RegisterEmployee', unitOfficer, { unitIds: ['u1'] }))
  t.doesNotThrow(() => authorize('RegisterEmployee', unitOfficer, { unitIds: ['u1', 'u1'] }))
  t.throws(() => authorize('RegisterEmployee', unitOfficer, { unitIds: ['u1', 'u2'] }), { code: 'Forbidden', details: { target: { unitIds: ['u1', 'u2'] } } }, 'every unit must be covered')
  t.throws(() => authorize('RegisterEmployee', unitOfficer, { unitIds: [] }), { code: 'Forbidden' }, 'no unit named: a unit role covers nothing')
  t.throws(() => authorize('RegisterEmployee', unitOfficer), { code: 'Forbidden' }, 'no target: the whole agency, which a unit role does not cover')
  const gso: Actor = { id: 'g', roles: ['GENERAL_SECURITY_OFFICER'], assignments: [{ role: 'GENERAL_SECURITY_OFFICER', scope: { kind: 'AGENCY' } }] }
  t.doesNotThrow(() => authorize('RegisterEmployee', gso, { unitIds: ['u9'] }))
  const areaOfficer: Actor = { id: 'a', roles: ['AREA_SECURITY_OFFICER'], assignments: [{ role: 'AREA_SECURITY_OFFICER', scope: { kind: 'AREA', areaId: 'server-room' } }] }
  t.doesNotThrow(() => authorize('RecordAreaMeasures', areaOfficer, { areaId: 'server-room' }))
  const err = t.throws(() => authorize('RecordAreaMeasures', areaOfficer, { areaId: 'archive' }), { code: 'Forbidden' })
  t.match(err instanceof Error ? err.message : '', /area archive.*area server-room/)
  // A role that does not count for the command does not lend its scope.
  const mixed: Actor = { id: 'm', roles: ['SECURITY_OFFICER', 'EMPLOYEE'], assignments: [{ role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'u1' } }, { role: 'EMPLOYEE', scope: { kind: 'AGENCY' } }] }
  t.throws(() => authorize('RegisterEmployee', mixed, { unitIds: ['u2'] }), { code: 'Forbidden' })
})

t.test('without a target a command acts for the whole agency: a scoped role does not suffice', async (t) => {
  const unitOfficer: Actor = { id: 'o', roles: ['SECURITY_OFFICER'], assignments: [{ role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'u1' } }] }
  const err = t.throws(() => authorize('RecordTrainingCompletions', unitOfficer), { code: 'Forbidden', details: { command: 'RecordTrainingCompletions' } })
  t.match(err instanceof Error ? err.message : '', /whole agency.*unit u1/)
  const gso: Actor = { id: 'g', roles: ['GENERAL_SECURITY_OFFICER'], assignments: [{ role: 'GENERAL_SECURITY_OFFICER', scope: { kind: 'AGENCY' } }] }
  t.doesNotThrow(() => authorize('RecordTrainingCompletions', gso))
  t.doesNotThrow(() => authorize('RecordTrainingCompletions', { id: 'x', roles: ['SECURITY_OFFICER'] }), 'scopes unknown (no assignments given): the role decides')
})

t.test('commands the service records itself (webhook intake) are refused to every caller', async (t) => {
  const ciso: Actor = { id: 'c', roles: ['CISO', 'CSIRT_HEAD', 'GENERAL_SECURITY_OFFICER'] }
  t.equal(commandRoles.ReceiveAlert, SYSTEM)
  t.throws(() => authorize('ReceiveAlert', ciso), { code: 'Forbidden' })
  t.throws(() => authorize('RecordDeliveryRefused', ciso), { code: 'Forbidden' })
})

// Who holds which role with which scope on a day (folded from the management stream), and the ids
// commands create under an Idempotency-Key.
import t from 'tap'
import { holdersOf, holdingsOn, officerUnitsOf } from '../../src/application/assurance-lookups.js'
import { newRecordId } from '../../src/application/command-runner.js'
import type { Principal, RequestContext } from '../../src/application/context.js'
import type { ManagementEvent } from '../../src/domain/management/index.js'

const at = '2026-04-01T09:00:00+09:00'
const assigned = (assignmentId: string, employeeId: string, role: 'SECURITY_OFFICER' | 'AUDITOR' | 'CISO', unitId: string | undefined, from: string, to?: string): ManagementEvent => ({
  type: 'RoleAssigned',
  data: { assignmentId, employeeId, role, scope: unitId ? { kind: 'UNIT', unitId } : { kind: 'AGENCY' }, from, to, note: undefined, assignedBy: 'boss', at },
})
const events: ManagementEvent[] = [
  assigned('a1', 'oda', 'SECURITY_OFFICER', 'u1', '2026-04-01'),
  assigned('a2', 'oda', 'SECURITY_OFFICER', 'u2', '2026-04-01', '2026-05-31'),
  assigned('a3', 'aoki', 'AUDITOR', undefined, '2026-07-01'),
  assigned('a4', 'boss', 'CISO', undefined, '2026-04-01'),
  { type: 'RoleAssignmentEnded', data: { assignmentId: 'a4', employeeId: 'boss', role: 'CISO', on: '2026-06-30', reason: 'moved', endedBy: 'boss', at } },
  { type: 'ResponsibilityDelegated', data: { delegationId: 'd1', delegatorId: 'oda', delegateId: 'sato', task: 'cover u1', role: 'SECURITY_OFFICER', from: '2026-08-01', to: '2026-08-31', at } },
  { type: 'ResponsibilityDelegated', data: { delegationId: 'd2', delegatorId: 'oda', delegateId: 'ito', task: 'no role', from: '2026-08-01', to: '2026-08-31', at } },
]

t.test('unit-scoped security officers on a day, directly and by delegation', async (t) => {
  t.same(officerUnitsOf(holdingsOn(events, '2026-05-31'), 'oda'), ['u1', 'u2'])
  t.same(officerUnitsOf(holdingsOn(events, '2026-06-01'), 'oda'), ['u1'], 'the u2 term ended the day before')
  t.same(officerUnitsOf(holdingsOn(events, '2026-08-15'), 'sato'), ['u1'], "a delegate acts in the delegator's scope")
  t.same(officerUnitsOf(holdingsOn(events, '2026-09-01'), 'sato'), [], 'after the delegation')
  t.same(officerUnitsOf(holdingsOn(events, '2026-08-15'), 'ito'), [], 'a delegation without a role confers none')
})

t.test('holders of a role on a day, with ended terms left out', async (t) => {
  t.same(holdersOf(holdingsOn(events, '2026-06-30'), 'CISO'), ['boss'])
  t.same(holdersOf(holdingsOn(events, '2026-07-01'), 'CISO'), [], 'ended on 06-30')
  t.same(holdersOf(holdingsOn(events, '2026-06-30'), 'AUDITOR'), [], 'not yet')
  t.same(holdersOf(holdingsOn(events, '2026-07-01'), 'AUDITOR'), ['aoki'])
})

t.test('ids are random without an idempotency key, and stable per key, actor and command with one', async (t) => {
  const p: Principal = { agencyId: 'mof', actorId: 'kimura', roles: [], tokenId: 't' }
  const ctx: RequestContext = { correlationId: 'c', source: 'api' }
  t.not(newRecordId(p, ctx, 'PlanAudit'), newRecordId(p, ctx, 'PlanAudit'))
  const keyed = { ...ctx, idempotencyKey: 'k-1' }
  const id = newRecordId(p, keyed, 'PlanAudit')
  t.equal(newRecordId(p, keyed, 'PlanAudit'), id)
  t.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a version-8 (name-based, SHA-256) UUID')
  t.not(newRecordId({ ...p, actorId: 'other' }, keyed, 'PlanAudit'), id)
  t.not(newRecordId(p, keyed, 'RecordFinding'), id)
  t.not(newRecordId(p, { ...ctx, idempotencyKey: 'k-2' }, 'PlanAudit'), id)
})

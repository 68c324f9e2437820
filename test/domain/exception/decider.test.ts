// given/when/then over the exception decider (Art. 7): the request and the emergency notice with their
// checks, endorsement, examination, the decision (never by the applicant, never wider than requested),
// end report, close, revoke, overdue (idempotent), and coverage of a lifecycle step.
import t from 'tap'
import {
  exceptionCovers, exceptionDecider, exceptionStreamId, RequestExceptionInput, type ExceptionCommand, type ExceptionEvent, type ExceptionRequestData,
} from '../../../src/domain/exception/index.js'
import type { Actor, CommandMetadata } from '../../../src/domain/shared/decider.js'
import { given } from '../../helpers/given.js'

const NOW = '2026-07-01T10:00:00+09:00'
const sato: Actor = { id: 'sato', roles: ['EMPLOYEE'] }
const approver: Actor = { id: 'abe', roles: ['EXCEPTION_APPROVER'] }
const officer: Actor = { id: 'oda', roles: ['SECURITY_OFFICER'] }
const gso: Actor = { id: 'gso', roles: ['GENERAL_SECURITY_OFFICER'] }
const scheduler: Actor = { id: 'scheduler', roles: [] }

const cmd = <T extends ExceptionCommand['type']>(type: T, data: Extract<ExceptionCommand, { type: T }>['data'], actor: Actor = approver, now = NOW) =>
  ({ type, data, metadata: { actor, agencyId: 'mof', now, correlationId: 'c', source: 'api' } satisfies CommandMetadata }) as Extract<ExceptionCommand, { type: T }>

const input = RequestExceptionInput.parse({
  clause: '3.1.1', rules: ['NoTakeOut', 'UnsafeCarry'], assetIds: ['doc-1', 'doc-2'], unitId: 'u1',
  from: '2026-07-02T09:00:00+09:00', to: '2026-07-05T18:00:00+09:00',
  measures: 'carry the design documents to the vendor meeting', compensatingMeasures: ['sealed bag', 'two people'],
  securityImpact: 'loss in transit', impactHandling: 'report within one hour', endReportMethod: 'e-mail to the approver', reason: 'on-site review',
})
const facts = { exceptionId: 'X1', edition: 'R3', applicantUnitId: 'u1', unitExists: true }
const requestData = { ...input, ...facts }
const requested: ExceptionRequestData = {
  exceptionId: 'X1', applicantId: 'sato', applicantUnitId: 'u1', edition: 'R3', clause: '3.1.1', rules: ['NoTakeOut', 'UnsafeCarry'], steps: ['CARRY'],
  assetIds: ['doc-1', 'doc-2'], unitId: 'u1', from: input.from, to: input.to, measures: input.measures, compensatingMeasures: input.compensatingMeasures,
  securityImpact: input.securityImpact, impactHandling: input.impactHandling, endReportMethod: input.endReportMethod, reason: input.reason, at: NOW,
}
const req: ExceptionEvent = { type: 'ExceptionRequested', data: requested }
const endorsed: ExceptionEvent = { type: 'ExceptionEndorsed', data: { exceptionId: 'X1', endorsedBy: 'oda', unitId: 'u1', note: undefined, at: NOW } }
const examined: ExceptionEvent = { type: 'ExceptionExaminationStarted', data: { exceptionId: 'X1', examinedBy: 'abe', note: undefined, at: NOW } }
const approvedData = { exceptionId: 'X1', approvedBy: 'abe', reasons: 'ok', emergency: false, rules: ['NoTakeOut'], steps: ['CARRY'], assetIds: ['doc-1'], unitId: undefined, from: input.from, to: '2026-07-03T18:00:00+09:00', measures: undefined, at: NOW }
const approved: ExceptionEvent = { type: 'ExceptionApproved', data: approvedData }
const overdue: ExceptionEvent = { type: 'ExceptionBecameOverdue', data: { exceptionId: 'X1', dueAt: approvedData.to, at: '2026-07-04T00:00:00+09:00' } }
const ended: ExceptionEvent = { type: 'ExceptionEndReported', data: { exceptionId: 'X1', reportedBy: 'sato', endedAt: '2026-07-03T12:00:00+09:00', howEnded: 'returned', wasOverdue: false, at: NOW } }
const x = (...events: ExceptionEvent[]) => given(exceptionDecider, ...events)

t.test('an employee requests an exception; the event records clause, rules with steps, coverage and period', async (t) => {
  t.same(x().when(cmd('RequestException', { ...requestData, rules: ['NoTakeOut', 'UnsafeCarry', 'NoTakeOut'] }, sato)), [req])
  t.equal(exceptionStreamId('X1'), 'exception-X1')
  t.throws(() => x(req).when(cmd('RequestException', requestData, sato)), { code: 'ExceptionAlreadyExists' })
  t.notOk(RequestExceptionInput.safeParse({ ...input, compensatingMeasures: [] }).success, 'compensating measures are required')
  t.notOk(RequestExceptionInput.safeParse({ ...input, to: undefined }).success, 'a period is required')
})

t.test('the request is checked: employee, standards item, rules of the clause, unit, coverage, period', async (t) => {
  const ask = (over: object, now = NOW) => () => x().when(cmd('RequestException', { ...requestData, ...over }, sato, now))
  t.throws(ask({ applicantUnitId: undefined }), { code: 'UnknownEmployee' })
  t.throws(ask({ clause: '9.9' }), { code: 'UnknownStandardsItem', details: { edition: 'R3', code: '9.9' } })
  t.throws(ask({ clause: '8.3' }), { code: 'UnknownStandardsItem' }, '8.3 is an R5 item only')
  t.doesNotThrow(ask({ clause: '8.3', edition: 'R5', rules: [] }), 'R5 agencies may name it')
  t.throws(ask({ rules: ['NoTakeOut', 'C3OutsideControlledArea'] }), { code: 'RuleOutsideClause', details: { rules: [{ rule: 'C3OutsideControlledArea', clause: '3.2.1' }] } })
  t.throws(ask({ unitExists: false }), { code: 'UnknownUnit' })
  t.throws(ask({ assetIds: [], unitId: undefined, unitExists: undefined }), { code: 'CoverageRequired' })
  t.doesNotThrow(ask({ clause: '6.1', rules: [], assetIds: [], unitId: undefined }), 'an exception not about information needs no coverage')
  t.throws(ask({ to: input.from }), { code: 'InvalidPeriod' })
  t.throws(ask({ from: '2026-07-02T09:00:00Z', to: '2026-07-02T10:00:00+09:00' }), { code: 'InvalidPeriod' }, 'instants compare as instants, not strings')
  t.throws(ask({}, '2026-07-06T00:00:00+09:00'), { code: 'PeriodAlreadyOver' })
})

t.test('emergency path: acted first, notice within the window, then examination; a rejection is recorded as an emergency', async (t) => {
  const actedAt = '2026-07-02T10:00:00+09:00'
  const emergency = { ...requestData, actedAt, noticeWindowHours: 72 }
  const filed = x().when(cmd('FileEmergencyException', emergency, sato, '2026-07-03T10:00:00+09:00'))
  t.same(filed, [{ type: 'EmergencyExceptionFiled', data: { ...requested, at: '2026-07-03T10:00:00+09:00', actedAt } }])
  const notice = filed[0] as ExceptionEvent
  t.equal(x(notice).state().emergency, true)
  t.throws(() => x().when(cmd('FileEmergencyException', emergency, sato, '2026-07-05T10:00:01+09:00')), { code: 'EmergencyNoticeLate', details: { noticeWindowHours: 72 } })
  t.throws(() => x().when(cmd('FileEmergencyException', emergency, sato, '2026-07-02T09:59:00+09:00')), { code: 'ActedInFuture' })
  t.throws(() => x().when(cmd('FileEmergencyException', { ...emergency, actedAt: '2026-07-02T08:00:00+09:00' }, sato, '2026-07-03T10:00:00+09:00')), { code: 'ActedOutsidePeriod' })
  t.doesNotThrow(() => x().when(cmd('FileEmergencyException', { ...emergency, actedAt: '2026-07-05T17:00:00+09:00' }, sato, '2026-07-06T10:00:00+09:00')), 'an emergency period may be over')
  t.throws(() => x(notice).when(cmd('ApproveException', { reasons: 'ok' })), { code: 'ExceptionTransitionNotAllowed' }, 'examined first')
  t.match(x(notice, examined).when(cmd('RejectException', { reasons: 'not an emergency' })), [{ type: 'ExceptionRejected', data: { emergency: true, rejectedBy: 'abe' } }])
  t.match(x(notice, examined).when(cmd('ApproveException', { reasons: 'justified' })), [{ type: 'ExceptionApproved', data: { emergency: true } }])
})

t.test("endorsement by the applicant's unit security officer, never by the applicant, only before examination", async (t) => {
  t.same(x(req).when(cmd('EndorseException', { note: undefined }, officer)), [endorsed])
  t.throws(() => x(req).when(cmd('EndorseException', {}, sato)), { code: 'SelfEndorsement' })
  t.throws(() => x(req, endorsed).when(cmd('EndorseException', {}, officer)), { code: 'ExceptionTransitionNotAllowed', details: { status: 'ENDORSED' } })
  t.throws(() => x().when(cmd('EndorseException', {}, officer)), { code: 'ExceptionNotFound' })
})

t.test('examination starts from a request or an endorsement, not by the applicant', async (t) => {
  t.same(x(req).when(cmd('StartExamination', { note: undefined })), [examined])
  t.same(x(req, endorsed).when(cmd('StartExamination', { note: undefined })), [examined])
  t.throws(() => x(req).when(cmd('StartExamination', {}, sato)), { code: 'SelfApproval' })
  t.throws(() => x(req, examined).when(cmd('StartExamination', {})), { code: 'ExceptionTransitionNotAllowed' })
})

t.test('approval: by default what was requested; narrowed on demand; never wider; never by the applicant', async (t) => {
  t.match(x(req, examined).when(cmd('ApproveException', { reasons: 'ok' })), [{
    type: 'ExceptionApproved', data: { rules: ['NoTakeOut', 'UnsafeCarry'], steps: ['CARRY'], assetIds: ['doc-1', 'doc-2'], unitId: 'u1', from: input.from, to: input.to, approvedBy: 'abe' },
  }])
  t.same(x(req, examined).when(cmd('ApproveException', { reasons: 'ok', rules: ['NoTakeOut'], assetIds: ['doc-1'], coverUnit: false, to: approvedData.to })), [approved])
  const approve = (over: object, actor = approver) => () => x(req, examined).when(cmd('ApproveException', { reasons: 'ok', ...over }, actor))
  t.throws(approve({}, sato), { code: 'SelfApproval', details: { applicantId: 'sato' } })
  t.throws(approve({ rules: ['NoSend'] }), { code: 'PermissionWiderThanRequested', details: { beyond: ['rule NoSend'] } })
  t.throws(approve({ assetIds: ['doc-9'] }), { code: 'PermissionWiderThanRequested' })
  t.throws(approve({ from: '2026-07-02T08:59:59+09:00' }), { code: 'PermissionWiderThanRequested' })
  t.throws(approve({ to: '2026-07-05T18:00:01+09:00' }), { code: 'PermissionWiderThanRequested' })
  t.throws(approve({ from: '2026-07-03T00:00:00+09:00', to: '2026-07-03T00:00:00+09:00' }), { code: 'InvalidPeriod' })
  t.throws(approve({ rules: [] }), { code: 'NothingPermitted' })
  t.throws(approve({ assetIds: [], coverUnit: false }), { code: 'NothingPermitted' })
  const noUnit: ExceptionEvent = { type: 'ExceptionRequested', data: { ...requested, unitId: undefined } }
  t.throws(() => x(noUnit, examined).when(cmd('ApproveException', { reasons: 'ok', coverUnit: true })), { code: 'PermissionWiderThanRequested' })
  t.throws(() => x(req).when(cmd('ApproveException', { reasons: 'ok' })), { code: 'ExceptionTransitionNotAllowed', details: { status: 'REQUESTED' } })
  t.throws(() => x(req, examined, approved).when(cmd('ApproveException', { reasons: 'again' })), { code: 'ExceptionTransitionNotAllowed' })
})

t.test('rejection with reasons, never by the applicant', async (t) => {
  t.same(x(req, examined).when(cmd('RejectException', { reasons: 'too risky' })), [{ type: 'ExceptionRejected', data: { exceptionId: 'X1', rejectedBy: 'abe', reasons: 'too risky', emergency: false, at: NOW } }])
  t.throws(() => x(req, examined).when(cmd('RejectException', { reasons: 'mine' }, sato)), { code: 'SelfApproval' })
  const rejected = x(req, examined).when(cmd('RejectException', { reasons: 'no' }))[0] as ExceptionEvent
  t.equal(x(req, examined, rejected).state().status, 'REJECTED')
  t.throws(() => x(req, examined, rejected).when(cmd('ReportExceptionEnd', { endedAt: NOW, howEnded: 'x' }, sato)), { code: 'ExceptionTransitionNotAllowed' })
})

t.test('end report by the applicant (also when overdue), then close; not in the future', async (t) => {
  const at = '2026-07-03T13:00:00+09:00'
  t.same(x(req, examined, approved).when(cmd('ReportExceptionEnd', { endedAt: '2026-07-03T12:00:00+09:00', howEnded: 'returned' }, sato, at)), [{ ...ended, data: { ...ended.data, at } }])
  t.match(x(req, examined, approved, overdue).when(cmd('ReportExceptionEnd', { endedAt: '2026-07-04T09:00:00+09:00', howEnded: 'late' }, sato, '2026-07-05T00:00:00+09:00')), [{ data: { wasOverdue: true } }])
  t.throws(() => x(req, examined, approved).when(cmd('ReportExceptionEnd', { endedAt: NOW, howEnded: 'x' }, approver)), { code: 'NotApplicant' })
  t.throws(() => x(req, examined, approved).when(cmd('ReportExceptionEnd', { endedAt: '2026-07-01T10:00:01+09:00', howEnded: 'x' }, sato)), { code: 'EndedInFuture' })
  t.throws(() => x(req, examined, approved).when(cmd('ReportExceptionEnd', { endedAt: '2020-01-01T00:00:00Z', howEnded: 'x' }, sato, at)), { code: 'EndedBeforeStart' })
  t.match(x(req, examined, approved, ended).when(cmd('CloseException', { note: 'filed' }, gso)), [{ type: 'ExceptionClosed', data: { closedBy: 'gso', note: 'filed' } }])
  t.throws(() => x(req, examined, approved, ended).when(cmd('CloseException', {}, sato)), { code: 'SelfApproval' })
  t.throws(() => x(req, examined, approved).when(cmd('CloseException', {}, gso)), { code: 'ExceptionTransitionNotAllowed' })
})

t.test('revocation while in force, not once overdue (it owes its end report), after the end or a rejection', async (t) => {
  t.same(x(req, examined, approved).when(cmd('RevokeException', { reason: 'misuse' })), [{ type: 'ExceptionRevoked', data: { exceptionId: 'X1', revokedBy: 'abe', reason: 'misuse', at: NOW } }])
  t.throws(() => x(req, examined, approved, overdue).when(cmd('RevokeException', { reason: 'no report' })), { code: 'ExceptionTransitionNotAllowed' })
  t.throws(() => x(req, examined, approved, ended).when(cmd('RevokeException', { reason: 'late' })), { code: 'ExceptionTransitionNotAllowed' })
  t.throws(() => x(req).when(cmd('RevokeException', { reason: 'x' })), { code: 'ExceptionTransitionNotAllowed' })
})

t.test('overdue only after the permitted period without an end report; repeated, it records nothing', async (t) => {
  const mark = (now: string, ...events: ExceptionEvent[]) => x(...events).when(cmd('MarkExceptionOverdue', {}, scheduler, now))
  t.same(mark('2026-07-03T18:00:00+09:00', req, examined, approved), [], 'the last instant of the period is inside it')
  t.same(mark('2026-07-04T00:00:00+09:00', req, examined, approved), [overdue])
  t.same(mark('2026-07-05T00:00:00+09:00', req, examined, approved, overdue), [], 'already overdue')
  t.same(mark('2026-07-05T00:00:00+09:00', req, examined, approved, ended), [], 'ended')
  t.same(mark('2026-07-05T00:00:00+09:00', req, examined), [], 'not approved')
  t.throws(() => mark(NOW), { code: 'ExceptionNotFound' })
})

t.test('coverage: approved, in the period, the rule and step, an asset or the unit; not after revocation, closing or the reported end', async (t) => {
  const q = { actorId: 'sato', assetIds: ['doc-1'], step: 'CARRY', rule: 'NoTakeOut', at: '2026-07-02T12:00:00+09:00' }
  const state = (...events: ExceptionEvent[]) => x(...events).state()
  t.ok(exceptionCovers(state(req, examined, approved), q))
  t.ok(exceptionCovers(state(req, examined, approved), { ...q, at: '2026-07-03T09:00:00Z' }), 'the period end, at another offset')
  t.notOk(exceptionCovers(state(req, examined, approved), { ...q, at: '2026-07-03T09:00:01Z' }), 'after the period')
  t.notOk(exceptionCovers(state(req, examined, approved), { ...q, at: '2026-07-02T08:59:59+09:00' }), 'before the period')
  t.notOk(exceptionCovers(state(req, examined, approved), { ...q, rule: 'UnsafeCarry' }), 'a rule not permitted')
  t.notOk(exceptionCovers(state(req, examined, approved), { ...q, step: 'SEND' }), 'another step')
  t.notOk(exceptionCovers(state(req, examined, approved), { ...q, assetIds: ['doc-2'] }), 'an asset not permitted')
  t.notOk(exceptionCovers(state(req, examined, approved), { ...q, assetIds: ['doc-3'], unitId: 'u1' }), 'the unit was not permitted')
  t.ok(exceptionCovers(state(req, examined, { ...approved, data: { ...approvedData, unitId: 'u1' } }), { ...q, assetIds: ['doc-3'], unitId: 'u1' }), 'covered by its unit')
  t.notOk(exceptionCovers(state(req, examined), q), 'not approved')
  const revoked: ExceptionEvent = { type: 'ExceptionRevoked', data: { exceptionId: 'X1', revokedBy: 'abe', reason: 'r', at: NOW } }
  t.notOk(exceptionCovers(state(req, examined, approved, revoked), q), 'revoked')
  t.ok(exceptionCovers(state(req, examined, approved, ended), { ...q, at: '2026-07-03T11:00:00+09:00' }), 'before the reported end')
  t.notOk(exceptionCovers(state(req, examined, approved, ended), { ...q, at: '2026-07-03T12:30:00+09:00' }), 'after the reported end')
  const closed: ExceptionEvent = { type: 'ExceptionClosed', data: { exceptionId: 'X1', closedBy: 'gso', note: undefined, at: NOW } }
  t.notOk(exceptionCovers(state(req, examined, approved, ended, closed), { ...q, at: '2026-07-03T11:00:00+09:00' }), 'closed')
  t.notOk(exceptionCovers(state(req, examined, approved), { ...q, at: 'not a time' }))
  t.notOk(exceptionCovers(state(req, examined, approved), { ...q, actorId: 'suzuki' }), "it permits the applicant's action, not a colleague's")
})

// given/when/then over the audit decider (Art. 11): the plan with separation of duties, CISO approval
// (never by the author), findings by the audit's auditors on units other than their own, the report,
// improvement plans by the unit's security officer, follow-ups, and closing with the last finding.
import t from 'tap'
import { auditDecider, auditStreamId, PlanAuditInput, type AuditCommand, type AuditEvent } from '../../../src/domain/audit/index.js'
import type { Actor, CommandMetadata } from '../../../src/domain/shared/decider.js'
import { given } from '../../helpers/given.js'

const NOW = '2026-06-15T10:00:00+09:00' // Japan date 2026-06-15, FY2026
const officer: Actor = { id: 'kimura', roles: ['AUDIT_OFFICER'] }
const ciso: Actor = { id: 'boss', roles: ['CISO'] }
const auditor: Actor = { id: 'aoki', roles: ['AUDITOR'] }
const secOfficer: Actor = { id: 'oda', roles: ['SECURITY_OFFICER'] }

const cmd = <T extends AuditCommand['type']>(type: T, data: Extract<AuditCommand, { type: T }>['data'], actor: Actor = officer, now = NOW) =>
  ({ type, data, metadata: { actor, agencyId: 'mof', now, correlationId: 'c', source: 'api' } satisfies CommandMetadata }) as Extract<AuditCommand, { type: T }>

const employees = { aoki: { unitId: 'audit' }, abe: { unitId: 'u2' }, sato: { unitId: 'u1' } }
const planData = {
  auditId: 'A1', fiscalYear: 2026, title: 'IT division audit', scopeUnitIds: ['u1'], auditorIds: ['aoki'], fieldworkFrom: '2026-07-01', fieldworkTo: '2026-07-31',
  units: { u1: true }, employees, auditorRoleHolders: ['aoki', 'abe', 'sato'],
}
const planned: AuditEvent = {
  type: 'AuditPlanned',
  data: { auditId: 'A1', fiscalYear: 2026, title: 'IT division audit', objective: undefined, scopeUnitIds: ['u1', 'u2'], auditorIds: ['aoki', 'abe'],
    fieldworkFrom: '2026-07-01', fieldworkTo: '2026-07-31', plannedBy: 'kimura', at: NOW },
}
const approved: AuditEvent = { type: 'AuditPlanApproved', data: { auditId: 'A1', note: undefined, approvedBy: 'boss', at: NOW } }
const findingData = { findingId: 'F1', unitId: 'u1', standardsItem: { edition: 'R5' as const, code: '6.4' }, severity: 'HIGH' as const, description: 'logs not reviewed', dueOn: '2026-12-31', actorUnitId: 'audit' }
const found = (findingId: string, unitId = 'u1'): AuditEvent => ({
  type: 'AuditFindingRecorded',
  data: { auditId: 'A1', findingId, unitId, standardsItem: { edition: 'R5', code: '6.4' }, severity: 'HIGH', description: 'logs not reviewed', dueOn: '2026-12-31', recordedBy: 'aoki', at: NOW },
})
const reported: AuditEvent = { type: 'AuditReported', data: { auditId: 'A1', summary: 's', reportedTo: 'boss', findingCount: 2, openFindingCount: 2, reportedBy: 'kimura', at: NOW } }
const improving = (findingId: string): AuditEvent => ({ type: 'ImprovementPlanRecorded', data: { auditId: 'A1', findingId, actions: ['weekly review'], ownerId: 'sato', dueOn: '2026-10-31', recordedBy: 'oda', at: NOW } })
const followed = (findingId: string, status: 'IN_PROGRESS' | 'IMPLEMENTED'): AuditEvent =>
  ({ type: 'AuditFollowUpRecorded', data: { auditId: 'A1', findingId, followUpId: `fu-${findingId}-${status}`, note: 'checked', status, recordedBy: 'kimura', at: NOW } })
const closedF = (findingId: string): AuditEvent => ({ type: 'AuditFindingClosed', data: { auditId: 'A1', findingId, note: undefined, closedBy: 'kimura', at: NOW } })
const audit = (...events: AuditEvent[]) => given(auditDecider, ...events)

t.test('the audit officer plans an audit; the event records scope, auditors and author', async (t) => {
  t.same(audit().when(cmd('PlanAudit', { ...planData, scopeUnitIds: ['u1', 'u1'] })), [{
    type: 'AuditPlanned',
    data: { auditId: 'A1', fiscalYear: 2026, title: 'IT division audit', objective: undefined, scopeUnitIds: ['u1'], auditorIds: ['aoki'], fieldworkFrom: '2026-07-01', fieldworkTo: '2026-07-31', plannedBy: 'kimura', at: NOW },
  }])
  t.equal(auditStreamId('A1'), 'audit-A1')
  t.throws(() => audit(planned).when(cmd('PlanAudit', planData)), { code: 'AuditAlreadyExists' })
  t.notOk(PlanAuditInput.safeParse({ ...planData, auditorIds: [] }).success, 'at least one auditor')
})

t.test('no auditor audits their own unit (separation of duties)', async (t) => {
  t.throws(() => audit().when(cmd('PlanAudit', { ...planData, auditorIds: ['aoki', 'sato'] })), {
    code: 'AuditorOwnUnit', details: { employeeId: 'sato', unitId: 'u1' },
  })
  t.doesNotThrow(() => audit().when(cmd('PlanAudit', { ...planData, auditorIds: ['abe'] })), 'u2 is not audited')
})

t.test('the plan is checked: fiscal year, fieldwork period, units, auditors', async (t) => {
  const plan = (over: object) => () => audit().when(cmd('PlanAudit', { ...planData, ...over }))
  t.throws(plan({ fiscalYear: 2028, fieldworkFrom: '2028-07-01', fieldworkTo: '2028-07-31' }), { code: 'FiscalYearNotOpen' })
  t.throws(plan({ fieldworkTo: '2026-06-30' }), { code: 'InvalidPeriod' })
  t.throws(plan({ fieldworkTo: '2027-04-30' }), { code: 'PeriodOutsideFiscalYear' })
  t.throws(plan({ scopeUnitIds: ['u1', 'zz'], units: { u1: true, zz: false } }), { code: 'UnknownUnit', details: { unitIds: ['zz'] } })
  t.throws(plan({ auditorIds: ['ghost'] }), { code: 'UnknownEmployee', details: { employeeId: 'ghost' } })
  t.throws(plan({ employees: { aoki: { unitId: 'audit', departedOn: '2026-06-30' } } }), { code: 'EmployeeDeparted' })
  t.throws(plan({ auditorRoleHolders: [] }), { code: 'NotAnAuditor', details: { employeeId: 'aoki' } })
})

t.test('the CISO approves the plan, but never its author', async (t) => {
  t.same(audit(planned).when(cmd('ApproveAuditPlan', {}, ciso)), [approved])
  const authorAsCiso: Actor = { id: 'kimura', roles: ['CISO', 'AUDIT_OFFICER'] }
  t.throws(() => audit(planned).when(cmd('ApproveAuditPlan', {}, authorAsCiso)), { code: 'SelfApproval', details: { plannedBy: 'kimura' } })
  t.throws(() => audit(planned, approved).when(cmd('ApproveAuditPlan', {}, ciso)), { code: 'AuditAlreadyApproved' })
  t.throws(() => audit().when(cmd('ApproveAuditPlan', {}, ciso)), { code: 'AuditNotFound' })
})

t.test("findings: only after approval, by the audit's own auditors, in scope, not on their own unit", async (t) => {
  const record = (events: AuditEvent[], over: object = {}, actor = auditor) => () => audit(...events).when(cmd('RecordFinding', { ...findingData, ...over }, actor))
  t.same(record([planned, approved])(), [found('F1')])
  t.throws(record([planned]), { code: 'AuditNotApproved' })
  t.throws(record([planned, approved, reported]), { code: 'AuditAlreadyReported' })
  t.throws(record([planned, approved], {}, { id: 'ueda', roles: ['AUDITOR'] }), { code: 'NotAuditorOfAudit' })
  t.throws(record([planned, approved], { unitId: 'u9' }), { code: 'UnitNotInScope' })
  t.throws(record([planned, approved], { unitId: 'u2', actorUnitId: 'u2' }), { code: 'AuditorOwnUnit' }, 'an auditor who moved into an audited unit')
  t.throws(record([planned, approved], { standardsItem: { edition: 'R5', code: '9.9' } }), { code: 'UnknownStandardsItem' })
  t.throws(record([planned, approved], { dueOn: '2026-06-01' }), { code: 'DueDateInPast' })
})

t.test('the report goes to the CISO; with no open finding it also closes the audit', async (t) => {
  const report = cmd('ReportAudit', { summary: 's', cisoId: 'boss' })
  t.same(audit(planned, approved, found('F1'), found('F2')).when(report), [reported])
  t.same(audit(planned, approved).when(report).map((e) => e.type), ['AuditReported', 'AuditClosed'])
  t.throws(() => audit(planned).when(report), { code: 'AuditNotApproved' })
  t.throws(() => audit(planned, approved, reported).when(report), { code: 'AuditAlreadyReported' })
  t.throws(() => audit(planned, approved).when(cmd('ReportAudit', { summary: 's', cisoId: undefined })), { code: 'CisoNotAssigned' })
})

t.test("the unit's security officer records the improvement plan", async (t) => {
  const plan = (over: object = {}, events = [planned, approved, found('F1')]) => () =>
    audit(...events).when(cmd('RecordImprovementPlan', { findingId: 'F1', actions: ['weekly review'], ownerId: 'sato', owner: { unitId: 'u1' }, dueOn: '2026-10-31', officerUnits: ['u1'], ...over }, secOfficer))
  t.same(plan()(), [improving('F1')])
  t.throws(plan({ officerUnits: ['u2'] }), { code: 'NotUnitSecurityOfficer', details: { unitId: 'u1' } })
  t.throws(plan({ owner: undefined }), { code: 'UnknownEmployee' })
  t.throws(plan({ owner: { unitId: 'u1', departedOn: '2026-06-01' } }), { code: 'EmployeeDeparted' })
  t.throws(plan({ dueOn: '2026-01-01' }), { code: 'DueDateInPast' })
  t.throws(plan({ findingId: 'F9' }), { code: 'FindingNotFound' })
  t.throws(plan({}, [planned, approved, found('F1'), improving('F1'), followed('F1', 'IMPLEMENTED'), closedF('F1')]), { code: 'FindingAlreadyClosed' })
})

t.test('follow-ups need an improvement plan; auditors follow up only their audits', async (t) => {
  const follow = (actor: Actor, events = [planned, approved, found('F1'), improving('F1')]) => () =>
    audit(...events).when(cmd('RecordFollowUp', { findingId: 'F1', followUpId: 'fu1', note: 'checked', status: 'IN_PROGRESS' }, actor))
  t.match(follow(officer)(), [{ type: 'AuditFollowUpRecorded', data: { findingId: 'F1', status: 'IN_PROGRESS', recordedBy: 'kimura' } }])
  t.doesNotThrow(follow(auditor), 'a named auditor')
  t.throws(follow({ id: 'ueda', roles: ['AUDITOR'] }), { code: 'NotAuditorOfAudit' })
  t.throws(follow(officer, [planned, approved, found('F1')]), { code: 'ImprovementPlanMissing' })
})

t.test('a finding closes once implemented; the last one closes a reported audit', async (t) => {
  const history = [planned, approved, found('F1'), found('F2', 'u2'), reported, improving('F1'), improving('F2')]
  const close = (findingId: string) => cmd('CloseFinding', { findingId, note: undefined })
  t.throws(() => audit(...history).when(close('F1')), { code: 'FindingNotImplemented' })
  t.throws(() => audit(...history, followed('F1', 'IMPLEMENTED'), followed('F1', 'IN_PROGRESS')).when(close('F1')), { code: 'FindingNotImplemented' }, 'the latest follow-up counts')
  const done = [...history, followed('F1', 'IMPLEMENTED'), followed('F2', 'IMPLEMENTED')]
  t.same(audit(...done).when(close('F1')), [closedF('F1')], 'F2 still open')
  t.same(audit(...done, closedF('F1')).when(close('F2')), [closedF('F2'), { type: 'AuditClosed', data: { auditId: 'A1', at: NOW } }])
  t.equal(audit(...done, closedF('F1'), closedF('F2'), { type: 'AuditClosed', data: { auditId: 'A1', at: NOW } }).state().status, 'CLOSED')
  t.throws(() => audit(...done, closedF('F1')).when(close('F1')), { code: 'FindingAlreadyClosed' })
  const notReported = [planned, approved, found('F1'), improving('F1'), followed('F1', 'IMPLEMENTED')]
  t.same(audit(...notReported).when(close('F1')).map((e) => e.type), ['AuditFindingClosed'], 'before the report the audit stays open')
})

// The time-driven duties of dated records, roles and incident steps (src/application/duties.ts), by an
// injected clock: not yet due -> nothing; due -> one DutyBecameOverdue with its subject, due date and
// sentence; a second pass -> nothing; done late -> DutyDischarged; another agency's data -> nothing.
import t from 'tap'
import type { DutyKind } from '../../src/domain/compliance/duties.js'
import { dutyWorld, type DutyRecord } from '../helpers/duties.js'

const w = await dutyWorld(t, '2025-04-10T10:00:00+09:00')
const { h } = w
const NOTHING = { judged: true, overdue: 0, discharged: 0 }
type Asserts = Pick<typeof t, 'equal' | 'match'>

/** The agency's duty events of `kind`: exactly one, matching `pattern`. */
async function one(t: Asserts, agencyId: string, kind: DutyKind, pattern: Partial<DutyRecord>) {
  const list = await w.duties(agencyId, kind)
  t.equal(list.length, 1, `one ${kind} event in ${agencyId}`)
  t.match(list[0], pattern)
}
const overdue = (subjectId: string, dueOn: string, detail?: string) => ({ type: 'DutyBecameOverdue' as const, subjectId, dueOn, missing: [], missingCount: 0, ...(detail ? { detail } : {}) })

t.test('RISK_REVIEW_OVERDUE: an active risk past its review date, until it is reviewed', async (t) => {
  w.at('2025-04-10T10:00:00+09:00')
  await w.register('risk-a', 'risk-b')
  const risk = (title: string) => ({ title, threat: 'credential theft', likelihood: 'MEDIUM', impact: 'HIGH', measures: ['training'], reviewBy: '2025-06-30' })
  const { id: riskId } = await h.admin('risk-a', 'assessRisk', risk('Phishing'))
  const { id: retiredId } = await h.admin('risk-a', 'assessRisk', risk('Old mail gateway'))
  await h.admin('risk-a', 'retireRisk', { reason: 'gateway replaced' }, { riskId: retiredId })

  w.at('2025-06-30T23:59:00+09:00')
  await w.pass('risk-a')
  t.same(await w.duties('risk-a', 'RISK_REVIEW_OVERDUE'), [], 'due on the day: not yet overdue')
  w.at('2025-07-01T00:00:00+09:00')
  await w.pass('risk-a')
  await one(t, 'risk-a', 'RISK_REVIEW_OVERDUE', { ...overdue(riskId, '2025-06-30', 'Risk "Phishing" was due for review by 2025-06-30.'), article: 3 })
  t.same(await w.pass('risk-a'), NOTHING, 'a second pass appends nothing; the retired risk never counts')

  w.at('2025-07-03T10:00:00+09:00')
  await h.admin('risk-a', 'reassessRisk', { reason: 'reviewed late', reviewBy: '2026-06-30' }, { riskId })
  t.same(await w.pass('risk-a'), { judged: true, overdue: 0, discharged: 1 })
  t.match((await w.duties('risk-a', 'RISK_REVIEW_OVERDUE')).at(-1), { type: 'DutyDischarged', dutyId: `RISK_REVIEW_OVERDUE:${riskId}`, at: w.now().toISOString() })
  await w.pass('risk-b')
  t.same(await w.duties('risk-b', 'RISK_REVIEW_OVERDUE'), [], "another agency's risks are not its duties")
})

t.test('ROLE_VACANT: each required role without an agency-wide holder today, from the day after registration', async (t) => {
  w.at('2025-04-10T10:00:00+09:00')
  await w.register('role-a', 'role-b')
  for (const [employeeId, role, to] of [['c1', 'CISO', '2025-04-20'], ['c2', 'CSIRT_HEAD', undefined], ['c3', 'AUDIT_OFFICER', undefined]] as const) {
    await h.employee('role-a', employeeId)
    await h.admin('role-a', 'assignRole', { employeeId, role, from: '2025-04-01', to })
  }
  await w.pass('role-a')
  t.same(await w.duties('role-a', 'ROLE_VACANT'), [], 'a new agency has its first day')

  w.at('2025-04-11T09:00:00+09:00')
  await w.pass('role-a')
  await one(t, 'role-a', 'ROLE_VACANT', { ...overdue('GENERAL_SECURITY_OFFICER', '2025-04-11', 'No one holds the role GENERAL_SECURITY_OFFICER agency-wide on 2025-04-11.'), article: 5 })
  t.same(await w.pass('role-a'), NOTHING, 'a second pass appends nothing')
  await w.pass('role-b')
  t.same((await w.duties('role-b', 'ROLE_VACANT')).map((d) => d.subjectId).sort(), ['AUDIT_OFFICER', 'CISO', 'CSIRT_HEAD', 'GENERAL_SECURITY_OFFICER'], "another agency's officers fill none of its roles")

  await h.employee('role-a', 'g1')
  await h.admin('role-a', 'assignRole', { employeeId: 'g1', role: 'GENERAL_SECURITY_OFFICER', from: '2025-04-11' })
  t.same(await w.pass('role-a'), { judged: true, overdue: 0, discharged: 1 })
  t.match((await w.duties('role-a', 'ROLE_VACANT')).at(-1), { type: 'DutyDischarged', subjectId: 'GENERAL_SECURITY_OFFICER' })

  w.at('2025-04-21T09:00:00+09:00')
  t.same(await w.pass('role-a'), { judged: true, overdue: 1, discharged: 0 }, "the CISO's term ended on 2025-04-20")
  t.match((await w.duties('role-a', 'ROLE_VACANT')).at(-1), overdue('CISO', '2025-04-21'))
})

t.test('INCIDENT_STEP_OVERDUE: triage, report to the CISO and notice to the national centre, each by its deadline', async (t) => {
  w.at('2025-04-10T10:00:00+09:00')
  await w.register('inc-a', 'inc-b')
  await h.admin('inc-b', 'changeAgencySettings', { deadlines: { incidentTriageHours: 48 } })
  const reported = (incidentId: string) => ({
    type: 'IncidentReported', data: {
      incidentId, title: 'Phishing mail opened', description: 'an attachment from a spoofed sender', detectedAt: '2025-04-10T09:30:00+09:00',
      reportedAt: '2025-04-10T10:00:00+09:00', reportedBy: 'u1', source: 'EMPLOYEE', affectedSystems: [], affectedInformation: [],
    },
  })
  const triaged = (assessment: 'INCIDENT' | 'NOT_INCIDENT') => ({ type: 'IncidentTriaged', data: { assessment, serious: false, rationale: 'checked', by: 'csirt', at: w.now().toISOString() } })
  await w.record('inc-a', 'incident', 'incident-i1', reported('i1'))
  await w.record('inc-a', 'incident', 'incident-i2', reported('i2'), triaged('NOT_INCIDENT'))
  await w.record('inc-b', 'incident', 'incident-i1', reported('i1'))

  w.at('2025-04-11T09:59:00+09:00')
  await w.pass('inc-a')
  t.same(await w.duties('inc-a', 'INCIDENT_STEP_OVERDUE'), [], 'inside 24 hours')
  w.at('2025-04-11T10:01:00+09:00')
  await w.pass('inc-a')
  await one(t, 'inc-a', 'INCIDENT_STEP_OVERDUE', {
    ...overdue('i1:TRIAGE', '2025-04-11', 'Incident "Phishing mail opened" was not triaged within 24 hours of its report (due 2025-04-11T01:00:00.000Z).'), article: 9,
  })
  t.same(await w.pass('inc-a'), NOTHING, 'a second pass appends nothing; the dismissed report has no steps due')
  await w.pass('inc-b')
  t.same(await w.duties('inc-b', 'INCIDENT_STEP_OVERDUE'), [], 'its own deadline (48 hours) has not passed')

  w.at('2025-04-11T11:00:00+09:00')
  await w.record('inc-a', 'incident', 'incident-i1', triaged('INCIDENT'))
  t.same(await w.pass('inc-a'), { judged: true, overdue: 0, discharged: 1 }, 'triaged late')

  w.at('2025-04-12T11:01:00+09:00')
  t.same(await w.pass('inc-a'), { judged: true, overdue: 1, discharged: 0 }, 'the CISO report was due 24 hours after the assessment')
  t.match((await w.duties('inc-a', 'INCIDENT_STEP_OVERDUE')).at(-1), overdue('i1:CISO_REPORT', '2025-04-12'))
  await w.pass('inc-b')
  await one(t, 'inc-b', 'INCIDENT_STEP_OVERDUE', overdue('i1:TRIAGE', '2025-04-12'))
  await w.record('inc-a', 'incident', 'incident-i1', { type: 'IncidentReportedToCiso', data: { summary: 'malware', by: 'head', at: w.now().toISOString() } })
  t.same(await w.pass('inc-a'), { judged: true, overdue: 0, discharged: 1 })

  w.at('2025-04-14T11:01:00+09:00')
  t.same(await w.pass('inc-a'), { judged: true, overdue: 1, discharged: 0 }, 'the notice was due 72 hours after the assessment')
  t.match((await w.duties('inc-a', 'INCIDENT_STEP_OVERDUE')).at(-1), { ...overdue('i1:NATIONAL_CENTRE', '2025-04-14'), detail: /^The national centre was not notified of incident "Phishing mail opened" within 72 hours/ })
  await w.record('inc-a', 'incident', 'incident-i1', { type: 'NationalCentreNotified', data: { destination: 'NCO', summary: 'malware', by: 'head', at: w.now().toISOString() } })
  t.same(await w.pass('inc-a'), { judged: true, overdue: 0, discharged: 1 })
})

t.test('SELF_CHECK_FIX_OVERDUE: a fix not completed by its due date', async (t) => {
  w.at('2025-06-01T10:00:00+09:00')
  await w.register('fix-a', 'fix-b')
  const at = () => w.now().toISOString()
  const fixOrdered = (fixId: string) => ({ type: 'SelfCheckFixOrdered', data: { fiscalYear: 2025, fixId, itemId: 'q1', unitId: 'u1', description: 'Enforce screen lock', dueOn: '2025-09-30', orderedBy: 'gso', at: at() } })
  const selfCheck = [
    { type: 'SelfCheckPlanned', data: { fiscalYear: 2025, from: '2025-05-01', to: '2025-05-31', items: [{ itemId: 'q1', question: 'Locked?' }], resultsPerEmployee: 1, plannedBy: 'gso', at: at() } },
    { type: 'SelfCheckEvaluated', data: { fiscalYear: 2025, summary: 'weak locking', weakItemIds: ['q1'], resultCount: 1, evaluatedBy: 'gso', at: at() } },
  ]
  await w.record('fix-a', 'selfcheck', 'selfcheck-2025', ...selfCheck, fixOrdered('x1'))
  await w.record('fix-b', 'selfcheck', 'selfcheck-2025', ...selfCheck, fixOrdered('x1'), { type: 'SelfCheckFixCompleted', data: { fiscalYear: 2025, fixId: 'x1', note: 'done', completedBy: 'oda', at: at() } })

  w.at('2025-09-30T23:00:00+09:00')
  await w.pass('fix-a')
  t.same(await w.duties('fix-a', 'SELF_CHECK_FIX_OVERDUE'), [])
  w.at('2025-10-01T09:00:00+09:00')
  await w.pass('fix-a')
  await one(t, 'fix-a', 'SELF_CHECK_FIX_OVERDUE', { ...overdue('x1', '2025-09-30', 'Fix "Enforce screen lock" ordered after the FY2025 self-check was due by 2025-09-30.'), article: 10 })
  t.same(await w.pass('fix-a'), NOTHING)
  await w.pass('fix-b')
  t.same(await w.duties('fix-b', 'SELF_CHECK_FIX_OVERDUE'), [], 'completed in time, in the other agency')
  await w.record('fix-a', 'selfcheck', 'selfcheck-2025', { type: 'SelfCheckFixCompleted', data: { fiscalYear: 2025, fixId: 'x1', note: 'late', completedBy: 'oda', at: at() } })
  t.same(await w.pass('fix-a'), { judged: true, overdue: 0, discharged: 1 })
})

t.test('AUDIT_FINDING_OVERDUE: a finding not closed by its due date', async (t) => {
  w.at('2025-06-01T10:00:00+09:00')
  await w.register('find-a', 'find-b')
  const at = () => w.now().toISOString()
  const audit = [
    { type: 'AuditPlanned', data: { auditId: 'au1', fiscalYear: 2025, title: 'Audit', scopeUnitIds: ['u1'], auditorIds: ['aoki'], fieldworkFrom: '2025-06-01', fieldworkTo: '2025-06-30', plannedBy: 'kimura', at: at() } },
    { type: 'AuditPlanApproved', data: { auditId: 'au1', approvedBy: 'boss', at: at() } },
    { type: 'AuditFindingRecorded', data: { auditId: 'au1', findingId: 'f1', unitId: 'u1', standardsItem: { edition: 'R3', code: '6.4' }, severity: 'HIGH', description: 'no log review', dueOn: '2025-09-30', recordedBy: 'aoki', at: at() } },
  ]
  await w.record('find-a', 'audit', 'audit-au1', ...audit)
  await w.record('find-b', 'audit', 'audit-au1', ...audit, { type: 'AuditFindingClosed', data: { auditId: 'au1', findingId: 'f1', closedBy: 'kimura', at: at() } })

  w.at('2025-09-30T23:00:00+09:00')
  await w.pass('find-a')
  t.same(await w.duties('find-a', 'AUDIT_FINDING_OVERDUE'), [])
  w.at('2025-10-01T09:00:00+09:00')
  await w.pass('find-a')
  await one(t, 'find-a', 'AUDIT_FINDING_OVERDUE', { ...overdue('f1', '2025-09-30', 'Audit finding on 6.4 ("no log review") was due to be closed by 2025-09-30.'), article: 11 })
  t.same(await w.pass('find-a'), NOTHING)
  await w.pass('find-b')
  t.same(await w.duties('find-b', 'AUDIT_FINDING_OVERDUE'), [])
  await w.record('find-a', 'audit', 'audit-au1', { type: 'AuditFindingClosed', data: { auditId: 'au1', findingId: 'f1', closedBy: 'kimura', at: at() } })
  t.same(await w.pass('find-a'), { judged: true, overdue: 0, discharged: 1 })
})

t.test('CONTRACT_ERASURE_OVERDUE: the return or erasure not confirmed within the days after the contract ended', async (t) => {
  w.at('2025-04-10T10:00:00+09:00')
  await w.register('con-a', 'con-b')
  const at = () => w.now().toISOString()
  const recorded = (contractId: string, to: string) => ({
    type: 'ContractRecorded', data: {
      contractId, contractorId: 'k1', subject: `Operation of ${contractId}`, ownerUnitId: 'u1', systemIds: [], from: '2025-04-01', to, securityClauses: ['confidentiality'], recordedBy: 'gso', at: at(),
    },
  })
  const ended = (contractId: string, endedOn: string) => ({ type: 'ContractEnded', data: { contractId, endedOn, endedBy: 'gso', at: at() } })
  const erased = (contractId: string) => ({ type: 'InformationReturnOrErasureConfirmed', data: { contractId, method: 'ERASED', confirmedOn: at().slice(0, 10), confirmedBy: 'gso', at: at() } })
  await w.record('con-a', 'contract', 'contract-c1', recorded('c1', '2026-03-31'))
  await w.record('con-a', 'contract', 'contract-c2', recorded('c2', '2025-06-30')) // runs out, never recorded as ended
  await w.record('con-a', 'contract', 'contract-c3', recorded('c3', '2026-03-31'))
  await w.record('con-b', 'contract', 'contract-c1', recorded('c1', '2026-03-31'))
  w.at('2025-06-30T10:00:00+09:00')
  for (const agency of ['con-a', 'con-b']) await w.record(agency, 'contract', 'contract-c1', ended('c1', '2025-06-30'))
  await w.record('con-a', 'contract', 'contract-c3', ended('c3', '2025-06-30'), erased('c3'))
  await w.record('con-b', 'contract', 'contract-c1', erased('c1'))

  w.at('2025-07-30T23:00:00+09:00')
  await w.pass('con-a')
  t.same(await w.duties('con-a', 'CONTRACT_ERASURE_OVERDUE'), [], '30 days after the end: not yet overdue')
  w.at('2025-07-31T09:00:00+09:00')
  await w.pass('con-a')
  t.match(await w.duties('con-a', 'CONTRACT_ERASURE_OVERDUE'), [
    { ...overdue('c1', '2025-07-30', 'Contract "Operation of c1" ended on 2025-06-30; the return or erasure of the information was due to be confirmed by 2025-07-30.'), article: 16 },
    overdue('c2', '2025-07-30'),
  ])
  t.equal((await w.duties('con-a', 'CONTRACT_ERASURE_OVERDUE')).length, 2, 'c3 was erased in time')
  t.same(await w.pass('con-a'), NOTHING)
  await w.pass('con-b')
  t.same(await w.duties('con-b', 'CONTRACT_ERASURE_OVERDUE'), [])
  await w.record('con-a', 'contract', 'contract-c1', erased('c1'))
  t.same(await w.pass('con-a'), { judged: true, overdue: 0, discharged: 1 })
  t.match((await w.duties('con-a', 'CONTRACT_ERASURE_OVERDUE')).at(-1), { type: 'DutyDischarged', subjectId: 'c1' })
})

t.test('SYSTEM_REVIEW_OVERDUE: a system in service past its review date, until reviewed; a retired one never', async (t) => {
  w.at('2025-04-10T10:00:00+09:00')
  await w.register('sys-a', 'sys-b')
  const at = () => w.now().toISOString()
  const registered = (systemId: string) => ({
    type: 'SystemRegistered', data: {
      systemId, name: `System ${systemId}`, purpose: 'mail', ownerUnitId: 'u1', informationClasses: [], contractorIds: [], internetFacing: false, criticality: 'MEDIUM',
      documents: [], stage: 'OPERATION', reviewDueOn: '2025-09-30', by: 'gso', at: at(),
    },
  })
  await w.record('sys-a', 'system', 'system-s1', registered('s1'))
  await w.record('sys-a', 'system', 'system-s2', registered('s2'), { type: 'SystemStageChanged', data: { systemId: 's2', from: 'OPERATION', to: 'RETIRED', by: 'gso', at: at() } })
  await w.record('sys-b', 'system', 'system-s1', registered('s1'), { type: 'SystemReviewed', data: { systemId: 's1', stage: 'OPERATION', findings: 'fine', nextReviewDueOn: '2026-09-30', by: 'gso', at: at() } })

  w.at('2025-09-30T23:00:00+09:00')
  await w.pass('sys-a')
  t.same(await w.duties('sys-a', 'SYSTEM_REVIEW_OVERDUE'), [])
  w.at('2025-10-01T09:00:00+09:00')
  await w.pass('sys-a')
  await one(t, 'sys-a', 'SYSTEM_REVIEW_OVERDUE', { ...overdue('s1', '2025-09-30', 'Information system "System s1" was due for review by 2025-09-30.'), article: 18 })
  t.same(await w.pass('sys-a'), NOTHING)
  await w.pass('sys-b')
  t.same(await w.duties('sys-b', 'SYSTEM_REVIEW_OVERDUE'), [])
  await w.record('sys-a', 'system', 'system-s1', { type: 'SystemReviewed', data: { systemId: 's1', stage: 'OPERATION', findings: 'late', previousReviewDueOn: '2025-09-30', nextReviewDueOn: '2026-09-30', by: 'gso', at: at() } })
  t.same(await w.pass('sys-a'), { judged: true, overdue: 0, discharged: 1 })
})

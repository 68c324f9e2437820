// The fiscal-year duties (src/application/duties.ts) by an injected clock: the promotion plan after its grace
// period; training, self-check and audit once the year ended. Each pass judges one year: the current one for
// the plan, the year that ended last for the rest; an open duty of an older year is then superseded (kept in the history). And no pass
// judges anything while a read model is behind the agency's log.
import t from 'tap'
import { dutyWorld } from '../helpers/duties.js'

const w = await dutyWorld(t, '2025-04-10T10:00:00+09:00')
const { h } = w
const NOTHING = { judged: true, overdue: 0, discharged: 0 }
const at = () => w.now().toISOString()
const overdue = (subjectId: string, dueOn: string, detail?: string) => ({ type: 'DutyBecameOverdue' as const, subjectId, dueOn, ...(detail ? { detail } : {}) })
const subjects = async (agencyId: string, kind: Parameters<typeof w.duties>[1]) => (await w.duties(agencyId, kind)).map((d) => `${d.type}:${d.subjectId}`)

t.test('PLAN_MISSING: no promotion plan for the fiscal year once the grace period (from registration, if later) has passed', async (t) => {
  w.at('2025-04-10T10:00:00+09:00')
  await w.register('plan-a', 'plan-b', 'plan-c')
  await h.admin('plan-c', 'changeAgencySettings', { deadlines: { planGraceDays: 60 } })

  w.at('2025-05-10T23:00:00+09:00')
  await w.pass('plan-a')
  t.same(await w.duties('plan-a', 'PLAN_MISSING'), [], '30 days from the registration: not yet overdue')
  w.at('2025-05-11T09:00:00+09:00')
  await w.pass('plan-a')
  t.match(await w.duties('plan-a', 'PLAN_MISSING'), [{ ...overdue('2025', '2025-05-10', 'No promotion plan was established for FY2025 by 2025-05-10.'), article: 6, missing: [] }])
  t.same(await w.pass('plan-a'), NOTHING, 'a second pass appends nothing')
  await w.pass('plan-c')
  t.same(await w.duties('plan-c', 'PLAN_MISSING'), [], 'its own grace period is 60 days')

  await h.admin('plan-a', 'establishPlan', { fiscalYear: 2025, title: 'FY2025 promotion plan' })
  t.same(await w.pass('plan-a'), { judged: true, overdue: 0, discharged: 1 }, 'established late')
  await w.pass('plan-b')
  t.same(await subjects('plan-b', 'PLAN_MISSING'), ['DutyBecameOverdue:2025'], "another agency's plan is not its plan")

  w.at('2026-04-02T09:00:00+09:00')
  await w.pass('plan-b')
  t.same(await subjects('plan-b', 'PLAN_MISSING'), ['DutyBecameOverdue:2025', 'DutyDischarged:2025'], 'FY2026 is judged (in its grace period): FY2025 is superseded, kept in the history')
  w.at('2026-05-02T09:00:00+09:00')
  await w.pass('plan-b')
  t.same(await subjects('plan-b', 'PLAN_MISSING'), ['DutyBecameOverdue:2025', 'DutyDischarged:2025', 'DutyBecameOverdue:2026'])
  t.match((await w.duties('plan-b', 'PLAN_MISSING'))[2], overdue('2026', '2026-05-01'), 'from the start of the fiscal year')
})

t.test('TRAINING_NOT_DONE: the year ended with employees short of the required training, newcomers and early leavers aside', async (t) => {
  w.at('2025-06-02T10:00:00+09:00')
  await w.register('tr-a', 'tr-b')
  for (const id of ['e1', 'e2', 'e4']) await h.employee('tr-a', id, 'general', '2020-04-01')
  await h.employee('tr-a', 'e3', 'general', '2026-02-01') // joins two months before the year ends
  await h.admin('tr-a', 'recordDeparture', { on: '2025-05-01' }, { employeeId: 'e4' }) // left a month into the year
  await h.employee('tr-b', 'e2', 'general', '2020-04-01')
  for (const agency of ['tr-a', 'tr-b']) await h.admin(agency, 'planTraining', { fiscalYear: 2025, courses: [{ courseId: 'c1', title: 'Basics' }] })
  const complete = (agency: string, employeeIds: string[], completedOn: string) => h.admin(agency, 'recordTrainingCompletions', { completedOn, employeeIds }, { fiscalYear: '2025', courseId: 'c1' })
  await complete('tr-a', ['e1'], '2025-06-01')
  await complete('tr-b', ['e2'], '2025-06-01')

  w.at('2026-03-31T23:00:00+09:00')
  await w.pass('tr-a')
  t.same(await w.duties('tr-a', 'TRAINING_NOT_DONE'), [], 'the year has not ended')
  w.at('2026-04-01T09:00:00+09:00')
  await w.pass('tr-a')
  t.match(await w.duties('tr-a', 'TRAINING_NOT_DONE'), [{
    ...overdue('2025', '2026-03-31', '1 employee did not complete the required training in FY2025.'), article: 8, missing: ['e2'], missingCount: 1,
  }], "e2 only: e2 of the other agency trained, e3 joined too late, e4 left too early")
  t.equal((await w.duties('tr-a', 'TRAINING_NOT_DONE')).length, 1)
  t.same(await w.pass('tr-a'), NOTHING)
  await w.pass('tr-b')
  t.same(await w.duties('tr-b', 'TRAINING_NOT_DONE'), [], 'everyone trained')

  w.at('2026-04-05T09:00:00+09:00')
  await complete('tr-a', ['e2'], '2026-03-15') // recorded late
  t.same(await w.pass('tr-a'), { judged: true, overdue: 0, discharged: 1 })
  t.match((await w.duties('tr-a', 'TRAINING_NOT_DONE')).at(-1), { type: 'DutyDischarged', dutyId: 'TRAINING_NOT_DONE:2025' })
})

t.test('SELF_CHECK_NOT_DONE: the year ended without its self-check evaluated', async (t) => {
  w.at('2025-05-01T10:00:00+09:00')
  await w.register('sc-a', 'sc-b', 'sc-c')
  const planned = { type: 'SelfCheckPlanned', data: { fiscalYear: 2025, from: '2025-05-01', to: '2025-05-31', items: [{ itemId: 'q1', question: 'Locked?' }], resultsPerEmployee: 1, plannedBy: 'gso', at: at() } }
  const result = { type: 'SelfCheckResultRecorded', data: { fiscalYear: 2025, resultId: 'r1', employeeId: 'e1', unitId: 'u1', submittedOn: '2025-05-02', answers: [{ itemId: 'q1', compliant: true }], recordedBy: 'e1', at: at() } }
  const evaluated = () => ({ type: 'SelfCheckEvaluated', data: { fiscalYear: 2025, summary: 'fine', weakItemIds: [], resultCount: 1, evaluatedBy: 'gso', at: at() } })
  await w.record('sc-a', 'selfcheck', 'selfcheck-2025', planned, result)
  await w.record('sc-b', 'selfcheck', 'selfcheck-2025', planned, result, evaluated())

  w.at('2026-03-31T23:00:00+09:00')
  await w.pass('sc-a')
  t.same(await w.duties('sc-a', 'SELF_CHECK_NOT_DONE'), [])
  w.at('2026-04-01T09:00:00+09:00')
  await w.pass('sc-a')
  t.match(await w.duties('sc-a', 'SELF_CHECK_NOT_DONE'), [{ ...overdue('2025', '2026-03-31', 'FY2025 ended without its self-check evaluated (the self-check stopped at IN_PROGRESS).'), article: 10 }])
  t.same(await w.pass('sc-a'), NOTHING)
  await w.pass('sc-b')
  t.same(await w.duties('sc-b', 'SELF_CHECK_NOT_DONE'), [], "evaluated in time; the other agency's self-check is not its own")
  await w.pass('sc-c')
  t.match(await w.duties('sc-c', 'SELF_CHECK_NOT_DONE'), [{ ...overdue('2025', '2026-03-31', 'FY2025 ended without its self-check evaluated (no self-check was planned).') }])

  await w.record('sc-a', 'selfcheck', 'selfcheck-2025', evaluated())
  t.same(await w.pass('sc-a'), { judged: true, overdue: 0, discharged: 1 }, 'evaluated late')
})

t.test('AUDIT_NOT_DONE: the year ended without a CISO-approved audit plan; a later year supersedes an older one', async (t) => {
  w.at('2025-05-01T10:00:00+09:00')
  await w.register('au-a', 'au-b', 'au-c')
  const planned = { type: 'AuditPlanned', data: { auditId: 'au1', fiscalYear: 2025, title: 'Audit', scopeUnitIds: ['u1'], auditorIds: ['aoki'], fieldworkFrom: '2025-06-01', fieldworkTo: '2025-06-30', plannedBy: 'kimura', at: at() } }
  const approved = () => ({ type: 'AuditPlanApproved', data: { auditId: 'au1', approvedBy: 'boss', at: at() } })
  await w.record('au-a', 'audit', 'audit-au1', planned)
  await w.record('au-b', 'audit', 'audit-au1', planned, approved())

  w.at('2026-03-31T23:00:00+09:00')
  await w.pass('au-a')
  t.same(await w.duties('au-a', 'AUDIT_NOT_DONE'), [])
  w.at('2026-04-01T09:00:00+09:00')
  await w.pass('au-a')
  t.match(await w.duties('au-a', 'AUDIT_NOT_DONE'), [{ ...overdue('2025', '2026-03-31', 'FY2025 ended without an audit whose plan the CISO approved.'), article: 11 }])
  t.same(await w.pass('au-a'), NOTHING)
  await w.pass('au-b')
  t.same(await w.duties('au-b', 'AUDIT_NOT_DONE'), [])
  await w.pass('au-c')
  t.same(await subjects('au-c', 'AUDIT_NOT_DONE'), ['DutyBecameOverdue:2025'])

  await w.record('au-a', 'audit', 'audit-au1', approved())
  t.same(await w.pass('au-a'), { judged: true, overdue: 0, discharged: 1 }, 'approved late')

  w.at('2027-04-01T09:00:00+09:00')
  await w.pass('au-c')
  t.same(await subjects('au-c', 'AUDIT_NOT_DONE'), ['DutyBecameOverdue:2025', 'DutyBecameOverdue:2026', 'DutyDischarged:2025'], 'FY2026 now: FY2025 is superseded, not judged again')
  t.same(await subjects('au-c', 'SELF_CHECK_NOT_DONE'), ['DutyBecameOverdue:2025', 'DutyBecameOverdue:2026', 'DutyDischarged:2025'])
  t.match((await w.duties('au-c', 'AUDIT_NOT_DONE')).at(-1), { type: 'DutyDischarged', subjectId: '2025', reason: 'SUPERSEDED' })
})

t.test('a fiscal year that ended before the agency was registered makes no duty', async (t) => {
  w.at('2026-03-20T10:00:00+09:00')
  await w.register('late-a')
  await h.employee('late-a', 'e1', 'general', '2020-04-01')
  w.at('2026-04-01T09:00:00+09:00')
  await w.pass('late-a')
  for (const kind of ['TRAINING_NOT_DONE', 'SELF_CHECK_NOT_DONE', 'AUDIT_NOT_DONE'] as const) t.same(await subjects('late-a', kind), ['DutyBecameOverdue:2025'], `${kind}: FY2025 ended after the registration`)
  w.at('2026-04-10T10:00:00+09:00')
  await w.register('late-b')
  await h.employee('late-b', 'e1', 'general', '2020-04-01')
  w.at('2026-04-11T09:00:00+09:00')
  await w.pass('late-b')
  const kinds = new Set((await w.duties('late-b')).map((d) => d.kind))
  t.same([...kinds].sort(), ['ROLE_VACANT'], 'registered in FY2026: nothing about FY2025, and the plan has its grace period')
})

t.test('nothing is judged while a read model is behind the agency log', async (t) => {
  w.at('2026-06-01T10:00:00+09:00')
  await w.register('lag-a')
  w.at('2026-06-02T10:00:00+09:00')
  await h.runner.stop()
  await w.record('lag-a', 'risk', 'risk-r1', {
    type: 'RiskAssessed', data: { riskId: 'r1', title: 'Phishing', threat: 'theft', likelihood: 'LOW', impact: 'LOW', measures: ['training'], reviewBy: '2026-06-01', by: 'gso', at: at() },
  })
  t.same(await w.passAtOnce('lag-a'), { judged: false, overdue: 0, discharged: 0 })
  t.same(await w.duties('lag-a'), [], 'nothing appended')
  h.runner.start()
  t.match(await w.pass('lag-a'), { judged: true })
  t.same(await subjects('lag-a', 'RISK_REVIEW_OVERDUE'), ['DutyBecameOverdue:r1'], 'judged once the read models caught up')
})

// given/when/then over the self-check decider (Art. 10): the fiscal-year plan, per-employee results
// (own or recorded by a responsible officer), the evaluation, fixes ordered and completed.
import t from 'tap'
import { PlanSelfCheckInput, selfCheckDecider, selfCheckStreamId, type SelfCheckCommand, type SelfCheckEvent, type SelfCheckPlanned } from '../../../src/domain/self-check/index.js'
import type { Actor, CommandMetadata } from '../../../src/domain/shared/decider.js'
import { given } from '../../helpers/given.js'

const NOW = '2026-06-15T10:00:00+09:00' // Japan date 2026-06-15, FY2026
const gso: Actor = { id: 'tanaka', roles: ['GENERAL_SECURITY_OFFICER'] }
const sato: Actor = { id: 'sato', roles: ['EMPLOYEE'] }
const officerU1: Actor = { id: 'oda', roles: ['SECURITY_OFFICER'] }

const cmd = <T extends SelfCheckCommand['type']>(type: T, data: Extract<SelfCheckCommand, { type: T }>['data'], actor: Actor = gso, now = NOW) =>
  ({ type, data, metadata: { actor, agencyId: 'mof', now, correlationId: 'c', source: 'api' } satisfies CommandMetadata }) as Extract<SelfCheckCommand, { type: T }>

const items = [
  { itemId: 'q1', question: 'Do you lock your screen when leaving your desk?', standardsItem: { edition: 'R5' as const, code: '8.1' } },
  { itemId: 'q2', question: 'Do you report suspicious e-mail?' },
]
const planData = { fiscalYear: 2026, from: '2026-06-01', to: '2026-07-31', items, unitIds: ['u1', 'u2'], units: { u1: true, u2: true }, resultsPerEmployee: 1 }
const planned: SelfCheckPlanned = {
  type: 'SelfCheckPlanned',
  data: { fiscalYear: 2026, from: '2026-06-01', to: '2026-07-31', items, unitIds: ['u1', 'u2'], resultsPerEmployee: 1, plannedBy: 'tanaka', at: NOW },
}
const answers = [{ itemId: 'q1', compliant: false, note: 'forgot' }, { itemId: 'q2', compliant: true }]
const resultData = (over: Partial<Extract<SelfCheckCommand, { type: 'RecordSelfCheckResult' }>['data']> = {}) => ({
  fiscalYear: 2026, resultId: 'r1', employeeId: 'sato', employee: { unitId: 'u1' }, answers, submittedOn: '2026-06-10', officerUnits: [], ...over,
})
const recorded: SelfCheckEvent = {
  type: 'SelfCheckResultRecorded',
  data: { fiscalYear: 2026, resultId: 'r1', employeeId: 'sato', unitId: 'u1', submittedOn: '2026-06-10', answers, recordedBy: 'sato', at: NOW },
}
const evaluated: SelfCheckEvent = { type: 'SelfCheckEvaluated', data: { fiscalYear: 2026, summary: 's', weakItemIds: ['q1'], resultCount: 1, evaluatedBy: 'tanaka', at: NOW } }
const fixData = { fiscalYear: 2026, fixId: 'f1', itemId: 'q1', unitId: 'u1', unitExists: true, description: 'auto-lock after 5 minutes', dueOn: '2026-09-30' }
const ordered = (fixId: string): SelfCheckEvent => ({
  type: 'SelfCheckFixOrdered',
  data: { fiscalYear: 2026, fixId, itemId: 'q1', unitId: 'u1', description: 'auto-lock after 5 minutes', dueOn: '2026-09-30', orderedBy: 'tanaka', at: NOW },
})
const selfCheck = (...events: SelfCheckEvent[]) => given(selfCheckDecider, ...events)

t.test('the plan records the period, checklist, units and the results due per employee', async (t) => {
  t.same(selfCheck().when(cmd('PlanSelfCheck', planData)), [planned])
  t.equal(selfCheck(planned).state().status, 'PLANNED')
  t.equal(selfCheckStreamId(2026), 'selfcheck-2026')
  const whole = selfCheck().when(cmd('PlanSelfCheck', { ...planData, unitIds: undefined, units: {} }))
  t.match(whole, [{ type: 'SelfCheckPlanned', data: { unitIds: undefined } }], 'no units: the whole agency')
  t.equal(selfCheck(...whole).state().units, undefined)
  t.throws(() => selfCheck(planned).when(cmd('PlanSelfCheck', planData)), { code: 'SelfCheckAlreadyPlanned' })
})

t.test('the plan is checked: fiscal year open, period inside it, items unique and known, units existing', async (t) => {
  const plan = (over: object) => () => selfCheck().when(cmd('PlanSelfCheck', { ...planData, ...over }))
  t.throws(plan({ fiscalYear: 2028, from: '2028-06-01', to: '2028-07-31' }), { code: 'FiscalYearNotOpen' })
  t.doesNotThrow(plan({ fiscalYear: 2027, from: '2027-04-01', to: '2028-03-31' }), 'next year may be planned')
  t.throws(plan({ to: '2026-05-31' }), { code: 'InvalidPeriod' })
  t.throws(plan({ to: '2027-04-01' }), { code: 'PeriodOutsideFiscalYear', details: { start: '2026-04-01', end: '2027-03-31' } })
  t.throws(plan({ from: '2026-03-31' }), { code: 'PeriodOutsideFiscalYear' })
  t.throws(plan({ items: [items[1], items[1]] }), { code: 'DuplicateChecklistItem', details: { itemId: 'q2' } })
  t.throws(plan({ items: [{ itemId: 'q9', question: 'x', standardsItem: { edition: 'R3', code: '8.3' } }] }), { code: 'UnknownStandardsItem' }, '8.3 is R5 only')
  t.throws(plan({ unitIds: ['u1', 'nope'], units: { u1: true, nope: false } }), { code: 'UnknownUnit', details: { unitIds: ['nope'] } })
  t.notOk(PlanSelfCheckInput.safeParse({ from: '2026-06-01', to: '2026-07-31', items: [] }).success, 'at least one item')
})

t.test('an employee records their own answers within the period', async (t) => {
  t.same(selfCheck(planned).when(cmd('RecordSelfCheckResult', resultData(), sato)), [recorded])
  t.equal(selfCheck(planned, recorded).state().status, 'IN_PROGRESS')
})

t.test('someone else records answers only as a responsible officer', async (t) => {
  const suzuki: Actor = { id: 'suzuki', roles: ['EMPLOYEE'] }
  t.throws(() => selfCheck(planned).when(cmd('RecordSelfCheckResult', resultData(), suzuki)), { code: 'NotOwnSelfCheck', details: { employeeId: 'sato', unitId: 'u1' } })
  t.throws(() => selfCheck(planned).when(cmd('RecordSelfCheckResult', resultData({ officerUnits: ['u2'] }), officerU1)), { code: 'NotOwnSelfCheck' }, "another unit's officer")
  t.match(selfCheck(planned).when(cmd('RecordSelfCheckResult', resultData({ officerUnits: ['u1'] }), officerU1)), [{ data: { employeeId: 'sato', recordedBy: 'oda' } }])
  t.match(selfCheck(planned).when(cmd('RecordSelfCheckResult', resultData(), gso)), [{ data: { recordedBy: 'tanaka' } }], 'the general security officer')
})

t.test('results are refused when the rules say so', async (t) => {
  const rec = (over: object, events: SelfCheckEvent[] = [planned]) => () => selfCheck(...events).when(cmd('RecordSelfCheckResult', resultData(over), sato))
  t.throws(rec({}, []), { code: 'SelfCheckNotPlanned' })
  t.throws(rec({}, [planned, recorded, evaluated]), { code: 'SelfCheckAlreadyEvaluated' })
  t.throws(rec({}, [planned, recorded]), { code: 'ResultAlreadyRecorded', details: { employeeId: 'sato' } })
  t.throws(rec({ employee: undefined }), { code: 'UnknownEmployee' })
  t.throws(rec({ employee: { unitId: 'u1', departedOn: '2026-06-05' } }), { code: 'EmployeeDeparted' })
  t.throws(rec({ employee: { unitId: 'u3' } }), { code: 'EmployeeNotInScope', details: { unitId: 'u3' } })
  t.throws(rec({ submittedOn: '2026-05-31' }), { code: 'SubmissionOutsidePeriod' })
  t.throws(rec({ submittedOn: '2026-06-16' }), { code: 'SubmissionInFuture' }, 'inside the period but after today')
  t.throws(rec({ answers: [...answers, { itemId: 'q9', compliant: true }] }), { code: 'UnknownChecklistItem', details: { itemIds: ['q9'] } })
  t.throws(rec({ answers: [...answers, { itemId: 'q2', compliant: false }] }), { code: 'DuplicateAnswer' })
  t.throws(rec({ answers: [answers[0]] }), { code: 'IncompleteAnswers', details: { itemIds: ['q2'] } })
})

t.test('with two self-checks per year (agency setting), an employee gives two results', async (t) => {
  const twice: SelfCheckEvent = { ...planned, data: { ...planned.data, resultsPerEmployee: 2 } }
  t.doesNotThrow(() => selfCheck(twice, recorded).when(cmd('RecordSelfCheckResult', resultData({ resultId: 'r2' }), sato)))
  t.throws(() => selfCheck(twice, recorded, recorded).when(cmd('RecordSelfCheckResult', resultData({ resultId: 'r3' }), sato)), { code: 'ResultAlreadyRecorded' })
})

t.test('the evaluation needs results, names known items, and happens once', async (t) => {
  const evaluate = cmd('EvaluateSelfCheck', { fiscalYear: 2026, summary: 's', weakItemIds: ['q1', 'q1'] })
  t.same(selfCheck(planned, recorded).when(evaluate), [evaluated], 'weak items deduplicated, results counted')
  t.throws(() => selfCheck().when(evaluate), { code: 'SelfCheckNotPlanned' })
  t.throws(() => selfCheck(planned).when(evaluate), { code: 'NoSelfCheckResults' })
  t.throws(() => selfCheck(planned, recorded, evaluated).when(evaluate), { code: 'SelfCheckAlreadyEvaluated' })
  t.throws(() => selfCheck(planned, recorded).when(cmd('EvaluateSelfCheck', { fiscalYear: 2026, summary: 's', weakItemIds: ['q7'] })), { code: 'UnknownChecklistItem' })
})

t.test('fixes are ordered after the evaluation for a known item in a taking-part unit', async (t) => {
  const history = [planned, recorded, evaluated]
  const order = (over: object = {}) => () => selfCheck(...history).when(cmd('OrderSelfCheckFix', { ...fixData, ...over }))
  t.match(order()(), [{ type: 'SelfCheckFixOrdered', data: { fixId: 'f1', itemId: 'q1', unitId: 'u1', dueOn: '2026-09-30', orderedBy: 'tanaka' } }])
  t.equal(selfCheck(...history, ordered('f1')).state().status, 'FIXES_OPEN')
  t.throws(() => selfCheck(planned, recorded).when(cmd('OrderSelfCheckFix', fixData)), { code: 'SelfCheckNotEvaluated' })
  t.throws(order({ itemId: 'q7' }), { code: 'UnknownChecklistItem' })
  t.throws(order({ unitId: 'zz', unitExists: false }), { code: 'UnknownUnit' })
  t.throws(order({ unitId: 'u3' }), { code: 'UnitNotInScope' })
  t.throws(order({ dueOn: '2026-06-14' }), { code: 'DueDateInPast' })
  t.doesNotThrow(order({ dueOn: '2026-06-15' }), 'due today is allowed')
})

t.test('completing the last open fix completes the self-check (DONE)', async (t) => {
  const history = [planned, recorded, evaluated, ordered('f1'), ordered('f2')]
  const complete = (fixId: string) => cmd('CompleteSelfCheckFix', { fiscalYear: 2026, fixId, note: 'done' })
  const first = selfCheck(...history).when(complete('f1'))
  t.same(first.map((e) => e.type), ['SelfCheckFixCompleted'], 'f2 is still open')
  const last = selfCheck(...history, ...first).when(complete('f2'))
  t.same(last, [
    { type: 'SelfCheckFixCompleted', data: { fiscalYear: 2026, fixId: 'f2', note: 'done', completedBy: 'tanaka', at: NOW } },
    { type: 'SelfCheckFixesCompleted', data: { fiscalYear: 2026, fixCount: 2, at: NOW } },
  ])
  t.equal(selfCheck(...history, ...first, ...last).state().status, 'DONE')
  t.throws(() => selfCheck(...history, ...first).when(complete('f1')), { code: 'FixAlreadyCompleted' })
  t.throws(() => selfCheck(...history).when(complete('f9')), { code: 'FixNotFound' })
  t.equal(selfCheck(...history, ...first, ...last, ordered('f3')).state().status, 'FIXES_OPEN', 'a new fix reopens')
})

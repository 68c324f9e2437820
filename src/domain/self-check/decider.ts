// The self-check of one fiscal year (Art. 10), one stream per agency and year: the plan, each
// employee's answers, the evaluation, and the fixes it leads to. An employee records their own result;
// a security officer (of the employee's unit), the general security officer or the CISO may record it
// for them, e.g. from a paper form.
import { checkDueDate, checkFiscalYearPeriod, checkStandardsItem, checkUnitsExist } from '../audit/checks.js'
import { DomainError } from '../shared/errors.js'
import type { Decider } from '../shared/decider.js'
import { tokyoDate } from '../shared/fiscal-year.js'
import type { CompleteSelfCheckFix, EvaluateSelfCheck, OrderSelfCheckFix, PlanSelfCheck, RecordSelfCheckResult, SelfCheckCommand } from './commands.js'
import type { SelfCheckEvent } from './events.js'

export const selfCheckStatuses = ['NOT_PLANNED', 'PLANNED', 'IN_PROGRESS', 'EVALUATED', 'FIXES_OPEN', 'DONE'] as const
export type SelfCheckStatus = (typeof selfCheckStatuses)[number]

export interface SelfCheckState {
  status: SelfCheckStatus
  from?: string | undefined
  to?: string | undefined
  items: ReadonlySet<string>
  /** Undefined: the whole agency. */
  units?: ReadonlySet<string> | undefined
  resultsPerEmployee: number
  results: ReadonlyMap<string, number>
  fixes: ReadonlyMap<string, { done: boolean; unitId: string }>
}

function evolve(state: SelfCheckState, event: SelfCheckEvent): SelfCheckState {
  switch (event.type) {
    case 'SelfCheckPlanned': {
      const { from, to, items, unitIds, resultsPerEmployee } = event.data
      return { ...state, status: 'PLANNED', from, to, items: new Set(items.map((i) => i.itemId)), units: unitIds && new Set(unitIds), resultsPerEmployee }
    }
    case 'SelfCheckResultRecorded': {
      const { employeeId } = event.data
      return { ...state, status: 'IN_PROGRESS', results: new Map(state.results).set(employeeId, (state.results.get(employeeId) ?? 0) + 1) }
    }
    case 'SelfCheckEvaluated': return { ...state, status: 'EVALUATED' }
    case 'SelfCheckFixOrdered': return { ...state, status: 'FIXES_OPEN', fixes: new Map(state.fixes).set(event.data.fixId, { done: false, unitId: event.data.unitId }) }
    case 'SelfCheckFixCompleted': {
      const fix = state.fixes.get(event.data.fixId)
      return fix ? { ...state, fixes: new Map(state.fixes).set(event.data.fixId, { ...fix, done: true }) } : state
    }
    case 'SelfCheckFixesCompleted': return { ...state, status: 'DONE' }
  }
}

function requirePlanned(state: SelfCheckState, fiscalYear: number): asserts state is SelfCheckState & { from: string; to: string } {
  if (state.status === 'NOT_PLANNED') throw new DomainError('SelfCheckNotPlanned', `no self-check is planned for fiscal year ${fiscalYear}; plan it first`, { fiscalYear })
}

const evaluated = (state: SelfCheckState) => state.status === 'EVALUATED' || state.status === 'FIXES_OPEN' || state.status === 'DONE'

function requireKnownItems(state: SelfCheckState, itemIds: readonly string[]): void {
  const unknown = itemIds.filter((id) => !state.items.has(id))
  if (unknown.length > 0) throw new DomainError('UnknownChecklistItem', `the checklist has no item ${unknown.join(', ')}`, { itemIds: unknown })
}

function plan(command: PlanSelfCheck, state: SelfCheckState): SelfCheckEvent[] {
  const { fiscalYear, from, to, items, units, resultsPerEmployee } = command.data
  const { actor, now } = command.metadata
  if (state.status !== 'NOT_PLANNED') throw new DomainError('SelfCheckAlreadyPlanned', `the self-check of fiscal year ${fiscalYear} is already planned`, { fiscalYear })
  checkFiscalYearPeriod(fiscalYear, from, to, now)
  const ids = items.map((i) => i.itemId)
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i)
  if (duplicate !== undefined) throw new DomainError('DuplicateChecklistItem', `checklist item ${duplicate} is listed twice`, { itemId: duplicate })
  for (const item of items) if (item.standardsItem) checkStandardsItem(item.standardsItem)
  const unitIds = command.data.unitIds && [...new Set(command.data.unitIds)]
  if (unitIds) checkUnitsExist(unitIds, units)
  return [{ type: 'SelfCheckPlanned', data: { fiscalYear, from, to, items, unitIds, resultsPerEmployee, plannedBy: actor.id, at: now } }]
}

/** Who may record this employee's answers: the employee, or an officer responsible for them. */
function checkRecorder(command: RecordSelfCheckResult, unitId: string): void {
  const { actor } = command.metadata
  const { employeeId, officerUnits } = command.data
  if (actor.id === employeeId) return
  if (actor.roles.includes('CISO') || actor.roles.includes('GENERAL_SECURITY_OFFICER')) return
  if (actor.roles.includes('SECURITY_OFFICER') && officerUnits.includes(unitId)) return
  throw new DomainError('NotOwnSelfCheck', `you may record only your own answers, or those of employees in a unit you are security officer of (${employeeId} is in ${unitId})`, { employeeId, unitId })
}

function checkAnswers(state: SelfCheckState, answers: RecordSelfCheckResult['data']['answers']): void {
  const ids = answers.map((a) => a.itemId)
  requireKnownItems(state, ids)
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i)
  if (duplicate !== undefined) throw new DomainError('DuplicateAnswer', `item ${duplicate} is answered twice`, { itemId: duplicate })
  const missing = [...state.items].filter((id) => !ids.includes(id))
  if (missing.length > 0) throw new DomainError('IncompleteAnswers', `answer every checklist item; missing: ${missing.join(', ')}`, { itemIds: missing })
}

function recordResult(command: RecordSelfCheckResult, state: SelfCheckState): SelfCheckEvent[] {
  const { fiscalYear, resultId, employeeId, employee, answers, submittedOn } = command.data
  const { actor, now } = command.metadata
  requirePlanned(state, fiscalYear)
  if (evaluated(state)) throw new DomainError('SelfCheckAlreadyEvaluated', `the self-check of fiscal year ${fiscalYear} is evaluated; results are closed`)
  if (!employee) throw new DomainError('UnknownEmployee', `employee ${employeeId} is not registered in this agency`, { employeeId })
  checkRecorder(command, employee.unitId)
  if (employee.departedOn !== undefined && employee.departedOn < submittedOn) {
    throw new DomainError('EmployeeDeparted', `employee ${employeeId} left on ${employee.departedOn}`, { employeeId })
  }
  if (state.units && !state.units.has(employee.unitId)) {
    throw new DomainError('EmployeeNotInScope', `employee ${employeeId} works in unit ${employee.unitId}, which does not take part in this self-check`, { employeeId, unitId: employee.unitId })
  }
  if (submittedOn < state.from || submittedOn > state.to) {
    throw new DomainError('SubmissionOutsidePeriod', `answers are accepted from ${state.from} to ${state.to}; ${submittedOn} is outside`, { from: state.from, to: state.to })
  }
  if (submittedOn > tokyoDate(now)) throw new DomainError('SubmissionInFuture', `${submittedOn} is after today`)
  checkAnswers(state, answers)
  if ((state.results.get(employeeId) ?? 0) >= state.resultsPerEmployee) {
    throw new DomainError('ResultAlreadyRecorded', `employee ${employeeId} already gave the ${state.resultsPerEmployee} result(s) due this fiscal year`, { employeeId })
  }
  return [{ type: 'SelfCheckResultRecorded', data: { fiscalYear, resultId, employeeId, unitId: employee.unitId, submittedOn, answers, recordedBy: actor.id, at: now } }]
}

function evaluate(command: EvaluateSelfCheck, state: SelfCheckState): SelfCheckEvent[] {
  const { fiscalYear, summary, weakItemIds } = command.data
  const { actor, now } = command.metadata
  requirePlanned(state, fiscalYear)
  if (evaluated(state)) throw new DomainError('SelfCheckAlreadyEvaluated', `the self-check of fiscal year ${fiscalYear} is already evaluated`)
  if (state.results.size === 0) throw new DomainError('NoSelfCheckResults', 'no employee has recorded a result yet; there is nothing to evaluate')
  requireKnownItems(state, weakItemIds)
  const resultCount = [...state.results.values()].reduce((a, b) => a + b, 0)
  return [{ type: 'SelfCheckEvaluated', data: { fiscalYear, summary, weakItemIds: [...new Set(weakItemIds)], resultCount, evaluatedBy: actor.id, at: now } }]
}

function orderFix(command: OrderSelfCheckFix, state: SelfCheckState): SelfCheckEvent[] {
  const { fiscalYear, fixId, itemId, unitId, unitExists, description, dueOn } = command.data
  const { actor, now } = command.metadata
  requirePlanned(state, fiscalYear)
  if (!evaluated(state)) throw new DomainError('SelfCheckNotEvaluated', `evaluate the self-check of fiscal year ${fiscalYear} before ordering fixes`)
  requireKnownItems(state, [itemId])
  checkUnitsExist([unitId], { [unitId]: unitExists })
  if (state.units && !state.units.has(unitId)) throw new DomainError('UnitNotInScope', `unit ${unitId} did not take part in this self-check`, { unitId })
  checkDueDate(dueOn, now)
  return [{ type: 'SelfCheckFixOrdered', data: { fiscalYear, fixId, itemId, unitId, description, dueOn, orderedBy: actor.id, at: now } }]
}

function completeFix(command: CompleteSelfCheckFix, state: SelfCheckState): SelfCheckEvent[] {
  const { fiscalYear, fixId, note } = command.data
  const { actor, now } = command.metadata
  const fix = state.fixes.get(fixId)
  if (!fix) throw new DomainError('FixNotFound', `the self-check of fiscal year ${fiscalYear} has no fix ${fixId}`)
  if (fix.done) throw new DomainError('FixAlreadyCompleted', `fix ${fixId} is already completed`)
  const completed: SelfCheckEvent = { type: 'SelfCheckFixCompleted', data: { fiscalYear, fixId, note, completedBy: actor.id, at: now } }
  const othersOpen = [...state.fixes].some(([id, f]) => id !== fixId && !f.done)
  return othersOpen ? [completed] : [completed, { type: 'SelfCheckFixesCompleted', data: { fiscalYear, fixCount: state.fixes.size, at: now } }]
}

export const selfCheckDecider: Decider<SelfCheckCommand, SelfCheckEvent, SelfCheckState> = {
  streamType: 'selfcheck',
  initialState: () => ({ status: 'NOT_PLANNED', items: new Set(), resultsPerEmployee: 1, results: new Map(), fixes: new Map() }),
  evolve,
  decide: (command, state) => {
    switch (command.type) {
      case 'PlanSelfCheck': return plan(command, state)
      case 'RecordSelfCheckResult': return recordResult(command, state)
      case 'EvaluateSelfCheck': return evaluate(command, state)
      case 'OrderSelfCheckFix': return orderFix(command, state)
      case 'CompleteSelfCheckFix': return completeFix(command, state)
    }
  },
}

/** One self-check stream per agency and fiscal year. */
export const selfCheckStreamId = (fiscalYear: number) => `selfcheck-${fiscalYear}`

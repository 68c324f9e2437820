// Filing an exception: the ordinary request (before acting) and the emergency notice (after acting).
import { isKnownStandardsItem } from '../shared/common-standards.js'
import { DomainError } from '../shared/errors.js'
import { lifecycleRules, type LifecycleRuleCode } from '../shared/lifecycle.js'
import type { FileEmergencyException, RequestException } from './commands.js'
import type { ExceptionEvent, ExceptionRequestData } from './events.js'
import { ms, type ExceptionState } from './state.js'

const HOUR_MS = 60 * 60 * 1000

/** The checks both paths share; answers the request as recorded. */
function checkedRequest(command: RequestException | FileEmergencyException, state: ExceptionState): ExceptionRequestData {
  const d = command.data
  const { actor, now } = command.metadata
  if (state.status !== undefined) throw new DomainError('ExceptionAlreadyExists', `exception ${d.exceptionId} exists`)
  if (d.applicantUnitId === undefined) throw new DomainError('UnknownEmployee', `you (${actor.id}) are not registered as an employee of this agency; only employees apply for exceptions`, { employeeId: actor.id })
  if (!isKnownStandardsItem(d.edition, d.clause)) {
    throw new DomainError('UnknownStandardsItem', `${d.clause} is not an item of the Common Standards edition ${d.edition}`, { edition: d.edition, code: d.clause })
  }
  const rules = [...new Set(d.rules)]
  const outside = rules.filter((r: LifecycleRuleCode) => lifecycleRules[r].clause !== d.clause)
  if (outside.length > 0) {
    throw new DomainError('RuleOutsideClause', `rule ${outside.join(', ')} comes from another Common Standards item than ${d.clause}; request a separate exception for ${outside.map((r) => lifecycleRules[r].clause).join(', ')}`, {
      clause: d.clause, rules: outside.map((r) => ({ rule: r, clause: lifecycleRules[r].clause })),
    })
  }
  if (d.unitId !== undefined && d.unitExists !== true) throw new DomainError('UnknownUnit', `unit ${d.unitId} does not exist in this agency`, { unitIds: [d.unitId] })
  const assetIds = [...new Set(d.assetIds)]
  if (rules.length > 0 && assetIds.length === 0 && d.unitId === undefined) {
    throw new DomainError('CoverageRequired', 'an exception that lifts handling rules names the information it covers: assetIds, a unitId, or both')
  }
  if (ms(d.to) <= ms(d.from)) throw new DomainError('InvalidPeriod', `the requested period ends (${d.to}) before or when it starts (${d.from})`, { from: d.from, to: d.to })
  return {
    exceptionId: d.exceptionId, applicantId: actor.id, applicantUnitId: d.applicantUnitId, edition: d.edition, clause: d.clause,
    rules, steps: [...new Set(rules.map((r) => lifecycleRules[r].step))], assetIds, unitId: d.unitId, from: d.from, to: d.to,
    measures: d.measures, compensatingMeasures: d.compensatingMeasures, securityImpact: d.securityImpact, impactHandling: d.impactHandling,
    endReportMethod: d.endReportMethod, reason: d.reason, at: now,
  }
}

export function requestException(command: RequestException, state: ExceptionState): ExceptionEvent[] {
  const data = checkedRequest(command, state)
  if (ms(data.to) <= ms(command.metadata.now)) {
    throw new DomainError('PeriodAlreadyOver', `the requested period ends (${data.to}) before now; for an action already taken, file an emergency notice`, { to: data.to })
  }
  return [{ type: 'ExceptionRequested', data }]
}

export function fileEmergencyException(command: FileEmergencyException, state: ExceptionState): ExceptionEvent[] {
  const data = checkedRequest(command, state)
  const { actedAt, noticeWindowHours } = command.data
  const now = command.metadata.now
  if (ms(actedAt) > ms(now)) throw new DomainError('ActedInFuture', `actedAt ${actedAt} is after now; an emergency notice is filed after acting (otherwise request the exception)`, { actedAt })
  if (ms(now) - ms(actedAt) > noticeWindowHours * HOUR_MS) {
    throw new DomainError('EmergencyNoticeLate', `an emergency notice is filed within ${noticeWindowHours} hours of acting; ${actedAt} is longer ago. Report it as a violation (Common Standards 2.2.1) instead`, {
      actedAt, noticeWindowHours,
    })
  }
  if (ms(actedAt) < ms(data.from) || ms(actedAt) > ms(data.to)) {
    throw new DomainError('ActedOutsidePeriod', `actedAt ${actedAt} must lie within the period ${data.from} – ${data.to}`, { actedAt, from: data.from, to: data.to })
  }
  return [{ type: 'EmergencyExceptionFiled', data: { ...data, actedAt } }]
}

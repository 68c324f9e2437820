// One audit (Art. 11) per stream: planned by the audit officer, approved by the CISO (never by the
// plan's author), findings by the audit's own auditors (never on their own unit), reported to the
// CISO, closed once the report is in and every finding is closed. Finding rules live in findings.ts.
import { DomainError } from '../shared/errors.js'
import type { Decider } from '../shared/decider.js'
import { checkFiscalYearPeriod, checkUnitsExist } from './checks.js'
import type { ApproveAuditPlan, AuditCommand, PlanAudit, ReportAudit } from './commands.js'
import type { AuditEvent } from './events.js'
import { closeFinding, recordFinding, recordFollowUp, recordImprovementPlan, requireAudit, type AuditState, type FindingState } from './findings.js'

export type { AuditState, FindingState } from './findings.js'
export const auditStatuses = ['PLANNED', 'APPROVED', 'REPORTED', 'CLOSED'] as const
export type AuditStatus = (typeof auditStatuses)[number]

function evolve(state: AuditState, event: AuditEvent): AuditState {
  switch (event.type) {
    case 'AuditPlanned': {
      const { auditId, scopeUnitIds, auditorIds, plannedBy } = event.data
      return { ...state, auditId, status: 'PLANNED', plannedBy, scope: new Set(scopeUnitIds), auditors: new Set(auditorIds) }
    }
    case 'AuditPlanApproved': return { ...state, status: 'APPROVED' }
    case 'AuditReported': return { ...state, status: 'REPORTED' }
    case 'AuditClosed': return { ...state, status: 'CLOSED' }
    case 'AuditFindingRecorded': {
      const { findingId, unitId } = event.data
      return { ...state, findings: new Map(state.findings).set(findingId, { unitId, closed: false, planned: false }) }
    }
    case 'ImprovementPlanRecorded': return withFinding(state, event.data.findingId, { planned: true })
    case 'AuditFollowUpRecorded': return withFinding(state, event.data.findingId, { lastFollowUp: event.data.status })
    case 'AuditFindingClosed': return withFinding(state, event.data.findingId, { closed: true })
  }
}

function withFinding(state: AuditState, findingId: string, change: Partial<FindingState>): AuditState {
  const finding = state.findings.get(findingId)
  return finding ? { ...state, findings: new Map(state.findings).set(findingId, { ...finding, ...change }) } : state
}

function planAudit(command: PlanAudit, state: AuditState): AuditEvent[] {
  const { auditId, fiscalYear, title, objective, fieldworkFrom, fieldworkTo, units, employees, auditorRoleHolders } = command.data
  const { actor, now } = command.metadata
  if (state.status !== undefined) throw new DomainError('AuditAlreadyExists', `audit ${auditId} exists`)
  checkFiscalYearPeriod(fiscalYear, fieldworkFrom, fieldworkTo, now)
  const scopeUnitIds = [...new Set(command.data.scopeUnitIds)]
  const auditorIds = [...new Set(command.data.auditorIds)]
  checkUnitsExist(scopeUnitIds, units)
  for (const auditorId of auditorIds) {
    const fact = employees[auditorId]
    if (!fact) throw new DomainError('UnknownEmployee', `auditor ${auditorId} is not registered in this agency`, { employeeId: auditorId })
    if (fact.departedOn !== undefined && fact.departedOn < fieldworkFrom) {
      throw new DomainError('EmployeeDeparted', `auditor ${auditorId} left on ${fact.departedOn}, before the fieldwork starts`, { employeeId: auditorId })
    }
    if (!auditorRoleHolders.includes(auditorId)) {
      throw new DomainError('NotAnAuditor', `${auditorId} does not hold the AUDITOR role on ${fieldworkFrom}; assign it first`, { employeeId: auditorId })
    }
    // 兼務禁止: nobody audits the unit they work in (Common Standards 2.1.1(8)).
    if (scopeUnitIds.includes(fact.unitId)) {
      throw new DomainError('AuditorOwnUnit', `auditor ${auditorId} works in unit ${fact.unitId}, which this audit covers; choose another auditor or leave the unit out of scope`, { employeeId: auditorId, unitId: fact.unitId })
    }
  }
  return [{ type: 'AuditPlanned', data: { auditId, fiscalYear, title, objective, scopeUnitIds, auditorIds, fieldworkFrom, fieldworkTo, plannedBy: actor.id, at: now } }]
}

function approvePlan(command: ApproveAuditPlan, state: AuditState): AuditEvent[] {
  const { auditId, status, plannedBy } = requireAudit(state)
  const { actor, now } = command.metadata
  if (status !== 'PLANNED') throw new DomainError('AuditAlreadyApproved', `audit ${auditId} is already approved (status ${status})`)
  if (plannedBy === actor.id) throw new DomainError('SelfApproval', 'you planned this audit, so you cannot approve it (separation of duties): the approving CISO must not be the plan\'s author', { plannedBy })
  return [{ type: 'AuditPlanApproved', data: { auditId, note: command.data.note, approvedBy: actor.id, at: now } }]
}

function reportAudit(command: ReportAudit, state: AuditState): AuditEvent[] {
  const { auditId, status, findings } = requireAudit(state)
  const { actor, now } = command.metadata
  if (status === 'PLANNED') throw new DomainError('AuditNotApproved', `the plan of audit ${auditId} is not approved by the CISO yet`)
  if (status !== 'APPROVED') throw new DomainError('AuditAlreadyReported', `audit ${auditId} was already reported`)
  if (command.data.cisoId === undefined) throw new DomainError('CisoNotAssigned', 'the agency has no CISO today to receive the report; assign one first')
  const open = [...findings.values()].filter((f) => !f.closed).length
  const reported: AuditEvent = {
    type: 'AuditReported',
    data: { auditId, summary: command.data.summary, reportedTo: command.data.cisoId, findingCount: findings.size, openFindingCount: open, reportedBy: actor.id, at: now },
  }
  return open === 0 ? [reported, { type: 'AuditClosed', data: { auditId, at: now } }] : [reported]
}

export const auditDecider: Decider<AuditCommand, AuditEvent, AuditState> = {
  streamType: 'audit',
  initialState: () => ({ scope: new Set(), auditors: new Set(), findings: new Map() }),
  evolve,
  decide: (command, state) => {
    switch (command.type) {
      case 'PlanAudit': return planAudit(command, state)
      case 'ApproveAuditPlan': return approvePlan(command, state)
      case 'RecordFinding': return recordFinding(command, state)
      case 'ReportAudit': return reportAudit(command, state)
      case 'RecordImprovementPlan': return recordImprovementPlan(command, state)
      case 'RecordFollowUp': return recordFollowUp(command, state)
      case 'CloseFinding': return closeFinding(command, state)
    }
  },
}

export const auditStreamId = (auditId: string) => `audit-${auditId}`

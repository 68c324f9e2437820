// Findings of an audit (Art. 11): recorded by the audit's auditors after the CISO approved the plan,
// then an improvement plan by the unit's security officer, follow-ups, and closure by the audit officer.
import { DomainError } from '../shared/errors.js'
import { tokyoDate } from '../shared/fiscal-year.js'
import { checkDueDate, checkStandardsItem } from './checks.js'
import type { CloseFinding, FollowUpStatus, RecordFinding, RecordFollowUp, RecordImprovementPlan } from './commands.js'
import type { AuditEvent } from './events.js'

export interface FindingState {
  unitId: string
  closed: boolean
  planned: boolean
  lastFollowUp?: FollowUpStatus | undefined
}

export interface AuditState {
  auditId?: string | undefined
  status?: 'PLANNED' | 'APPROVED' | 'REPORTED' | 'CLOSED' | undefined
  plannedBy?: string | undefined
  scope: ReadonlySet<string>
  auditors: ReadonlySet<string>
  findings: ReadonlyMap<string, FindingState>
}

type ExistingAudit = AuditState & { auditId: string; status: NonNullable<AuditState['status']>; plannedBy: string }

export function requireAudit(state: AuditState): ExistingAudit {
  if (state.auditId === undefined || state.status === undefined || state.plannedBy === undefined) {
    throw new DomainError('AuditNotFound', 'no such audit in this agency')
  }
  return state as ExistingAudit
}

function requireOpenFinding(state: AuditState, findingId: string): FindingState & { auditId: string } {
  const { auditId } = requireAudit(state)
  const finding = state.findings.get(findingId)
  if (!finding) throw new DomainError('FindingNotFound', `audit ${auditId} has no finding ${findingId}`)
  if (finding.closed) throw new DomainError('FindingAlreadyClosed', `finding ${findingId} is closed`)
  return { ...finding, auditId }
}

export function recordFinding(command: RecordFinding, state: AuditState): AuditEvent[] {
  const { auditId, status, scope, auditors } = requireAudit(state)
  const { findingId, unitId, standardsItem, severity, description, dueOn, actorUnitId } = command.data
  const { actor, now } = command.metadata
  if (status === 'PLANNED') throw new DomainError('AuditNotApproved', `the plan of audit ${auditId} is not approved by the CISO yet; findings come after approval`)
  if (status !== 'APPROVED') throw new DomainError('AuditAlreadyReported', `audit ${auditId} was reported; record further findings in a new audit`)
  if (!auditors.has(actor.id)) throw new DomainError('NotAuditorOfAudit', `you are not one of the auditors of audit ${auditId}`, { auditors: [...auditors] })
  if (!scope.has(unitId)) throw new DomainError('UnitNotInScope', `unit ${unitId} is not in the scope of audit ${auditId}`, { scope: [...scope] })
  // 兼務禁止 again at the finding: the auditor may have moved into an audited unit since the plan.
  if (actorUnitId === unitId) throw new DomainError('AuditorOwnUnit', `you work in unit ${unitId}; another auditor must record findings on it`, { unitId })
  checkStandardsItem(standardsItem)
  checkDueDate(dueOn, now)
  return [{ type: 'AuditFindingRecorded', data: { auditId, findingId, unitId, standardsItem, severity, description, dueOn, recordedBy: actor.id, at: now } }]
}

export function recordImprovementPlan(command: RecordImprovementPlan, state: AuditState): AuditEvent[] {
  const { findingId, actions, ownerId, owner, dueOn, officerUnits } = command.data
  const { actor, now } = command.metadata
  const finding = requireOpenFinding(state, findingId)
  if (!officerUnits.includes(finding.unitId)) {
    throw new DomainError('NotUnitSecurityOfficer', `only the security officer of unit ${finding.unitId} records its improvement plan`, { unitId: finding.unitId })
  }
  if (!owner) throw new DomainError('UnknownEmployee', `employee ${ownerId} is not registered in this agency`, { employeeId: ownerId })
  if (owner.departedOn !== undefined && owner.departedOn < tokyoDate(now)) {
    throw new DomainError('EmployeeDeparted', `employee ${ownerId} left on ${owner.departedOn}; name a current employee`, { employeeId: ownerId })
  }
  checkDueDate(dueOn, now)
  return [{ type: 'ImprovementPlanRecorded', data: { auditId: finding.auditId, findingId, actions, ownerId, dueOn, recordedBy: actor.id, at: now } }]
}

export function recordFollowUp(command: RecordFollowUp, state: AuditState): AuditEvent[] {
  const { findingId, followUpId, note, status } = command.data
  const { actor, now } = command.metadata
  const finding = requireOpenFinding(state, findingId)
  // The audit officer follows up any audit; an auditor only the audits they are named in.
  if (!actor.roles.includes('AUDIT_OFFICER') && !state.auditors.has(actor.id)) {
    throw new DomainError('NotAuditorOfAudit', `you are not one of the auditors of audit ${finding.auditId}`, { auditors: [...state.auditors] })
  }
  if (!finding.planned) throw new DomainError('ImprovementPlanMissing', `finding ${findingId} has no improvement plan to follow up yet`)
  return [{ type: 'AuditFollowUpRecorded', data: { auditId: finding.auditId, findingId, followUpId, note, status, recordedBy: actor.id, at: now } }]
}

export function closeFinding(command: CloseFinding, state: AuditState): AuditEvent[] {
  const { findingId, note } = command.data
  const { actor, now } = command.metadata
  const finding = requireOpenFinding(state, findingId)
  if (finding.lastFollowUp !== 'IMPLEMENTED') {
    throw new DomainError('FindingNotImplemented', `the latest follow-up of finding ${findingId} must say IMPLEMENTED before it is closed (now: ${finding.lastFollowUp ?? 'no follow-up'})`)
  }
  const closed: AuditEvent = { type: 'AuditFindingClosed', data: { auditId: finding.auditId, findingId, note, closedBy: actor.id, at: now } }
  const othersOpen = [...state.findings].some(([id, f]) => id !== findingId && !f.closed)
  // The audit closes with its last finding once the report is in.
  return state.status === 'REPORTED' && !othersOpen ? [closed, { type: 'AuditClosed', data: { auditId: finding.auditId, at: now } }] : [closed]
}

// Who may issue which command: the one table the README reproduces. A command is allowed when the
// actor holds any listed role; ANY means every authenticated employee of the agency (Art. 9 §2).
import { ForbiddenError } from './errors.js'
import type { Actor } from './decider.js'
import type { Role } from './roles.js'
import { scopeLabel, type Scope } from './scope.js'

export const ANY = 'ANY' as const

export const commandRoles = {
  // Art. 9: anyone who notices a possible incident reports it; the CSIRT and the CISO handle it.
  ReportIncident: ANY,
  TriageIncident: ['CSIRT_HEAD', 'CSIRT_MEMBER'],
  ReportIncidentToCiso: ['CSIRT_HEAD'],
  RecordContainment: ['CISO', 'CSIRT_HEAD', 'CSIRT_MEMBER'],
  NotifyNationalCentre: ['CISO', 'CSIRT_HEAD'],
  RecordRecovery: ['CSIRT_HEAD', 'CSIRT_MEMBER', 'SYSTEM_SECURITY_OFFICER'],
  RecordRootCause: ['CSIRT_HEAD', 'CSIRT_MEMBER'],
  ShareLessons: ['CISO', 'CSIRT_HEAD'],
  CloseIncident: ['CISO', 'CSIRT_HEAD'],
  RecordIncidentAction: ['CISO', 'CSIRT_HEAD', 'CSIRT_MEMBER', 'SYSTEM_SECURITY_OFFICER'],

  // Art. 2, 5, 15: the organisation is kept by the CISO and the general security officer.
  CreateUnit: ['CISO', 'GENERAL_SECURITY_OFFICER'],
  DefineArea: ['CISO', 'GENERAL_SECURITY_OFFICER'],
  RecordAreaMeasures: ['CISO', 'GENERAL_SECURITY_OFFICER', 'AREA_SECURITY_OFFICER'],
  ChangeAgencySettings: ['CISO'],
  RegisterEmployee: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SECURITY_OFFICER'],
  TransferEmployee: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SECURITY_OFFICER'],
  RecordDeparture: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SECURITY_OFFICER'],
  AssignRole: ['CISO', 'GENERAL_SECURITY_OFFICER'],
  EndRoleAssignment: ['CISO', 'GENERAL_SECURITY_OFFICER'],
  OrganizeCommittee: ['CISO'],
  // Anyone may delegate a task; delegating a role's authority needs that role (checked by the decider).
  DelegateResponsibility: ANY,
  // The delegator, or the CISO or general security officer (checked by the decider: NotDelegator).
  EndDelegation: ANY,

  // Art. 4: the CISO adopts the basic policy and the standards; the committee (its chair) also reviews them.
  AdoptBasicPolicy: ['CISO'],
  AdoptStandards: ['CISO'],
  ReviewPolicy: ['CISO', 'COMMITTEE_CHAIR'],
  // Art. 3: risks are assessed by the CISO and the officers who run the measures.
  AssessRisk: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SECURITY_OFFICER'],
  ReassessRisk: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SECURITY_OFFICER'],
  RetireRisk: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SECURITY_OFFICER'],

  // (Art. 3–4: policy and risk — rows above this line)
  // Art. 6: the CISO and the general security officer keep the promotion plan. Progress is open to
  // anyone here because an item's owner may record it on their own item: the decider admits only the
  // owner or a holder of CISO / GENERAL_SECURITY_OFFICER (NotPlanItemOwner otherwise).
  EstablishPlan: ['CISO', 'GENERAL_SECURITY_OFFICER'],
  AddPlanItem: ['CISO', 'GENERAL_SECURITY_OFFICER'],
  RecordPlanProgress: ANY,
  ReviewPlan: ['CISO', 'GENERAL_SECURITY_OFFICER'],
  // Art. 8: education is planned and recorded by the security officers and the CISO.
  PlanTraining: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SECURITY_OFFICER'],
  AddCourse: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SECURITY_OFFICER'],
  RecordTrainingCompletions: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SECURITY_OFFICER'],
  // (Art. 6, 8: promotion plan and education — rows above this line)
  // Art. 10: the security officers and the CISO run the self-check. Results are open to anyone here
  // because each employee records their own; the decider admits only the employee, the security
  // officer of their unit, the general security officer or the CISO (NotOwnSelfCheck otherwise).
  PlanSelfCheck: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SECURITY_OFFICER'],
  RecordSelfCheckResult: ANY,
  EvaluateSelfCheck: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SECURITY_OFFICER'],
  OrderSelfCheckFix: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SECURITY_OFFICER'],
  CompleteSelfCheckFix: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SECURITY_OFFICER'],
  // Art. 11: the audit officer plans audits and closes findings, the CISO approves plans and receives
  // reports, the audit's auditors record findings (never on their own unit: AuditorOwnUnit), the unit's
  // security officer answers with an improvement plan (NotUnitSecurityOfficer for another unit's).
  PlanAudit: ['AUDIT_OFFICER'],
  ApproveAuditPlan: ['CISO'],
  RecordFinding: ['AUDITOR'],
  ReportAudit: ['AUDIT_OFFICER'],
  RecordImprovementPlan: ['SECURITY_OFFICER'],
  RecordFollowUp: ['AUDIT_OFFICER', 'AUDITOR'],
  CloseFinding: ['AUDIT_OFFICER'],
  // (Art. 10–11: self-check and audit — rows above this line)
  // (Art. 12–15: information assets and lifecycle — rows above this line)
  // (Art. 7: exceptional actions — rows above this line)
} as const satisfies Record<string, readonly Role[] | typeof ANY>

export type AuthorizedCommand = keyof typeof commandRoles

/** What a command acts on, where a scoped role matters (a unit's security officer acts for that unit only). */
export interface Target {
  unitIds?: readonly string[] | undefined
  areaId?: string | undefined
  systemId?: string | undefined
  /** Common Standards items a decision concerns (an exception approver is designated for some clauses). */
  clauses?: readonly string[] | undefined
}

function covers(scope: Scope, target: Target): boolean {
  switch (scope.kind) {
    case 'AGENCY': return true
    case 'UNIT': return target.unitIds !== undefined && target.unitIds.length > 0 && target.unitIds.every((u) => u === scope.unitId)
    case 'AREA': return target.areaId !== undefined && target.areaId === scope.areaId
    case 'SYSTEM': return target.systemId !== undefined && target.systemId === scope.systemId
    case 'CLAUSES': return target.clauses !== undefined && target.clauses.length > 0 && target.clauses.every((c) => scope.clauses.includes(c))
  }
}

const describeTarget = (target: Target) =>
  [target.unitIds?.length ? `unit ${[...new Set(target.unitIds)].join(', ')}` : '', target.areaId ? `area ${target.areaId}` : '', target.systemId ? `system ${target.systemId}` : '',
    target.clauses?.length ? `clauses ${target.clauses.join(', ')}` : '']
    .filter(Boolean).join(' and ')

/**
 * Allowed when the actor holds one of the roles the table names; for a command with a target, that
 * role's scope must also cover it (agency-wide roles cover everything).
 */
export function authorize(commandType: AuthorizedCommand, actor: Actor, target?: Target): void {
  const allowed: readonly Role[] | typeof ANY = commandRoles[commandType]
  if (allowed === ANY) return
  if (!actor.roles.some((r) => allowed.includes(r))) {
    throw new ForbiddenError(`${commandType} needs one of the roles ${allowed.join(', ')}; you hold ${actor.roles.join(', ') || 'none'}`, {
      command: commandType, requiredRoles: allowed,
    })
  }
  if (target === undefined || actor.assignments === undefined) return
  const relevant = actor.assignments.filter((a) => allowed.includes(a.role))
  if (relevant.some((a) => covers(a.scope, target))) return
  throw new ForbiddenError(`${commandType} for ${describeTarget(target)} needs one of the roles ${allowed.join(', ')} covering it; yours cover ${relevant.map((a) => scopeLabel(a.scope)).join(', ')}`, {
    command: commandType, requiredRoles: allowed, target,
  })
}

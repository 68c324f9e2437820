// Who may issue which command: the one table the README reproduces. A command is allowed when the
// actor holds any listed role; ANY means every authenticated employee of the agency (Art. 9 §2).
import { ForbiddenError } from './errors.js'
import type { Actor } from './decider.js'
import type { Role } from './roles.js'
import { scopeLabel, type Scope } from './scope.js'

export const ANY = 'ANY' as const
/** Issued only by the service itself (the webhook intake, the scheduler), never by a caller. */
export const SYSTEM = 'SYSTEM' as const

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
  // Art. 3: the agency's risks are assessed by the CISO and the general security officer (a command for
  // the whole agency: a unit's security officer does not act for it, see authorize).
  AssessRisk: ['CISO', 'GENERAL_SECURITY_OFFICER'],
  ReassessRisk: ['CISO', 'GENERAL_SECURITY_OFFICER'],
  RetireRisk: ['CISO', 'GENERAL_SECURITY_OFFICER'],

  // (Art. 3–4: policy and risk — rows above this line)
  // Art. 6: the CISO and the general security officer keep the promotion plan. Progress is open to
  // anyone here because an item's owner may record it on their own item: the decider admits only the
  // owner or a holder of CISO / GENERAL_SECURITY_OFFICER (NotPlanItemOwner otherwise).
  EstablishPlan: ['CISO', 'GENERAL_SECURITY_OFFICER'],
  AddPlanItem: ['CISO', 'GENERAL_SECURITY_OFFICER'],
  RecordPlanProgress: ANY,
  ReviewPlan: ['CISO', 'GENERAL_SECURITY_OFFICER'],
  // Art. 8: education is planned for the agency by the CISO and the general security officer; completions
  // are recorded by them or, for their unit's employees, by a unit's security officer.
  PlanTraining: ['CISO', 'GENERAL_SECURITY_OFFICER'],
  AddCourse: ['CISO', 'GENERAL_SECURITY_OFFICER'],
  RecordTrainingCompletions: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SECURITY_OFFICER'],
  // (Art. 6, 8: promotion plan and education — rows above this line)
  // Art. 10: the CISO and the general security officer plan and evaluate the agency's self-check; a unit's
  // security officer orders and completes the fixes of their unit. Results are open to anyone here
  // because each employee records their own; the decider admits only the employee, the security
  // officer of their unit, the general security officer or the CISO (NotOwnSelfCheck otherwise).
  PlanSelfCheck: ['CISO', 'GENERAL_SECURITY_OFFICER'],
  RecordSelfCheckResult: ANY,
  EvaluateSelfCheck: ['CISO', 'GENERAL_SECURITY_OFFICER'],
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
  // Art. 12–14: every employee handles information, so every employee classifies what they create or
  // obtain, copies it and records its lifecycle steps; the rules (not roles) decide, and a broken rule
  // needs an approved exception. Classes and restrictions are changed only by their decider or the
  // decider's successor, checked by the decider whatever roles the actor holds (NotClassificationDecider);
  // a classification is handed over by its decider, or, once the decider has left, by the CISO, the
  // general security officer or a security officer of the asset's unit (checked by the decider).
  ClassifyInformation: ANY,
  ReclassifyInformation: ANY,
  HandOverClassification: ANY,
  SetHandlingRestrictions: ANY,
  CopyInformation: ANY,
  UseInformation: ANY,
  SaveInformation: ANY,
  PublishInformation: ANY,
  ProvideInformation: ANY,
  CarryInformation: ANY,
  SendInformation: ANY,
  DeleteInformation: ANY,
  // The receiving agency's employee who takes provided information into its record becomes its obtainer.
  AcceptProvidedInformation: ANY,
  // (Art. 12–15: information assets and lifecycle — rows above this line)
  // Art. 7: any employee requests an exception (or files an emergency notice) and reports its end (the
  // decider admits only the applicant: NotApplicant). The applicant's unit security officer endorses
  // (scope: the applicant's unit). Examination and the decision belong to an EXCEPTION_APPROVER whose
  // designation covers the excepted clause (scope: the agency, or CLAUSES naming it); the applicant
  // never decides on their own request (SelfApproval). The general security officer keeps the ledger:
  // starts examinations, closes ended exceptions, marks overdue ones (the scheduler does it as well).
  RequestException: ANY,
  FileEmergencyException: ANY,
  EndorseException: ['SECURITY_OFFICER'],
  StartExamination: ['EXCEPTION_APPROVER', 'GENERAL_SECURITY_OFFICER'],
  ApproveException: ['EXCEPTION_APPROVER'],
  RejectException: ['EXCEPTION_APPROVER'],
  ReportExceptionEnd: ANY,
  CloseException: ['EXCEPTION_APPROVER', 'GENERAL_SECURITY_OFFICER'],
  RevokeException: ['EXCEPTION_APPROVER', 'CISO'],
  MarkExceptionOverdue: ['GENERAL_SECURITY_OFFICER'],
  // Art. 9 / SIEM integrations: the CSIRT head, the general security officer and the CISO connect tools;
  // alerts and refused deliveries are recorded by the webhook endpoint itself (no role may issue them).
  CreateIntegration: ['CISO', 'GENERAL_SECURITY_OFFICER', 'CSIRT_HEAD'],
  RotateIntegrationSecret: ['CISO', 'GENERAL_SECURITY_OFFICER', 'CSIRT_HEAD'],
  RetireIntegrationSecret: ['CISO', 'GENERAL_SECURITY_OFFICER', 'CSIRT_HEAD'],
  ChangeIntegrationPolicy: ['CISO', 'GENERAL_SECURITY_OFFICER', 'CSIRT_HEAD'],
  DisableIntegration: ['CISO', 'GENERAL_SECURITY_OFFICER', 'CSIRT_HEAD'],
  ReceiveAlert: SYSTEM,
  CorrelateAlert: SYSTEM,
  OpenIncidentFromAlert: SYSTEM,
  LinkAlert: SYSTEM,
  LinkAlertToIncident: SYSTEM,
  ResolveLinkedAlert: SYSTEM,
  ReopenLinkedAlert: SYSTEM,
  RecordDeliveryRefused: SYSTEM,
  // Outbound webhooks: the same officers who connect SIEM tools subscribe receivers to events (and read
  // the delivery log, which holds the payloads); the dispatcher records attempts in its table, not as commands.
  CreateWebhookSubscription: ['CISO', 'GENERAL_SECURITY_OFFICER', 'CSIRT_HEAD'],
  RotateWebhookSubscriptionSecret: ['CISO', 'GENERAL_SECURITY_OFFICER', 'CSIRT_HEAD'],
  RetireWebhookSubscriptionSecret: ['CISO', 'GENERAL_SECURITY_OFFICER', 'CSIRT_HEAD'],
  DisableWebhookSubscription: ['CISO', 'GENERAL_SECURITY_OFFICER', 'CSIRT_HEAD'],
  RetryWebhookDelivery: ['CISO', 'GENERAL_SECURITY_OFFICER', 'CSIRT_HEAD'],
  // (Art. 9 / SIEM integrations — rows above this line)
  // (Art. 7: exceptional actions — rows above this line)
  // Art. 17–21: the CISO and the general security officer keep the ledger of information systems; a
  // system's security officer keeps the entry of that system (target: the system) through its life,
  // reviews it and records its measures (crypto policy, continuity, internet services). Security
  // requirements are approved by the CISO or the general security officer, never by whoever recorded
  // that version (SelfApproval).
  RegisterInformationSystem: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SYSTEM_SECURITY_OFFICER'],
  UpdateInformationSystemLedger: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SYSTEM_SECURITY_OFFICER'],
  RecordSystemDocument: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SYSTEM_SECURITY_OFFICER'],
  ChangeSystemStage: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SYSTEM_SECURITY_OFFICER'],
  ApproveSecurityRequirements: ['CISO', 'GENERAL_SECURITY_OFFICER'],
  ConfirmSystemDataErasure: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SYSTEM_SECURITY_OFFICER'],
  RecordSystemReview: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SYSTEM_SECURITY_OFFICER'],
  SetCryptoPolicy: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SYSTEM_SECURITY_OFFICER'],
  RecordContinuityPlan: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SYSTEM_SECURITY_OFFICER'],
  RecordContinuityExercise: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SYSTEM_SECURITY_OFFICER'],
  RecordInternetServiceMeasures: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SYSTEM_SECURITY_OFFICER'],
  // (Art. 17–21: information systems — rows above this line)
  // Art. 16: contractors serve the whole agency, so the CISO and the general security officer register and
  // select them. A contract belongs to its owner unit: that unit's security officer records, extends, ends
  // and closes it as well (target: the owner unit and the owner units of the contract's systems, so a unit's
  // officer cannot bind another unit's systems). Supply-chain checks of procured devices may also be
  // recorded by the system security officer of the contract's system the device is for (target: that system).
  RegisterContractor: ['CISO', 'GENERAL_SECURITY_OFFICER'],
  RecordContractorSelection: ['CISO', 'GENERAL_SECURITY_OFFICER'],
  RecordContract: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SECURITY_OFFICER'],
  ExtendContract: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SECURITY_OFFICER'],
  RecordSupplyChainCheck: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SECURITY_OFFICER', 'SYSTEM_SECURITY_OFFICER'],
  EndContract: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SECURITY_OFFICER'],
  ConfirmInformationReturnOrErasure: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SECURITY_OFFICER'],
  CloseContract: ['CISO', 'GENERAL_SECURITY_OFFICER', 'SECURITY_OFFICER'],
  // Art. 22: the CISO and the general security officer publish the rules for using the agency's systems;
  // every employee acknowledges the current version for themselves (the decider takes the caller as the employee).
  PublishUsageRules: ['CISO', 'GENERAL_SECURITY_OFFICER'],
  AcknowledgeUsageRules: ANY,
  // (Art. 16, 22: suppliers and system use — rows above this line)
  // Compliance (Art. 3–18): the scheduler reconciles the time-driven duties it finds overdue.
  ReconcileDuties: SYSTEM,
  // (compliance duties — rows above this line)
} as const satisfies Record<string, readonly Role[] | typeof ANY | typeof SYSTEM>

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
 * Allowed when the actor holds one of the roles the table names, with a scope that covers what the
 * command acts on: its target (a unit, area, system or clauses), or the whole agency when it names no
 * target. Agency-wide roles cover everything. Without known assignments (incident commands, tests of the
 * table) the role alone decides.
 */
export function authorize(commandType: AuthorizedCommand, actor: Actor, target?: Target): void {
  const allowed: readonly Role[] | typeof ANY | typeof SYSTEM = commandRoles[commandType]
  if (allowed === ANY) return
  if (allowed === SYSTEM) throw new ForbiddenError(`${commandType} is recorded by the service itself, not by a caller`, { command: commandType, requiredRoles: [] })
  if (!actor.roles.some((r) => allowed.includes(r))) {
    throw new ForbiddenError(`${commandType} needs one of the roles ${allowed.join(', ')}; you hold ${actor.roles.join(', ') || 'none'}`, {
      command: commandType, requiredRoles: allowed,
    })
  }
  if (actor.assignments === undefined) return
  const relevant = actor.assignments.filter((a) => allowed.includes(a.role))
  if (target === undefined) {
    // A command for the whole agency needs the role for the whole agency: a unit's officer cannot act agency-wide.
    if (relevant.some((a) => a.scope.kind === 'AGENCY')) return
    throw new ForbiddenError(`${commandType} acts for the whole agency and needs one of the roles ${allowed.join(', ')} held for the agency; yours cover ${relevant.map((a) => scopeLabel(a.scope)).join(', ')}`, {
      command: commandType, requiredRoles: allowed,
    })
  }
  if (relevant.some((a) => covers(a.scope, target))) return
  throw new ForbiddenError(`${commandType} for ${describeTarget(target)} needs one of the roles ${allowed.join(', ')} covering it; yours cover ${relevant.map((a) => scopeLabel(a.scope)).join(', ')}`, {
    command: commandType, requiredRoles: allowed, target,
  })
}

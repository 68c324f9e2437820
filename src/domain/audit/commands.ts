// Audit commands (Art. 11): a plan the CISO approves, fieldwork findings tied to a Common Standards
// item, the report to the CISO, improvement plans and follow-up until every finding is closed.
import { z } from 'zod'
import { StandardsEdition } from '../shared/common-standards.js'
import type { Command } from '../shared/decider.js'
import { FiscalYear } from '../shared/fiscal-year.js'
import type { EmployeeFact, EmployeeFacts } from '../management/commands.js'
import { calendarDate, localId, text } from '../shared/values.js'

/** A Common Standards item as an edition and its section code; the decider checks it exists. */
export const StandardsItemRef = z.object({
  edition: StandardsEdition,
  code: z.string().trim().min(1).max(30).describe('section code, e.g. "2.3.2" or "2.1.1(3)"'),
})

export const findingSeverities = ['LOW', 'MEDIUM', 'HIGH'] as const
export const FindingSeverity = z.enum(findingSeverities)
export type FindingSeverity = z.infer<typeof FindingSeverity>

export const followUpStatuses = ['IN_PROGRESS', 'DELAYED', 'IMPLEMENTED'] as const
export const FollowUpStatus = z.enum(followUpStatuses)
export type FollowUpStatus = z.infer<typeof FollowUpStatus>

export const PlanAuditInput = z.object({
  fiscalYear: FiscalYear,
  title: text(200),
  objective: text(2000).optional(),
  scopeUnitIds: z.array(localId).min(1).max(200).describe('the units audited'),
  auditorIds: z.array(localId).min(1).max(50).describe('employees holding the AUDITOR role; none may belong to an audited unit'),
  fieldworkFrom: calendarDate,
  fieldworkTo: calendarDate,
})
export const ApproveAuditPlanInput = z.object({ note: text(1000).optional() })
export const RecordFindingInput = z.object({
  unitId: localId.describe('the audited unit concerned (one of the scope)'),
  standardsItem: StandardsItemRef,
  severity: FindingSeverity,
  description: text(4000),
  dueOn: calendarDate.describe('when the finding must be remedied'),
})
export const ReportAuditInput = z.object({ summary: text(8000) })
export const RecordImprovementPlanInput = z.object({
  actions: z.array(text(1000)).min(1).max(50),
  ownerId: localId.describe('the employee responsible for the actions'),
  dueOn: calendarDate,
})
export const RecordFollowUpInput = z.object({ note: text(4000), status: FollowUpStatus })
export const CloseFindingInput = z.object({ note: text(2000).optional() })

/** Facts the application looked up: units that exist, the named employees, and the role holders. */
export type PlanAudit = Command<'PlanAudit', z.output<typeof PlanAuditInput> & {
  auditId: string
  units: Readonly<Record<string, boolean>>
  employees: EmployeeFacts
  /** Of the auditors named, those holding the AUDITOR role on the first fieldwork day. */
  auditorRoleHolders: readonly string[]
}>
export type ApproveAuditPlan = Command<'ApproveAuditPlan', z.output<typeof ApproveAuditPlanInput>>
export type RecordFinding = Command<'RecordFinding', z.output<typeof RecordFindingInput> & {
  findingId: string
  /** The recording auditor's own unit today (absent when they are not an employee here). */
  actorUnitId?: string | undefined
}>
export type ReportAudit = Command<'ReportAudit', z.output<typeof ReportAuditInput> & { cisoId?: string | undefined }>
export type RecordImprovementPlan = Command<'RecordImprovementPlan', z.output<typeof RecordImprovementPlanInput> & {
  findingId: string
  owner?: EmployeeFact | undefined
  /** Units the actor is SECURITY_OFFICER of today (directly or by delegation). */
  officerUnits: readonly string[]
}>
export type RecordFollowUp = Command<'RecordFollowUp', z.output<typeof RecordFollowUpInput> & { findingId: string; followUpId: string }>
export type CloseFinding = Command<'CloseFinding', z.output<typeof CloseFindingInput> & { findingId: string }>

export type AuditCommand = PlanAudit | ApproveAuditPlan | RecordFinding | ReportAudit | RecordImprovementPlan | RecordFollowUp | CloseFinding

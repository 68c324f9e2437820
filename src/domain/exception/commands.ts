// Exceptional actions (Art. 7; domain.md §6): a request to depart from a Common Standards item for a
// period, examined and decided by an approver designated for that item, then reported ended and closed.
// Lifecycle rule codes (shared/lifecycle.ts) say which information-handling rules the exception lifts.
import { z } from 'zod'
import type { Command } from '../shared/decider.js'
import { LifecycleRuleCode } from '../shared/lifecycle.js'
import { instant, localId, text } from '../shared/values.js'

/** What an exception departs from, what it covers and why: shared by the request and the emergency notice. */
export const RequestExceptionInput = z.object({
  clause: z.string().trim().min(1).max(30).describe('the Common Standards item excepted, e.g. "3.1.1" (of the edition your standards adopted; R3 by default)'),
  rules: z.array(LifecycleRuleCode).max(30).default([]).describe('lifecycle rule codes to lift (each of this clause); empty when the exception is not about handling information'),
  assetIds: z.array(localId).max(200).default([]).describe('information assets covered'),
  unitId: localId.optional().describe("a unit whose information assets are all covered"),
  from: instant.describe('requested period start'),
  to: instant.describe('requested period end (after from)'),
  measures: text(4000).describe('what will be done instead of following the clause'),
  compensatingMeasures: z.array(text(1000)).min(1).max(50).describe('代替手段: measures that keep the risk acceptable'),
  securityImpact: text(4000),
  impactHandling: text(4000).describe('how the impact is handled'),
  endReportMethod: text(1000).describe('how the end will be reported'),
  reason: text(4000),
})
export const FileEmergencyExceptionInput = RequestExceptionInput.extend({
  actedAt: instant.describe('when the action was taken (before this notice, within the notice window)'),
})
export const EndorseExceptionInput = z.object({ note: text(2000).optional() })
export const StartExaminationInput = z.object({ note: text(2000).optional() })
export const ApproveExceptionInput = z.object({
  reasons: text(4000),
  rules: z.array(LifecycleRuleCode).max(30).optional().describe('permitted rule codes (default: all requested); never beyond the request'),
  assetIds: z.array(localId).max(200).optional().describe('permitted assets (default: all requested)'),
  coverUnit: z.boolean().optional().describe('whether the requested unit is covered (default: true when one was requested)'),
  from: instant.optional().describe('permitted period start (default: requested; not earlier)'),
  to: instant.optional().describe('permitted period end (default: requested; not later)'),
  measures: text(4000).optional().describe('conditions the permission comes with'),
})
export const RejectExceptionInput = z.object({ reasons: text(4000) })
export const ReportExceptionEndInput = z.object({
  endedAt: instant.describe('when the exceptional action ended'),
  howEnded: text(4000).describe('how it ended, as the end-report method asked'),
})
export const CloseExceptionInput = z.object({ note: text(2000).optional() })
export const RevokeExceptionInput = z.object({ reason: text(4000) })
export const MarkExceptionOverdueInput = z.object({})

/** Facts the application looked up for a request: the edition, the applicant's unit, whether the unit exists. */
export interface RequestFacts {
  exceptionId: string
  /** The Common Standards edition of the agency's adopted standards (R3 when none). */
  edition: string
  /** The applicant's unit today; absent when the applicant is not a registered employee. */
  applicantUnitId?: string | undefined
  /** Whether the covered unit exists (absent when no unit is named). */
  unitExists?: boolean | undefined
}

type RequestData = z.output<typeof RequestExceptionInput> & RequestFacts
export type RequestException = Command<'RequestException', RequestData>
export type FileEmergencyException = Command<'FileEmergencyException', RequestData & {
  actedAt: string
  /** How long after acting the notice may be filed (exceptionRules.emergencyNoticeHours). */
  noticeWindowHours: number
}>
export type EndorseException = Command<'EndorseException', z.output<typeof EndorseExceptionInput>>
export type StartExamination = Command<'StartExamination', z.output<typeof StartExaminationInput>>
export type ApproveException = Command<'ApproveException', z.output<typeof ApproveExceptionInput>>
export type RejectException = Command<'RejectException', z.output<typeof RejectExceptionInput>>
export type ReportExceptionEnd = Command<'ReportExceptionEnd', z.output<typeof ReportExceptionEndInput>>
export type CloseException = Command<'CloseException', z.output<typeof CloseExceptionInput>>
export type RevokeException = Command<'RevokeException', z.output<typeof RevokeExceptionInput>>
export type MarkExceptionOverdue = Command<'MarkExceptionOverdue', z.output<typeof MarkExceptionOverdueInput>>

export type ExceptionCommand = RequestException | FileEmergencyException | EndorseException | StartExamination | ApproveException
  | RejectException | ReportExceptionEnd | CloseException | RevokeException | MarkExceptionOverdue

/**
 * Procedure values an agency may want to change (domain.md §6 is [R]): kept as data, not in the rules.
 * The Standards say an emergency notice is filed promptly (速やかに) without a figure; 72 hours covers a
 * weekend.
 */
export const exceptionRules = { emergencyNoticeHours: 72 } as const

// Self-check commands (Art. 10): once per fiscal year the agency plans a checklist, employees record
// their answers, the result is evaluated, and fixes are ordered for the weak points and completed.
import { z } from 'zod'
import { StandardsItemRef } from '../audit/commands.js'
import type { Command } from '../shared/decider.js'
import type { EmployeeFact } from '../management/commands.js'
import { calendarDate, localId, text } from '../shared/values.js'

export const ChecklistItem = z.object({
  itemId: localId,
  question: text(1000),
  standardsItem: StandardsItemRef.optional().describe('the Common Standards item the question checks'),
})
export const PlanSelfCheckInput = z.object({
  from: calendarDate.describe('first day employees may answer'),
  to: calendarDate.describe('last day employees may answer'),
  items: z.array(ChecklistItem).min(1).max(300),
  unitIds: z.array(localId).min(1).max(500).optional().describe('the units taking part; the whole agency when left out'),
})
export const SelfCheckAnswer = z.object({ itemId: localId, compliant: z.boolean(), note: text(2000).optional() })
export const RecordSelfCheckResultInput = z.object({
  employeeId: localId.describe('whose answers these are (yourself, unless you are a security officer recording for them)'),
  answers: z.array(SelfCheckAnswer).min(1).max(300).describe('one answer for every checklist item'),
  submittedOn: calendarDate,
})
export const EvaluateSelfCheckInput = z.object({
  summary: text(8000),
  weakItemIds: z.array(localId).max(300).default([]).describe('checklist items the evaluation singles out'),
})
export const OrderSelfCheckFixInput = z.object({
  itemId: localId,
  unitId: localId,
  description: text(4000),
  dueOn: calendarDate,
})
export const CompleteSelfCheckFixInput = z.object({ note: text(4000) })

export type PlanSelfCheck = Command<'PlanSelfCheck', z.output<typeof PlanSelfCheckInput> & {
  fiscalYear: number
  /** Whether each named unit exists in the agency. */
  units: Readonly<Record<string, boolean>>
  /** Results each employee gives this year (agency setting selfCheck.perFiscalYear, frozen at planning). */
  resultsPerEmployee: number
}>
export type RecordSelfCheckResult = Command<'RecordSelfCheckResult', z.output<typeof RecordSelfCheckResultInput> & {
  fiscalYear: number
  resultId: string
  employee?: EmployeeFact | undefined
  /** Units the actor is SECURITY_OFFICER of today (directly or by delegation). */
  officerUnits: readonly string[]
}>
export type EvaluateSelfCheck = Command<'EvaluateSelfCheck', z.output<typeof EvaluateSelfCheckInput> & { fiscalYear: number }>
export type OrderSelfCheckFix = Command<'OrderSelfCheckFix', z.output<typeof OrderSelfCheckFixInput> & { fiscalYear: number; fixId: string; unitExists: boolean }>
export type CompleteSelfCheckFix = Command<'CompleteSelfCheckFix', z.output<typeof CompleteSelfCheckFixInput> & { fiscalYear: number; fixId: string }>

export type SelfCheckCommand = PlanSelfCheck | RecordSelfCheckResult | EvaluateSelfCheck | OrderSelfCheckFix | CompleteSelfCheckFix

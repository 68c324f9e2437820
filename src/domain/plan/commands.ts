// Promotion plan commands (Art. 6): a plan per fiscal year with items that have owners and due dates,
// progress records on the items, and reviews (Art. 6 §3).
import { z } from 'zod'
import type { Command } from '../shared/decider.js'
import { FiscalYear } from '../shared/fiscal-year.js'
import type { EmployeeFacts } from '../management/commands.js'
import { calendarDate, localId, text } from '../shared/values.js'

export const planItemStatuses = ['NOT_STARTED', 'IN_PROGRESS', 'DONE', 'DEFERRED'] as const
export const PlanItemStatus = z.enum(planItemStatuses)
export type PlanItemStatus = z.infer<typeof PlanItemStatus>

export const planReviewOutcomes = ['ON_TRACK', 'NEEDS_REVISION', 'COMPLETED'] as const
export const PlanReviewOutcome = z.enum(planReviewOutcomes)

export const PlanItemInput = z.object({
  itemId: localId.describe('the item code within the plan, e.g. "edu-1"'),
  title: text(500),
  ownerId: localId.describe('the employee responsible for the item'),
  dueOn: calendarDate.describe('within the fiscal year of the plan'),
  article: z.number().int().min(3).max(22).optional().describe('the Common Model article the item implements (3–22)'),
})
export const EstablishPlanInput = z.object({
  fiscalYear: FiscalYear,
  title: text(200),
  items: z.array(PlanItemInput).max(500).default([]),
})
export const AddPlanItemInput = PlanItemInput
export const RecordPlanProgressInput = z.object({
  status: PlanItemStatus,
  percent: z.number().int().min(0).max(100),
  note: text(2000).optional(),
})
  // Contradictions are input errors, caught before any rule is looked at.
  .refine((p) => p.status !== 'DONE' || p.percent === 100, { path: ['percent'], message: 'a DONE item is 100 percent done' })
  .refine((p) => p.status !== 'NOT_STARTED' || p.percent === 0, { path: ['percent'], message: 'a NOT_STARTED item is 0 percent done' })
  .refine((p) => p.status !== 'DEFERRED' || p.note !== undefined, { path: ['note'], message: 'say why the item is deferred' })
export const ReviewPlanInput = z.object({
  outcome: PlanReviewOutcome,
  notes: text(4000),
})

type Owners = { employees: EmployeeFacts }
export type EstablishPlan = Command<'EstablishPlan', z.output<typeof EstablishPlanInput> & Owners>
export type AddPlanItem = Command<'AddPlanItem', z.output<typeof AddPlanItemInput> & Owners & { fiscalYear: number }>
export type RecordPlanProgress = Command<'RecordPlanProgress', z.output<typeof RecordPlanProgressInput> & { fiscalYear: number; itemId: string }>
export type ReviewPlan = Command<'ReviewPlan', z.output<typeof ReviewPlanInput> & { fiscalYear: number }>
export type PlanCommand = EstablishPlan | AddPlanItem | RecordPlanProgress | ReviewPlan

import type { DomainEvent } from '../shared/decider.js'

export type ChecklistItemData = { itemId: string; question: string; standardsItem?: { edition: string; code: string } | undefined }
export type AnswerData = { itemId: string; compliant: boolean; note?: string | undefined }

export type SelfCheckPlanned = DomainEvent<'SelfCheckPlanned', {
  fiscalYear: number; from: string; to: string; items: ChecklistItemData[]
  /** Absent: the whole agency takes part. */
  unitIds?: string[] | undefined
  resultsPerEmployee: number; plannedBy: string; at: string
}>
export type SelfCheckResultRecorded = DomainEvent<'SelfCheckResultRecorded', {
  fiscalYear: number; resultId: string; employeeId: string; unitId: string; submittedOn: string; answers: AnswerData[]
  recordedBy: string; at: string
}>
export type SelfCheckEvaluated = DomainEvent<'SelfCheckEvaluated', {
  fiscalYear: number; summary: string; weakItemIds: string[]; resultCount: number; evaluatedBy: string; at: string
}>
export type SelfCheckFixOrdered = DomainEvent<'SelfCheckFixOrdered', {
  fiscalYear: number; fixId: string; itemId: string; unitId: string; description: string; dueOn: string; orderedBy: string; at: string
}>
export type SelfCheckFixCompleted = DomainEvent<'SelfCheckFixCompleted', { fiscalYear: number; fixId: string; note: string; completedBy: string; at: string }>
/** Every fix ordered so far is done: recorded with the completion that finished them. */
export type SelfCheckFixesCompleted = DomainEvent<'SelfCheckFixesCompleted', { fiscalYear: number; fixCount: number; at: string }>

export type SelfCheckEvent = SelfCheckPlanned | SelfCheckResultRecorded | SelfCheckEvaluated | SelfCheckFixOrdered | SelfCheckFixCompleted | SelfCheckFixesCompleted
export const selfCheckEventTypes = [
  'SelfCheckPlanned', 'SelfCheckResultRecorded', 'SelfCheckEvaluated', 'SelfCheckFixOrdered', 'SelfCheckFixCompleted', 'SelfCheckFixesCompleted',
] as const satisfies readonly SelfCheckEvent['type'][]

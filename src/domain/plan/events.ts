import type { DomainEvent } from '../shared/decider.js'
import type { PlanItemStatus } from './commands.js'

export type PlanItem = { itemId: string; title: string; ownerId: string; dueOn: string; article?: number | undefined }

export type PlanEstablished = DomainEvent<'PlanEstablished', { fiscalYear: number; title: string; items: PlanItem[]; establishedBy: string; at: string }>
export type PlanItemAdded = DomainEvent<'PlanItemAdded', PlanItem & { fiscalYear: number; addedBy: string; at: string }>
export type PlanProgressRecorded = DomainEvent<'PlanProgressRecorded', {
  fiscalYear: number; itemId: string; status: PlanItemStatus; percent: number; note?: string | undefined; recordedBy: string; at: string
}>
/** Its type name and `fiscalYear`/`at` are read by other read models (review due dates): keep them stable. */
export type PlanReviewed = DomainEvent<'PlanReviewed', {
  fiscalYear: number; outcome: 'ON_TRACK' | 'NEEDS_REVISION' | 'COMPLETED'; notes: string; reviewedBy: string; at: string
}>

export type PlanEvent = PlanEstablished | PlanItemAdded | PlanProgressRecorded | PlanReviewed
export const planEventTypes = ['PlanEstablished', 'PlanItemAdded', 'PlanProgressRecorded', 'PlanReviewed'] as const satisfies readonly PlanEvent['type'][]

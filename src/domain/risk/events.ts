// Risk events. Times are ISO strings; `by` is the actor's id.
import type { DomainEvent } from '../shared/decider.js'
import type { RiskRating } from './commands.js'

export interface RiskChanges {
  [key: string]: string | string[] | undefined
  title?: string | undefined
  threat?: string | undefined
  likelihood?: RiskRating | undefined
  impact?: RiskRating | undefined
  measures?: string[] | undefined
  reviewBy?: string | undefined
  systemId?: string | undefined
  assetId?: string | undefined
}

export type RiskAssessed = DomainEvent<'RiskAssessed', {
  riskId: string; title: string; threat: string; likelihood: RiskRating; impact: RiskRating; measures: string[]; reviewBy: string
  systemId?: string | undefined; assetId?: string | undefined; by: string; at: string
}>
/** Only what changed, with the reason. */
export type RiskReassessed = DomainEvent<'RiskReassessed', { riskId: string; changes: RiskChanges; reason: string; by: string; at: string }>
export type RiskRetired = DomainEvent<'RiskRetired', { riskId: string; reason: string; by: string; at: string }>

export type RiskEvent = RiskAssessed | RiskReassessed | RiskRetired
export const riskEventTypes = ['RiskAssessed', 'RiskReassessed', 'RiskRetired'] as const satisfies readonly RiskEvent['type'][]

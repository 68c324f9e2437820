// The evidence an agency's compliance status is computed from (domain.md §10): a compact summary folded
// from the agency's events, one event at a time, so the status after every event is known and the status
// on any past date is the one after the last event before it. Time-driven facts (a fiscal year ended, a
// due date passed) arrive as events too (duties.ts, ExceptionBecameOverdue): nothing here reads a clock.
import type { JsonObject } from '../shared/decider.js'
import { evolveSystem, type SystemRecord } from '../system/state.js'
import type { SystemEvent } from '../system/events.js'
import { cryptrecEdition, currentCryptrecEdition } from '../shared/cryptrec.js'
import { evaluateCryptoPolicy } from '../system/crypto-evaluation.js'
import { internetServiceShortfalls } from '../system/internet-check.js'
import type { CryptoAlgorithmInput, InternetServiceMeasures } from '../system/measure-inputs.js'
import type { DutyKind } from './duties.js'

/** What the fold needs of an event (a projected event has more). */
export interface EvidenceEvent {
  readonly type: string
  readonly data: JsonObject
  readonly position: number
  readonly recordedAt: string
  readonly streamId: string
}

export interface ActiveException { rules: string[]; from: string; to: string; approvedAt: string }
export interface OpenDutyEvidence { kind: DutyKind; article: number; subjectId: string; dueOn: string; detail: string; missing: string[]; missingCount: number; since: string }
export interface SystemEvidence {
  record: SystemRecord
  /** Absent: no crypto policy set. The algorithms short of the list edition the policy names, evaluated when it was set. */
  crypto?: { edition: string; shortfalls: string[] } | undefined
  /** Internet services by name: the domain and the shortfall codes of the measures recorded last. */
  internet: Record<string, { domain: string; shortfalls: string[] }>
}

export interface Evidence {
  registered: boolean
  risks: Record<string, true>
  policy: { basicVersion?: string | undefined; standardsVersion?: string | undefined; standardsEdition?: string | undefined; items: { itemId: string; title: string; covers: string[] }[]; reviewDueSince?: string | undefined }
  committees: number
  plans: { years: number[]; reviewDueSince?: string | undefined }
  exceptions: { filed: number; active: Record<string, ActiveException>; overdue: Record<string, { dueAt: string }> }
  trainingPlans: number
  selfCheckPlans: number
  auditPlansApproved: number
  assets: number
  areas: Record<string, { name: string; measures: number }>
  contracts: number
  usageRulesVersions: number
  systems: Record<string, SystemEvidence>
  duties: Record<string, OpenDutyEvidence>
}

export const emptyEvidence = (): Evidence => ({
  registered: false, risks: {}, policy: { items: [] }, committees: 0, plans: { years: [] },
  exceptions: { filed: 0, active: {}, overdue: {} }, trainingPlans: 0, selfCheckPlans: 0, auditPlansApproved: 0,
  assets: 0, areas: {}, contracts: 0, usageRulesVersions: 0, systems: {}, duties: {},
})

const str = (v: unknown): string => (typeof v === 'string' ? v : '')
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])
const num = (v: unknown): number => (typeof v === 'number' ? v : 0)
const without = <T>(record: Record<string, T>, key: string): Record<string, T> => {
  const { [key]: _gone, ...rest } = record
  return rest
}

/**
 * The events that change the risk picture (Art. 3 §2, 4 §6, 6 §3): the policy and the promotion plan are
 * due for review after them. Shared with the reviews-due read model.
 */
export function changesRiskPicture(e: Pick<EvidenceEvent, 'type' | 'data'>): boolean {
  if (e.type === 'IncidentTriaged') return e.data.assessment === 'INCIDENT'
  return e.type === 'RiskAssessed' || e.type === 'RiskReassessed'
}

/** A continuity exercise that found something, or in which the security measures did not hold: the plan is due for review (Art. 19). */
export function exerciseCallsForPlanReview(e: Pick<EvidenceEvent, 'type' | 'data'>): boolean {
  if (e.type !== 'ContinuityExerciseHeld') return false
  return e.data.securityMeasuresHeld === false || (Array.isArray(e.data.findings) && e.data.findings.length > 0)
}

/** The event types the fold reads (the projection subscribes to exactly these). */
export const evidenceEventTypes = [
  'AgencyRegistered', 'AreaDefined', 'AreaMeasuresRecorded',
  'RiskAssessed', 'RiskReassessed', 'RiskRetired', 'IncidentTriaged',
  'BasicPolicyAdopted', 'StandardsAdopted', 'PolicyReviewed',
  'CommitteeOrganized',
  'PlanEstablished', 'PlanReviewed',
  'ExceptionRequested', 'EmergencyExceptionFiled', 'ExceptionApproved', 'ExceptionEndReported', 'ExceptionClosed', 'ExceptionRevoked', 'ExceptionBecameOverdue',
  'TrainingPlanned', 'SelfCheckPlanned', 'AuditPlanApproved',
  'InformationClassified',
  'ContractRecorded', 'UsageRulesPublished',
  'SystemRegistered', 'SystemLedgerUpdated', 'SystemDocumentRecorded', 'SystemStageChanged', 'SecurityRequirementsApproved',
  'SystemDataErasureConfirmed', 'SystemReviewed', 'CryptoPolicySet', 'ContinuityPlanRecorded', 'ContinuityExerciseHeld', 'InternetServiceMeasuresRecorded',
  'DutyBecameOverdue', 'DutyDischarged',
] as const

const systemEventTypes = new Set(['SystemRegistered', 'SystemLedgerUpdated', 'SystemDocumentRecorded', 'SystemStageChanged', 'SecurityRequirementsApproved', 'SystemDataErasureConfirmed', 'SystemReviewed', 'ContinuityPlanRecorded'])

function withSystem(ev: Evidence, e: EvidenceEvent): Evidence {
  const systemId = str(e.data.systemId)
  const current = ev.systems[systemId]
  if (systemEventTypes.has(e.type)) {
    const next = evolveSystem({ system: current?.record }, { type: e.type, data: e.data } as unknown as SystemEvent).system
    if (!next) return ev
    return { ...ev, systems: { ...ev.systems, [systemId]: { internet: {}, ...current, record: next } } }
  }
  if (!current) return ev
  switch (e.type) {
    case 'CryptoPolicySet': {
      const list = cryptrecEdition(str(e.data.edition)) ?? cryptrecEdition(currentCryptrecEdition)
      const algorithms = (Array.isArray(e.data.algorithms) ? e.data.algorithms : []) as unknown as CryptoAlgorithmInput[]
      const shortfalls = list ? evaluateCryptoPolicy({ algorithms }, list).algorithms.filter((a) => !a.recommended).map((a) => a.algorithm) : []
      return { ...ev, systems: { ...ev.systems, [systemId]: { ...current, crypto: { edition: list?.id ?? str(e.data.edition), shortfalls } } } }
    }
    case 'InternetServiceMeasuresRecorded': {
      const domain = str(e.data.domain)
      const service = { domain, shortfalls: internetServiceShortfalls(domain, (e.data.measures ?? {}) as unknown as InternetServiceMeasures).map((x) => x.code) }
      return { ...ev, systems: { ...ev.systems, [systemId]: { ...current, internet: { ...current.internet, [str(e.data.serviceName)]: service } } } }
    }
    default: return ev
  }
}

/** The evidence after one more event of the agency. Events of types not in evidenceEventTypes change nothing. */
export function evolveEvidence(ev: Evidence, e: EvidenceEvent): Evidence {
  const d = e.data
  const at = str(d.at) || e.recordedAt
  if (exerciseCallsForPlanReview(e)) ev = { ...ev, plans: { ...ev.plans, reviewDueSince: ev.plans.reviewDueSince ?? at } }
  if (changesRiskPicture(e)) {
    ev = { ...ev, policy: { ...ev.policy, reviewDueSince: ev.policy.reviewDueSince ?? at }, plans: { ...ev.plans, reviewDueSince: ev.plans.reviewDueSince ?? at } }
  }
  switch (e.type) {
    case 'AgencyRegistered': return { ...ev, registered: true }
    case 'AreaDefined': return { ...ev, areas: { ...ev.areas, [str(d.areaId)]: { name: str(d.name), measures: strs(d.measures).length } } }
    case 'AreaMeasuresRecorded': {
      const area = ev.areas[str(d.areaId)]
      return area ? { ...ev, areas: { ...ev.areas, [str(d.areaId)]: { ...area, measures: strs(d.measures).length } } } : ev
    }
    case 'RiskAssessed': return { ...ev, risks: { ...ev.risks, [str(d.riskId)]: true } }
    case 'RiskRetired': return { ...ev, risks: without(ev.risks, str(d.riskId)) }
    case 'BasicPolicyAdopted': return { ...ev, policy: { ...ev.policy, basicVersion: str(d.version), reviewDueSince: undefined } }
    case 'StandardsAdopted': {
      const items = (Array.isArray(d.items) ? d.items : []).map((i) => {
        const item = (i ?? {}) as JsonObject
        return { itemId: str(item.itemId), title: str(item.title), covers: strs(item.covers) }
      })
      return { ...ev, policy: { ...ev.policy, standardsVersion: str(d.version), standardsEdition: str(d.edition), items, reviewDueSince: undefined } }
    }
    case 'PolicyReviewed': return { ...ev, policy: { ...ev.policy, reviewDueSince: undefined } }
    case 'CommitteeOrganized': return { ...ev, committees: ev.committees + 1 }
    case 'PlanEstablished': return { ...ev, plans: { ...ev.plans, years: [...new Set([...ev.plans.years, num(d.fiscalYear)])].sort() } }
    case 'PlanReviewed': return { ...ev, plans: { ...ev.plans, reviewDueSince: undefined } }
    case 'ExceptionRequested':
    case 'EmergencyExceptionFiled': return { ...ev, exceptions: { ...ev.exceptions, filed: ev.exceptions.filed + 1 } }
    case 'ExceptionApproved':
      return { ...ev, exceptions: { ...ev.exceptions, active: { ...ev.exceptions.active, [str(d.exceptionId)]: { rules: strs(d.rules), from: str(d.from), to: str(d.to), approvedAt: at } } } }
    case 'ExceptionBecameOverdue': {
      const id = str(d.exceptionId)
      return { ...ev, exceptions: { ...ev.exceptions, active: without(ev.exceptions.active, id), overdue: { ...ev.exceptions.overdue, [id]: { dueAt: str(d.dueAt) } } } }
    }
    case 'ExceptionEndReported':
    case 'ExceptionClosed':
    case 'ExceptionRevoked': {
      const id = str(d.exceptionId)
      return { ...ev, exceptions: { ...ev.exceptions, active: without(ev.exceptions.active, id), overdue: without(ev.exceptions.overdue, id) } }
    }
    case 'TrainingPlanned': return { ...ev, trainingPlans: ev.trainingPlans + 1 }
    case 'SelfCheckPlanned': return { ...ev, selfCheckPlans: ev.selfCheckPlans + 1 }
    case 'AuditPlanApproved': return { ...ev, auditPlansApproved: ev.auditPlansApproved + 1 }
    case 'InformationClassified': return { ...ev, assets: ev.assets + 1 }
    case 'ContractRecorded': return { ...ev, contracts: ev.contracts + 1 }
    case 'UsageRulesPublished': return { ...ev, usageRulesVersions: ev.usageRulesVersions + 1 }
    case 'DutyBecameOverdue': {
      const duty: OpenDutyEvidence = {
        kind: str(d.kind) as DutyKind, article: num(d.article), subjectId: str(d.subjectId), dueOn: str(d.dueOn), detail: str(d.detail),
        missing: strs(d.missing), missingCount: num(d.missingCount), since: at,
      }
      return { ...ev, duties: { ...ev.duties, [str(d.dutyId)]: duty } }
    }
    case 'DutyDischarged': return { ...ev, duties: without(ev.duties, str(d.dutyId)) }
    default: return e.type.startsWith('System') || e.type.startsWith('Continuity') || e.type === 'SecurityRequirementsApproved' || e.type === 'CryptoPolicySet' || e.type === 'InternetServiceMeasuresRecorded'
      ? withSystem(ev, e)
      : ev
  }
}

const systemArticles = [17, 18, 19, 20, 21]
const affects: Record<string, readonly number[]> = {
  AreaDefined: [15], AreaMeasuresRecorded: [15],
  RiskAssessed: [3, 4, 6], RiskReassessed: [3, 4, 6], RiskRetired: [3], IncidentTriaged: [4, 6],
  BasicPolicyAdopted: [4], StandardsAdopted: [4], PolicyReviewed: [4], CommitteeOrganized: [5], PlanEstablished: [6], PlanReviewed: [6],
  ExceptionRequested: [7], EmergencyExceptionFiled: [7], ExceptionApproved: [7, 13, 14, 15], ExceptionEndReported: [7, 13, 14, 15],
  ExceptionClosed: [7, 13, 14, 15], ExceptionRevoked: [7, 13, 14, 15], ExceptionBecameOverdue: [7, 13, 14, 15],
  TrainingPlanned: [8], SelfCheckPlanned: [10], AuditPlanApproved: [11], InformationClassified: [12, 13, 14], ContractRecorded: [16], UsageRulesPublished: [22],
  ContinuityExerciseHeld: [6, 19],
}

/**
 * The articles whose status an event can change (the projection evaluates only these; a test checks the
 * table against evaluating every article). Undefined: all of them.
 */
export function articlesAffectedBy(e: Pick<EvidenceEvent, 'type' | 'data'>): readonly number[] | undefined {
  if (e.type === 'DutyBecameOverdue' || e.type === 'DutyDischarged') return typeof e.data.article === 'number' ? [e.data.article] : undefined
  if (e.type in affects) return affects[e.type]
  if (e.type.startsWith('System') || e.type.startsWith('Continuity') || e.type === 'SecurityRequirementsApproved' || e.type === 'CryptoPolicySet' || e.type === 'InternetServiceMeasuresRecorded') return systemArticles
  return undefined
}

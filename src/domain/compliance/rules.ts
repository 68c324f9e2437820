// The compliance rules (domain.md §10), one row per article of the Common Model (3–22): what the
// status is computed from, and a small function from the agency's evidence to COMPLIANT, NON_COMPLIANT
// (with each reason and the evidence missing or overdue), EXCEPTION_APPROVED (with the exceptions),
// NOT_APPLICABLE or UNKNOWN. The README's table is generated from this data (`npm run readme`).
import type { LifecycleRuleCode } from '../shared/lifecycle.js'
import { ledgerGaps } from '../system/lifecycle.js'
import { continuityCriticalities } from '../system/values.js'
import type { DutyKind } from './duties.js'
import type { Evidence, OpenDutyEvidence, SystemEvidence } from './evidence.js'

export const complianceStatuses = ['COMPLIANT', 'NON_COMPLIANT', 'EXCEPTION_APPROVED', 'NOT_APPLICABLE', 'UNKNOWN'] as const
export type ComplianceStatus = (typeof complianceStatuses)[number]

export interface Reason {
  /** Stable code, e.g. NO_BASIC_POLICY, TRAINING_NOT_DONE. */
  code: string
  message: string
  /** The evidence that is missing (an event type, a document) or overdue (a duty's subject). */
  missing?: string | undefined
  /** What it concerns: a system, an exception, a fiscal year... */
  subjectId?: string | undefined
  dueOn?: string | undefined
  since?: string | undefined
}
export interface ExceptionRef { exceptionId: string; rules: string[]; from: string; to: string }

export interface ArticleStatus {
  status: ComplianceStatus
  reasons: Reason[]
  exceptions: ExceptionRef[]
}

export interface ArticleRule {
  article: number
  title: string
  /** Common Standards items (common-standards.ts codes, or their prefixes) the article corresponds to. */
  standards: readonly string[]
  /** What the status is computed from (README). */
  evidence: string
  /** When it is not compliant (README). */
  nonCompliant: string
  /** When NOT_APPLICABLE or UNKNOWN instead (README); empty if never. */
  otherwise: string
  evaluate(ev: Evidence): ArticleStatus
}

const ok = (): ArticleStatus => ({ status: 'COMPLIANT', reasons: [], exceptions: [] })
const other = (status: 'NOT_APPLICABLE' | 'UNKNOWN', code: string, message: string): ArticleStatus => ({ status, reasons: [{ code, message }], exceptions: [] })
const missing = (code: string, evidence: string, message: string): Reason => ({ code, message, missing: evidence })

/**
 * What a duty's reason says is missing. People are counted, never named: every employee reads the status,
 * and the duty event (and the training coverage reads, for officers) hold who.
 */
function missingOf(d: OpenDutyEvidence): string | undefined {
  if (d.missingCount === 0) return undefined
  if (d.kind === 'TRAINING_NOT_DONE') return `${d.missingCount} ${d.missingCount === 1 ? 'employee' : 'employees'}`
  return `${d.missingCount}: ${d.missing.join(', ')}${d.missingCount > d.missing.length ? ', …' : ''}`
}

/** The open duties of these kinds, as reasons (oldest due first). */
function dutyReasons(ev: Evidence, ...kinds: DutyKind[]): Reason[] {
  return Object.values(ev.duties)
    .filter((d) => kinds.includes(d.kind))
    .sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.subjectId < b.subjectId ? -1 : 1))
    .map((d: OpenDutyEvidence) => ({ code: d.kind, message: d.detail, missing: missingOf(d), subjectId: d.subjectId, dueOn: d.dueOn, since: d.since }))
}

/** NON_COMPLIANT if any reason, else the fallback. */
/** Most reasons an article lists; a last reason says how many more there were (a ledger of thousands of systems stays readable and small). */
export const MAX_REASONS = 50

const judged = (reasons: Reason[], fallback: () => ArticleStatus = ok): ArticleStatus => {
  if (reasons.length === 0) return fallback()
  if (reasons.length <= MAX_REASONS) return { status: 'NON_COMPLIANT', reasons, exceptions: [] }
  const more = reasons.length - MAX_REASONS
  return { status: 'NON_COMPLIANT', reasons: [...reasons.slice(0, MAX_REASONS), { code: 'MORE_REASONS', message: `and ${more} more ${more === 1 ? 'reason' : 'reasons'} like these`, missing: String(more) }], exceptions: [] }
}

/** Which article an exception's lifted rule belongs to: a handling restriction (13), a lifecycle rule (14), a controlled area (15). */
const restrictionRules = new Set<LifecycleRuleCode>([
  'NoCopy', 'CopyWithoutPermission', 'NoDistribution', 'DistributionWithoutPermission', 'AudienceLimited', 'NoTakeOut', 'NoSend', 'NoForward',
  'SendNoDistribution', 'SendDistributionWithoutPermission', 'SendAudienceLimited', 'NoDelete', 'RetentionNotOver',
])
export function articleOfRule(rule: string): number {
  if (rule === 'C3OutsideControlledArea') return 15
  if (restrictionRules.has(rule as LifecycleRuleCode)) return 13
  return 14
}

/** The approved exceptions in force that lift a rule of the article. */
function exceptionsFor(ev: Evidence, article: number): ExceptionRef[] {
  return Object.entries(ev.exceptions.active)
    .filter(([, x]) => x.rules.some((r) => articleOfRule(r) === article))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([exceptionId, x]) => ({ exceptionId, rules: x.rules.filter((r) => articleOfRule(r) === article), from: x.from, to: x.to }))
}

/** COMPLIANT, or EXCEPTION_APPROVED with the exceptions when approved exceptions lift some of its rules. */
function withExceptions(ev: Evidence, article: number, base: ArticleStatus): ArticleStatus {
  if (base.status !== 'COMPLIANT') return base
  const exceptions = exceptionsFor(ev, article)
  if (exceptions.length === 0) return base
  return {
    status: 'EXCEPTION_APPROVED', exceptions,
    reasons: exceptions.map((x) => ({ code: 'EXCEPTION_APPROVED', message: `exception ${x.exceptionId} lifts ${x.rules.join(', ')} from ${x.from} to ${x.to}`, subjectId: x.exceptionId })),
  }
}

/** The systems not retired, in id order; computed once per evidence (several rules read it after one event). */
const liveCache = new WeakMap<Evidence['systems'], SystemEvidence[]>()
function liveSystems(ev: Evidence): SystemEvidence[] {
  const cached = liveCache.get(ev.systems)
  if (cached) return cached
  const live = Object.values(ev.systems).filter((s) => s.record.stage !== 'RETIRED').sort((a, b) => (a.record.systemId < b.record.systemId ? -1 : 1))
  liveCache.set(ev.systems, live)
  return live
}
interface SystemReasons {
  ledger: Reason[]
  /** Undefined: not HIGH or CRITICAL (no continuity plan required). */
  continuity: Reason[] | undefined
  crypto: Reason[]
  /** Undefined: not internet-facing. */
  internet: Reason[] | undefined
}

/**
 * One system's reasons under articles 17, 19, 20 and 21, computed once per system record: an event changes one
 * system, so the others' reasons are reused (a ledger of thousands of systems costs a concatenation per event).
 */
const reasonCache = new WeakMap<SystemEvidence, SystemReasons>()
function perSystem(s: SystemEvidence): SystemReasons {
  const cached = reasonCache.get(s)
  if (cached) return cached
  const { record } = s
  const subjectId = record.systemId
  const gaps = ledgerGaps(record)
  const services = Object.entries(s.internet).sort(([a], [b]) => (a < b ? -1 : 1))
  const reasons: SystemReasons = {
    ledger: gaps.length === 0 ? [] : [{ ...missing('LEDGER_INCOMPLETE', gaps.join(', '), `the ledger entry of system ${record.name} lacks ${gaps.join(', ')}`), subjectId }],
    continuity: !continuityCriticalities.includes(record.criticality) ? undefined
      : record.planVersions.length > 0 ? []
      : [{ ...missing('NO_CONTINUITY_PLAN', 'ContinuityPlanRecorded', `${record.criticality} system ${record.name} has no continuity plan (RecordContinuityPlan)`), subjectId }],
    crypto: !s.crypto ? [{ ...missing('NO_CRYPTO_POLICY', 'CryptoPolicySet', `system ${record.name} has no crypto policy (SetCryptoPolicy)`), subjectId }]
      : s.crypto.shortfalls.length === 0 ? []
      : [{ code: 'CRYPTO_SHORTFALL', message: `the crypto policy of system ${record.name} falls short of ${s.crypto.edition}: ${s.crypto.shortfalls.join(', ')}`, missing: s.crypto.shortfalls.join(', '), subjectId }],
    internet: !record.internetFacing ? undefined
      : services.length === 0 ? [{ ...missing('NO_INTERNET_MEASURES', 'InternetServiceMeasuresRecorded', `internet-facing system ${record.name} has no service measures recorded (RecordInternetServiceMeasures)`), subjectId }]
      : services.flatMap(([name, svc]) => (svc.shortfalls.length === 0 ? [] : [{
        code: 'INTERNET_SHORTFALL', message: `service ${name} (${svc.domain}) of system ${record.name} falls short: ${svc.shortfalls.join(', ')}`, missing: svc.shortfalls.join(', '), subjectId,
      }])),
  }
  reasonCache.set(s, reasons)
  return reasons
}

const NO_SYSTEMS = 'no information system (not retired) is in the ledger: record the systems (RegisterInformationSystem) or confirm the agency has none'

export const complianceRules: readonly ArticleRule[] = [
  {
    article: 3, title: 'Risk evaluation', standards: ['2.4.1'],
    evidence: 'RiskAssessed, RiskRetired; duty RISK_REVIEW_OVERDUE',
    nonCompliant: 'no active risk assessment; a risk not reviewed by its review date', otherwise: '',
    evaluate: (ev) => judged([
      ...(Object.keys(ev.risks).length === 0 ? [missing('NO_RISK_ASSESSMENT', 'RiskAssessed', 'no active risk assessment: assess the risks to the agency (AssessRisk)')] : []),
      ...dutyReasons(ev, 'RISK_REVIEW_OVERDUE'),
    ]),
  },
  {
    article: 4, title: 'Policy documents', standards: ['2.1.2', '2.4.1'],
    evidence: 'BasicPolicyAdopted, StandardsAdopted, PolicyReviewed; risk (re)assessments and confirmed incidents make the review due',
    nonCompliant: 'no basic policy; no own standards; a review due since the risk picture changed', otherwise: '',
    evaluate: (ev) => judged([
      ...(ev.policy.basicVersion === undefined ? [missing('NO_BASIC_POLICY', 'BasicPolicyAdopted', 'no basic policy adopted (AdoptBasicPolicy)')] : []),
      ...(ev.policy.standardsVersion === undefined ? [missing('NO_STANDARDS', 'StandardsAdopted', 'no own standards adopted (AdoptStandards)')] : []),
      ...(ev.policy.reviewDueSince !== undefined ? [{ ...missing('POLICY_REVIEW_DUE', 'PolicyReviewed', 'the risk picture changed since the policy was last reviewed: review it (ReviewPolicy)'), since: ev.policy.reviewDueSince }] : []),
    ]),
  },
  {
    article: 5, title: 'Management system', standards: ['2.1.1'],
    evidence: 'CommitteeOrganized; duty ROLE_VACANT (CISO, CSIRT head, audit officer, general security officer without a holder today)',
    nonCompliant: 'no committee; a required role without a holder', otherwise: '',
    evaluate: (ev) => judged([
      ...(ev.committees === 0 ? [missing('NO_COMMITTEE', 'CommitteeOrganized', 'no information security committee organized (OrganizeCommittee)')] : []),
      ...dutyReasons(ev, 'ROLE_VACANT'),
    ]),
  },
  {
    article: 6, title: 'Promotion plan', standards: ['2.1.2'],
    evidence: 'PlanEstablished, PlanReviewed; risk changes and continuity exercises with findings make the review due; duty PLAN_MISSING',
    nonCompliant: 'no plan ever; no plan for the fiscal year after its grace period; a review due', otherwise: '',
    evaluate: (ev) => judged([
      ...(ev.plans.years.length === 0 ? [missing('NO_PLAN', 'PlanEstablished', 'no promotion plan established (EstablishPlan)')] : []),
      ...dutyReasons(ev, 'PLAN_MISSING'),
      ...(ev.plans.reviewDueSince !== undefined && ev.plans.years.length > 0 ? [{ ...missing('PLAN_REVIEW_DUE', 'PlanReviewed', 'the risk picture changed (or an exercise found something) since the plan was last reviewed: review it (ReviewPlan)'), since: ev.plans.reviewDueSince }] : []),
    ]),
  },
  {
    article: 7, title: 'Exceptional actions', standards: ['2.2.2'],
    evidence: 'Exception* (ExceptionBecameOverdue until an end report, closing or revocation)',
    nonCompliant: 'an approved exception past its period without an end report', otherwise: 'NOT_APPLICABLE: no exception ever requested or filed',
    evaluate: (ev) => judged(
      Object.entries(ev.exceptions.overdue).sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, o]) => ({
        code: 'EXCEPTION_OVERDUE', message: `exception ${id} ended ${o.dueAt} without an end report (ReportExceptionEnd)`, missing: 'ExceptionEndReported', subjectId: id, dueOn: o.dueAt,
      })),
      () => (ev.exceptions.filed === 0 ? other('NOT_APPLICABLE', 'NO_EXCEPTIONS', 'no exceptional action was requested or filed') : ok()),
    ),
  },
  {
    article: 8, title: 'Education', standards: ['2.2.3'],
    evidence: 'TrainingPlanned; duty TRAINING_NOT_DONE (a fiscal year ended with employees untrained)',
    nonCompliant: 'no training ever planned; employees untrained in an ended fiscal year', otherwise: '',
    evaluate: (ev) => judged([
      ...(ev.trainingPlans === 0 ? [missing('NO_TRAINING_PLAN', 'TrainingPlanned', 'no training planned (PlanTraining)')] : []),
      ...dutyReasons(ev, 'TRAINING_NOT_DONE'),
    ]),
  },
  {
    article: 9, title: 'Incident handling', standards: ['2.2.4', '2.1.1(7)'],
    evidence: 'duty INCIDENT_STEP_OVERDUE (triage, report to the CISO, notice to the national centre past the agency deadline)',
    nonCompliant: 'an incident step past its deadline', otherwise: '',
    evaluate: (ev) => judged(dutyReasons(ev, 'INCIDENT_STEP_OVERDUE')),
  },
  {
    article: 10, title: 'Self-check', standards: ['2.3.1'],
    evidence: 'SelfCheckPlanned; duties SELF_CHECK_NOT_DONE, SELF_CHECK_FIX_OVERDUE',
    nonCompliant: 'no self-check ever planned; an ended fiscal year without its evaluation; a fix past due', otherwise: '',
    evaluate: (ev) => judged([
      ...(ev.selfCheckPlans === 0 ? [missing('NO_SELF_CHECK_PLAN', 'SelfCheckPlanned', 'no self-check planned (PlanSelfCheck)')] : []),
      ...dutyReasons(ev, 'SELF_CHECK_NOT_DONE', 'SELF_CHECK_FIX_OVERDUE'),
    ]),
  },
  {
    article: 11, title: 'Audit', standards: ['2.3.2'],
    evidence: 'AuditPlanApproved; duties AUDIT_NOT_DONE, AUDIT_FINDING_OVERDUE',
    nonCompliant: 'no audit plan ever approved; an ended fiscal year without one; a finding past due', otherwise: '',
    evaluate: (ev) => judged([
      ...(ev.auditPlansApproved === 0 ? [missing('NO_AUDIT_PLAN', 'AuditPlanApproved', 'no audit plan approved by the CISO (PlanAudit, ApproveAuditPlan)')] : []),
      ...dutyReasons(ev, 'AUDIT_NOT_DONE', 'AUDIT_FINDING_OVERDUE'),
    ]),
  },
  {
    article: 12, title: 'Classification', standards: ['1.2', '3.1.1'],
    evidence: 'InformationClassified (every asset is classified when it is recorded)',
    nonCompliant: 'never (classification is enforced when information is recorded)', otherwise: 'UNKNOWN: no information asset recorded yet',
    evaluate: (ev) => (ev.assets === 0 ? other('UNKNOWN', 'NO_ASSETS', 'no information asset is recorded, so classification cannot be judged (ClassifyInformation)') : ok()),
  },
  {
    article: 13, title: 'Handling restrictions', standards: ['1.2', '3.1.1'],
    evidence: 'InformationClassified; ExceptionApproved lifting a restriction rule (NoTakeOut, NoCopy, ...)',
    nonCompliant: 'never (restrictions are checked at every step)', otherwise: 'EXCEPTION_APPROVED: an approved exception in force lifts a restriction; UNKNOWN: no asset recorded',
    evaluate: (ev) => withExceptions(ev, 13, ev.assets === 0 ? other('UNKNOWN', 'NO_ASSETS', 'no information asset is recorded, so handling restrictions cannot be judged') : ok()),
  },
  {
    article: 14, title: 'Information lifecycle', standards: ['3.1.1'],
    evidence: 'InformationClassified; ExceptionApproved lifting a lifecycle rule (PublishNotC1, UnsafeCarry, ...)',
    nonCompliant: 'never (each step is checked when recorded; a refused step is recorded, not applied)', otherwise: 'EXCEPTION_APPROVED: an approved exception in force lifts a lifecycle rule; UNKNOWN: no asset recorded',
    evaluate: (ev) => withExceptions(ev, 14, ev.assets === 0 ? other('UNKNOWN', 'NO_ASSETS', 'no information asset is recorded, so the lifecycle rules cannot be judged') : ok()),
  },
  {
    article: 15, title: 'Handling areas', standards: ['3.2.1'],
    evidence: 'AreaDefined, AreaMeasuresRecorded; ExceptionApproved lifting C3OutsideControlledArea',
    nonCompliant: 'no controlled area defined; an area without measures', otherwise: 'EXCEPTION_APPROVED: an approved exception in force lets C3 information be used outside a controlled area',
    evaluate: (ev) => withExceptions(ev, 15, judged([
      ...(Object.keys(ev.areas).length === 0 ? [missing('NO_CONTROLLED_AREA', 'AreaDefined', 'no controlled area (要管理対策区域) defined (DefineArea)')] : []),
      ...Object.entries(ev.areas).filter(([, a]) => a.measures === 0).sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([areaId, a]) => ({ ...missing('AREA_WITHOUT_MEASURES', 'AreaMeasuresRecorded', `controlled area ${a.name} has no measures recorded (RecordAreaMeasures)`), subjectId: areaId })),
    ])),
  },
  {
    article: 16, title: 'Outsourcing and supply chain', standards: ['4.1', '4.2', '4.3'],
    evidence: 'ContractRecorded (a contract is refused unless the contractor qualifies and the clauses are listed); duty CONTRACT_ERASURE_OVERDUE',
    nonCompliant: "an ended contract whose information's return or erasure is not confirmed in time", otherwise: 'NOT_APPLICABLE: no contract recorded',
    evaluate: (ev) => judged(dutyReasons(ev, 'CONTRACT_ERASURE_OVERDUE'), () => (ev.contracts === 0 ? other('NOT_APPLICABLE', 'NO_CONTRACTS', 'no contracted work is recorded') : ok())),
  },
  {
    article: 17, title: 'System documents and ledger', standards: ['5.1'],
    evidence: 'SystemRegistered, SystemLedgerUpdated, SystemDocumentRecorded (the ledger fields and the DESIGN and OPERATION_MANUAL documents)',
    nonCompliant: 'a system whose ledger entry lacks a field or document', otherwise: 'UNKNOWN: no system in the ledger',
    evaluate: (ev) => {
      const systems = liveSystems(ev)
      if (systems.length === 0) return other('UNKNOWN', 'NO_SYSTEMS', NO_SYSTEMS)
      return judged(systems.flatMap((s) => perSystem(s).ledger))
    },
  },
  {
    article: 18, title: 'System lifecycle', standards: ['5.2', '5.3', '5.4', '5.5', '5.6'],
    evidence: 'SystemStageChanged, SystemReviewed; duty SYSTEM_REVIEW_OVERDUE',
    nonCompliant: 'a system past its review date', otherwise: 'UNKNOWN: no system in the ledger',
    evaluate: (ev) => judged(dutyReasons(ev, 'SYSTEM_REVIEW_OVERDUE'), () => (liveSystems(ev).length === 0 ? other('UNKNOWN', 'NO_SYSTEMS', NO_SYSTEMS) : ok())),
  },
  {
    article: 19, title: 'Continuity', standards: ['5.7'],
    evidence: 'ContinuityPlanRecorded, ContinuityExerciseHeld for HIGH and CRITICAL systems',
    nonCompliant: 'a HIGH or CRITICAL system without a continuity plan', otherwise: 'NOT_APPLICABLE: no HIGH or CRITICAL system; UNKNOWN: no system in the ledger',
    evaluate: (ev) => {
      const systems = liveSystems(ev)
      if (systems.length === 0) return other('UNKNOWN', 'NO_SYSTEMS', NO_SYSTEMS)
      const critical = systems.filter((s) => perSystem(s).continuity !== undefined)
      if (critical.length === 0) return other('NOT_APPLICABLE', 'NO_CRITICAL_SYSTEMS', 'no HIGH or CRITICAL information system is in the ledger')
      return judged(critical.flatMap((s) => perSystem(s).continuity ?? []))
    },
  },
  {
    article: 20, title: 'Encryption and signatures', standards: ['6.5'],
    evidence: 'CryptoPolicySet, evaluated against the CRYPTREC list edition it names',
    nonCompliant: 'a system without a crypto policy; a policy that falls short of the list', otherwise: 'UNKNOWN: no system in the ledger',
    evaluate: (ev) => {
      const systems = liveSystems(ev)
      if (systems.length === 0) return other('UNKNOWN', 'NO_SYSTEMS', NO_SYSTEMS)
      return judged(systems.flatMap((s) => perSystem(s).crypto))
    },
  },
  {
    article: 21, title: 'Internet services', standards: ['6.11', '7.5'],
    evidence: 'InternetServiceMeasuresRecorded for internet-facing systems (TLS, domain authenticity, mail authentication, no insecure content)',
    nonCompliant: 'an internet-facing system without measures recorded, or with shortfalls', otherwise: 'NOT_APPLICABLE: no internet-facing system; UNKNOWN: no system in the ledger',
    evaluate: (ev) => {
      const systems = liveSystems(ev)
      if (systems.length === 0) return other('UNKNOWN', 'NO_SYSTEMS', NO_SYSTEMS)
      const facing = systems.filter((s) => perSystem(s).internet !== undefined)
      if (facing.length === 0) return other('NOT_APPLICABLE', 'NO_INTERNET_SERVICES', 'no internet-facing information system is in the ledger')
      return judged(facing.flatMap((s) => perSystem(s).internet ?? []))
    },
  },
  {
    article: 22, title: 'System use', standards: ['8.1', '8.2'],
    evidence: 'UsageRulesPublished',
    nonCompliant: 'no usage rules published', otherwise: '',
    evaluate: (ev) => judged(ev.usageRulesVersions === 0 ? [missing('NO_USAGE_RULES', 'UsageRulesPublished', 'no rules for employees using the systems published (PublishUsageRules)')] : []),
  },
]

export const complianceArticles = complianceRules.map((r) => r.article)

const ruleOf = new Map(complianceRules.map((r) => [r.article, r]))

/** Every article's status from the evidence (or only the articles named). */
export function evaluateCompliance(ev: Evidence, articles?: readonly number[]): Map<number, ArticleStatus> {
  const rules = articles === undefined ? complianceRules : articles.flatMap((a) => ruleOf.get(a) ?? [])
  return new Map(rules.map((r) => [r.article, r.evaluate(ev)]))
}

/** Worst first: how an own-standards item or a roll-up summarises several statuses. */
const severity: Record<ComplianceStatus, number> = { NON_COMPLIANT: 4, UNKNOWN: 3, EXCEPTION_APPROVED: 2, COMPLIANT: 1, NOT_APPLICABLE: 0 }
export function worstStatus(statuses: readonly ComplianceStatus[]): ComplianceStatus {
  return statuses.reduce<ComplianceStatus>((w, s) => (severity[s] > severity[w] ? s : w), 'NOT_APPLICABLE')
}

/** Whether a Common Standards code an own-standards item covers falls under one of the article's items ("2.1.1(3)" under "2.1.1"; "5" covers "5.1"). */
export function coversStandard(cover: string, standard: string): boolean {
  return cover === standard || cover.startsWith(`${standard}(`) || cover.startsWith(`${standard}.`) || standard.startsWith(`${cover}.`) || standard.startsWith(`${cover}(`)
}

/** The articles an own-standards item maps to, through the Common Standards codes it covers. */
export function articlesOfItem(covers: readonly string[]): number[] {
  return complianceRules.filter((r) => r.standards.some((s) => covers.some((c) => coversStandard(c, s)))).map((r) => r.article)
}

/** Two statuses differ for the history when anything a reader sees differs (status, reasons with their words and dates, exceptions). */
export function sameStatus(a: ArticleStatus, b: ArticleStatus): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

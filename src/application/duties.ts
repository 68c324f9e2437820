// The time-driven duties (src/domain/compliance/duties.ts) of one agency at one instant: the read models
// say what is overdue (projections/duty-queries.ts), the rules here turn that into candidates with a
// sentence a portal can show, and ReconcileDuties records what changed since the last pass. Run by the
// scheduler as the service itself.
import { randomUUID } from 'node:crypto'
import {
  dutiesDecider, dutiesStreamId, dutyKindCodes, requiredRoles, type DutyCandidate, type DutyEvent, type DutyKind, type ReconcileDuties,
} from '../domain/compliance/duties.js'
import type { Decider } from '../domain/shared/decider.js'
import { fiscalYearBounds, fiscalYearOf, tokyoDate } from '../domain/shared/fiscal-year.js'
import type { DeadlineRules } from '../domain/shared/settings.js'
import { agenciesProjection } from '../projections/agencies.js'
import { assuranceProjection } from '../projections/assurance.js'
import {
  agencyDutyFacts, lateIncidentSteps, pastDueRecords, readModelsCurrent, type AgencyDutyFacts, type LateIncidentStep, type PastDueRecord,
} from '../projections/duty-queries.js'
import { incidentsProjection } from '../projections/incidents.js'
import { organisationProjection } from '../projections/organisation.js'
import { plansProjection } from '../projections/plans.js'
import { risksProjection } from '../projections/risks.js'
import { suppliersProjection } from '../projections/suppliers.js'
import { systemsProjection } from '../projections/systems.js'
import { employeesShortOfTraining } from '../projections/training-queries.js'
import { trainingProjection } from '../projections/training.js'
import { runCommand, type Services } from './command-runner.js'
import type { Principal, RequestContext } from './context.js'

/** The read models the rules read: a pass waits until each has applied the agency's log. */
const READ_MODELS = [agenciesProjection, organisationProjection, plansProjection, trainingProjection, risksProjection, assuranceProjection, incidentsProjection, systemsProjection, suppliersProjection]
  .map((p) => p.name)

const DAY_MS = 86_400_000
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
/** Record names quoted in a sentence, kept short so that the sentence fits a portal line (and the 500 characters of `detail`). */
const quote = (text: string) => `"${text.length > 120 ? `${text.slice(0, 119)}…` : text}"`
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

export interface DutiesOutcome {
  /** False when a read model had not applied the agency's log yet: nothing was judged (the next pass will). */
  judged: boolean
  overdue: number
  discharged: number
}

/** What one pass found overdue, and the subjects of the kinds it judged for some subjects only. */
export interface DutyFindings { overdue: DutyCandidate[]; checkedSubjects: ReconcileDuties['data']['checkedSubjects'] }

interface Day { today: string; fiscalYear: number; registeredOn: string }

function roleDuties(facts: AgencyDutyFacts, day: Day): DutyCandidate[] {
  // A new agency has its first day to appoint its officers.
  if (day.registeredOn >= day.today) return []
  return requiredRoles.filter((role) => !facts.heldRoles.includes(role)).map((role) => ({
    kind: 'ROLE_VACANT', subjectId: role, dueOn: day.today, missing: [], detail: `No one holds the role ${role} agency-wide on ${day.today}.`,
  }))
}

function planDuty(facts: AgencyDutyFacts, day: Day): DutyCandidate[] {
  const { start } = fiscalYearBounds(day.fiscalYear)
  const dueOn = addDays(day.registeredOn > start ? day.registeredOn : start, facts.settings.deadlines.planGraceDays)
  if (facts.planEstablished || dueOn >= day.today) return []
  return [{ kind: 'PLAN_MISSING', subjectId: String(day.fiscalYear), dueOn, missing: [], detail: `No promotion plan was established for FY${day.fiscalYear} by ${dueOn}.` }]
}

/** The duties of the fiscal year that ended last; none when it ended before the agency was registered. */
function pastYearDuties(facts: AgencyDutyFacts, day: Day, untrained: readonly string[]): DutyCandidate[] {
  const year = day.fiscalYear - 1
  const { end } = fiscalYearBounds(year)
  if (end < day.registeredOn) return []
  const base = { subjectId: String(year), dueOn: end }
  const duties: DutyCandidate[] = []
  if (untrained.length > 0) {
    duties.push({ ...base, kind: 'TRAINING_NOT_DONE', missing: [...untrained], detail: `${plural(untrained.length, 'employee', 'employees')} did not complete the required training in FY${year}.` })
  }
  if (!facts.selfCheck?.evaluated) {
    const why = facts.selfCheck === undefined ? 'no self-check was planned' : `the self-check stopped at ${facts.selfCheck.status}`
    duties.push({ ...base, kind: 'SELF_CHECK_NOT_DONE', missing: [], detail: `FY${year} ended without its self-check evaluated (${why}).` })
  }
  if (!facts.auditApproved) {
    duties.push({ ...base, kind: 'AUDIT_NOT_DONE', missing: [], detail: `FY${year} ended without an audit whose plan the CISO approved.` })
  }
  return duties
}

const datedSentence: Record<PastDueRecord['kind'], (r: PastDueRecord) => string> = {
  RISK_REVIEW_OVERDUE: (r) => `Risk ${quote(r.label)} was due for review by ${r.dueOn}.`,
  SELF_CHECK_FIX_OVERDUE: (r) => `Fix ${quote(r.label)} ordered after the FY${r.note ?? '?'} self-check was due by ${r.dueOn}.`,
  AUDIT_FINDING_OVERDUE: (r) => `Audit finding on ${r.note ?? '?'} (${quote(r.label)}) was due to be closed by ${r.dueOn}.`,
  SYSTEM_REVIEW_OVERDUE: (r) => `Information system ${quote(r.label)} was due for review by ${r.dueOn}.`,
  CONTRACT_ERASURE_OVERDUE: (r) => `Contract ${quote(r.label)} ended on ${r.note ?? '?'}; the return or erasure of the information was due to be confirmed by ${r.dueOn}.`,
}

const datedDuty = (r: PastDueRecord): DutyCandidate => ({ kind: r.kind, subjectId: r.id, dueOn: r.dueOn, missing: [], detail: datedSentence[r.kind](r) })

const stepSentence: Record<LateIncidentStep['step'], (title: string, d: DeadlineRules) => string> = {
  TRIAGE: (title, d) => `Incident ${title} was not triaged within ${d.incidentTriageHours} hours of its report`,
  CISO_REPORT: (title, d) => `Incident ${title} was not reported to the CISO within ${d.incidentCisoReportHours} hours of its assessment`,
  NATIONAL_CENTRE: (title, d) => `The national centre was not notified of incident ${title} within ${d.nationalCentreNoticeHours} hours of its assessment`,
}

const incidentDuty = (s: LateIncidentStep, d: DeadlineRules): DutyCandidate => ({
  kind: 'INCIDENT_STEP_OVERDUE', subjectId: `${s.incidentId}:${s.step}`, dueOn: tokyoDate(s.dueAt), missing: [],
  detail: `${stepSentence[s.step](quote(s.title), d)} (due ${s.dueAt}).`,
})

/** Every duty of the agency overdue at `now` (a few queries); undefined for an agency the read models do not know. */
export async function findDuties(pool: Services['pool'], agencyId: string, now: string): Promise<DutyFindings | undefined> {
  const today = tokyoDate(now)
  const fiscalYear = fiscalYearOf(today)
  const facts = await agencyDutyFacts(pool, agencyId, { today, roles: requiredRoles, planYear: fiscalYear, pastYear: fiscalYear - 1 })
  if (!facts) return undefined
  const day: Day = { today, fiscalYear, registeredOn: tokyoDate(facts.registeredAt) }
  const { deadlines } = facts.settings
  const [records, steps, untrained] = await Promise.all([
    pastDueRecords(pool, agencyId, today, deadlines.contractErasureDays),
    lateIncidentSteps(pool, agencyId, now, deadlines),
    employeesShortOfTraining(pool, { agencyId, fiscalYear: fiscalYear - 1, asOf: today }),
  ])
  const overdue = [
    ...roleDuties(facts, day), ...planDuty(facts, day), ...pastYearDuties(facts, day, untrained),
    ...records.map(datedDuty), ...steps.map((s) => incidentDuty(s, deadlines)),
  ]
  // The fiscal-year duties judge one year each pass; an open duty of an older year is superseded (discharged with reason SUPERSEDED).
  const yearly: [DutyKind, number][] = [['PLAN_MISSING', fiscalYear], ['TRAINING_NOT_DONE', fiscalYear - 1], ['SELF_CHECK_NOT_DONE', fiscalYear - 1], ['AUDIT_NOT_DONE', fiscalYear - 1]]
  return { overdue, checkedSubjects: yearly.map(([kind, year]) => ({ kind, subjectIds: [String(year)] })) }
}

/**
 * One pass over the agency's duties at `now`: records the duties that became overdue and discharges those no
 * longer found (done late, or no longer required). Repeating it appends nothing; it judges nothing while a
 * read model it reads is behind the agency's log.
 */
export async function reconcileDuties(services: Services, agencyId: string, now: Date, ctx?: RequestContext): Promise<DutiesOutcome> {
  const at = now.toISOString()
  if (!(await readModelsCurrent(services.pool, agencyId, READ_MODELS))) return { judged: false, overdue: 0, discharged: 0 }
  const findings = await findDuties(services.pool, agencyId, at)
  if (!findings) return { judged: false, overdue: 0, discharged: 0 }
  const principal: Principal = { agencyId, actorId: 'scheduler', roles: [], tokenId: 'scheduler', system: true }
  // What the decider decided on its last attempt (a version conflict decides again) is what was appended.
  let decided: DutyEvent[] = []
  const recording: Decider<ReconcileDuties, DutyEvent, ReturnType<typeof dutiesDecider.initialState>> = {
    ...dutiesDecider, decide: (command, state) => (decided = dutiesDecider.decide(command, state)),
  }
  const result = await runCommand({ store: services.store, clock: { now: () => now } }, principal, ctx ?? { correlationId: randomUUID(), causationId: `scheduler:${at}`, source: 'scheduler' }, {
    decider: recording, streamId: dutiesStreamId,
    command: { type: 'ReconcileDuties', data: { checked: dutyKindCodes, ...findings } },
    fingerprint: { agencyId, at },
  })
  if (result.appended === 0) return { judged: true, overdue: 0, discharged: 0 }
  return {
    judged: true,
    overdue: decided.filter((e) => e.type === 'DutyBecameOverdue').length,
    discharged: decided.filter((e) => e.type === 'DutyDischarged').length,
  }
}

// Time-driven duties (Art. 3–18): what falls due because time passed rather than because someone acted —
// a fiscal year ended without its self-check, a finding's due date passed. The scheduler finds them in the
// read models and reconciles them into the agency's `compliance-duties` stream, so each becomes an event
// (DutyBecameOverdue) and, once done after all or no longer required, another (DutyDischarged): the
// history of the compliance status is itself in the log. Kinds, their articles and the recalled defaults
// are data.
import { z } from 'zod'
import type { Command, Decider, DomainEvent } from '../shared/decider.js'
import { DomainError } from '../shared/errors.js'
import type { Role } from '../shared/roles.js'

export interface DutyKindRule {
  article: number
  /** What the subject id names. */
  subject: 'RISK' | 'ROLE' | 'FISCAL_YEAR' | 'INCIDENT_STEP' | 'FIX' | 'FINDING' | 'SYSTEM' | 'CONTRACT'
  /** Confidence of the rule (domain.md tags): S stated, C confirmed, P practice, R recalled. */
  confidence: 'S' | 'C' | 'P' | 'R'
  text: string
}

export const dutyKinds = {
  RISK_REVIEW_OVERDUE: { article: 3, subject: 'RISK', confidence: 'S', text: 'a risk assessment not reviewed by its review date (Art. 3 §2)' },
  ROLE_VACANT: { article: 5, subject: 'ROLE', confidence: 'C', text: 'a role the management system requires has no holder today (CISO; CSIRT head; audit officer; general security officer)' },
  PLAN_MISSING: { article: 6, subject: 'FISCAL_YEAR', confidence: 'R', text: 'no promotion plan for the fiscal year once its grace period has passed' },
  TRAINING_NOT_DONE: { article: 8, subject: 'FISCAL_YEAR', confidence: 'R', text: 'a fiscal year ended with employees who had not completed the trainings required of them' },
  INCIDENT_STEP_OVERDUE: { article: 9, subject: 'INCIDENT_STEP', confidence: 'R', text: "an incident step not taken within the agency's deadline (triage, report to the CISO, notice to the national centre)" },
  SELF_CHECK_NOT_DONE: { article: 10, subject: 'FISCAL_YEAR', confidence: 'R', text: 'a fiscal year ended without its self-check evaluated' },
  SELF_CHECK_FIX_OVERDUE: { article: 10, subject: 'FIX', confidence: 'P', text: 'a fix ordered after a self-check not completed by its due date' },
  AUDIT_NOT_DONE: { article: 11, subject: 'FISCAL_YEAR', confidence: 'R', text: 'a fiscal year ended without a CISO-approved audit plan' },
  AUDIT_FINDING_OVERDUE: { article: 11, subject: 'FINDING', confidence: 'P', text: 'an audit finding not closed by its due date' },
  CONTRACT_ERASURE_OVERDUE: { article: 16, subject: 'CONTRACT', confidence: 'P', text: "a contract ended without the return or erasure of the agency's information confirmed within the grace period" },
  SYSTEM_REVIEW_OVERDUE: { article: 18, subject: 'SYSTEM', confidence: 'P', text: 'an information system (not retired) not reviewed by its review date' },
} as const satisfies Record<string, DutyKindRule>

/**
 * Roles someone must hold agency-wide every day (ROLE_VACANT): the CISO (Art. 5 §1) [S]; the CSIRT head, the
 * audit officer and the general security officer (Standards 2.1.1) [C].
 */
export const requiredRoles = ['CISO', 'CSIRT_HEAD', 'AUDIT_OFFICER', 'GENERAL_SECURITY_OFFICER'] as const satisfies readonly Role[]

export type DutyKind = keyof typeof dutyKinds
export const dutyKindCodes = Object.keys(dutyKinds) as DutyKind[]
export const DutyKind = z.enum(dutyKindCodes as [DutyKind, ...DutyKind[]])

/** Most missing items (employees, ...) named in one event; `missingCount` says how many there were. */
export const MAX_MISSING = 50

export const DutyCandidate = z.object({
  kind: DutyKind,
  /** What is overdue: a fiscal year ("2025"), a finding id, "<incidentId>:<step>", a role code... */
  subjectId: z.string().min(1).max(200),
  /** The Japan date it was due (the day after which it counts as overdue). */
  dueOn: z.iso.date(),
  /** One sentence: what is missing. */
  detail: z.string().min(1).max(500),
  missing: z.array(z.string().max(200)).max(10_000).default([]),
})
export type DutyCandidate = z.output<typeof DutyCandidate>

export const ReconcileDutiesInput = z.object({
  /** The kinds this pass looked for: an open duty of these kinds that is no longer a candidate is discharged. */
  checked: z.array(DutyKind).min(1),
  /**
   * Kinds this pass judged for some subjects only (the fiscal-year duties judge the year that ended last):
   * an open duty of such a kind about another subject stays as it is.
   */
  checkedSubjects: z.array(z.object({ kind: DutyKind, subjectIds: z.array(z.string().min(1).max(200)).max(100) })).default([]),
  overdue: z.array(DutyCandidate),
})
export type ReconcileDuties = Command<'ReconcileDuties', z.output<typeof ReconcileDutiesInput>>

export const dutyIdOf = (kind: DutyKind, subjectId: string) => `${kind}:${subjectId}`

export type DutyBecameOverdue = DomainEvent<'DutyBecameOverdue', {
  dutyId: string; kind: DutyKind; article: number; subjectId: string; dueOn: string; detail: string
  missing: string[]; missingCount: number; at: string
}>
/**
 * FULFILLED: the scheduler no longer finds it overdue (done late, or no longer required). SUPERSEDED: a
 * fiscal-year duty of an older year once a later year has been judged (the status follows the latest judged
 * year; the older year's breach stays in the history).
 */
export type DutyDischarged = DomainEvent<'DutyDischarged', { dutyId: string; kind: DutyKind; article: number; subjectId: string; reason?: 'FULFILLED' | 'SUPERSEDED' | undefined; at: string }>
export type DutyEvent = DutyBecameOverdue | DutyDischarged
export const dutyEventTypes = ['DutyBecameOverdue', 'DutyDischarged'] as const satisfies readonly DutyEvent['type'][]

export interface OpenDuty { kind: DutyKind; subjectId: string }
export interface DutiesState { open: Record<string, OpenDuty> }

function evolve(state: DutiesState, event: DutyEvent): DutiesState {
  switch (event.type) {
    case 'DutyBecameOverdue': return { open: { ...state.open, [event.data.dutyId]: { kind: event.data.kind, subjectId: event.data.subjectId } } }
    case 'DutyDischarged': {
      const { [event.data.dutyId]: _gone, ...open } = state.open
      return { open }
    }
  }
}

/**
 * Whether this pass judged `kind` for `subjectId`: every kind checked, narrowed to its subjects where they are
 * named; and whether an open fiscal-year duty is superseded (older than every year judged for its kind).
 */
function judgedBy(command: ReconcileDuties) {
  const checked = new Set(command.data.checked)
  const subjects = new Map<DutyKind, Set<string>>()
  for (const { kind, subjectIds } of command.data.checkedSubjects) {
    if (!checked.has(kind)) throw new DomainError('DutyKindNotChecked', `subjects of ${kind} are named but ${kind} is not among the kinds checked`, { kind })
    subjects.set(kind, new Set([...(subjects.get(kind) ?? []), ...subjectIds]))
  }
  const judged = (kind: DutyKind, subjectId: string) => checked.has(kind) && (subjects.get(kind)?.has(subjectId) ?? true)
  const superseded = (kind: DutyKind, subjectId: string) => {
    const named = subjects.get(kind)
    if (!checked.has(kind) || dutyKinds[kind].subject !== 'FISCAL_YEAR' || !named || named.size === 0 || !/^\d{4}$/.test(subjectId)) return false
    return [...named].every((year) => /^\d{4}$/.test(year) && Number(subjectId) < Number(year))
  }
  return { judged, superseded }
}

/** New overdue duties become events; open ones this pass judged that are no longer found are discharged. Repeating a pass appends nothing. */
function reconcile(command: ReconcileDuties, state: DutiesState): DutyEvent[] {
  const at = command.metadata.now
  const { judged, superseded } = judgedBy(command)
  const found = new Map<string, DutyCandidate>()
  for (const c of command.data.overdue) {
    if (!judged(c.kind, c.subjectId)) {
      throw new DomainError('DutyKindNotChecked', `a ${c.kind} duty about ${c.subjectId} was found but that kind (or subject) is not among those checked`, { kind: c.kind, subjectId: c.subjectId })
    }
    const id = dutyIdOf(c.kind, c.subjectId)
    if (found.has(id)) throw new DomainError('DuplicateDuty', `duty ${id} is named twice`, { dutyId: id })
    found.set(id, c)
  }
  const events: DutyEvent[] = []
  for (const [dutyId, c] of found) {
    if (state.open[dutyId]) continue
    const missing = [...new Set(c.missing)].sort()
    events.push({
      type: 'DutyBecameOverdue',
      data: { dutyId, kind: c.kind, article: dutyKinds[c.kind].article, subjectId: c.subjectId, dueOn: c.dueOn, detail: c.detail, missing: missing.slice(0, MAX_MISSING), missingCount: missing.length, at },
    })
  }
  for (const [dutyId, open] of Object.entries(state.open).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (found.has(dutyId)) continue
    const reason = judged(open.kind, open.subjectId) ? 'FULFILLED' : superseded(open.kind, open.subjectId) ? 'SUPERSEDED' : undefined
    if (reason === undefined) continue
    events.push({ type: 'DutyDischarged', data: { dutyId, kind: open.kind, article: dutyKinds[open.kind].article, subjectId: open.subjectId, reason, at } })
  }
  return events
}

export const dutiesDecider: Decider<ReconcileDuties, DutyEvent, DutiesState> = {
  streamType: 'compliance-duties',
  initialState: () => ({ open: {} }),
  evolve,
  decide: (command, state) => reconcile(command, state),
}

/** One stream per agency. */
export const dutiesStreamId = 'compliance-duties'

// What the scheduler's duty pass reads (src/application/duties.ts turns it into duties). Per agency a few
// set-based queries over the read models, never one per record: the agency's facts, the dated records past
// due, the incident steps past their deadline; the employees short of training are in training-queries.ts.
import type pg from 'pg'
import type { DutyKind } from '../domain/compliance/duties.js'
import type { Role } from '../domain/shared/roles.js'
import { settingsOf, type AgencySettings, type DeadlineRules } from '../domain/shared/settings.js'

export interface AgencyDutyFacts {
  /** When the agency was registered (ISO instant). */
  registeredAt: string
  settings: AgencySettings
  /** Of the roles asked about, those someone employed holds agency-wide on the day (an assignment; a delegation presupposes one). */
  heldRoles: Role[]
  /** A promotion plan exists for `planYear`. */
  planEstablished: boolean
  /** The self-check of `pastYear` (undefined: none was planned); evaluated once SelfCheckEvaluated was recorded. */
  selfCheck: { status: string; evaluated: boolean } | undefined
  /** An audit of `pastYear` whose plan was approved (ApproveAuditPlan is the CISO's alone). */
  auditApproved: boolean
}

export interface FactsQuery { today: string; roles: readonly Role[]; planYear: number; pastYear: number }

/** The agency's facts for the duty rules (one query); undefined for an agency the read model does not know. */
export async function agencyDutyFacts(pool: pg.Pool, agencyId: string, q: FactsQuery): Promise<AgencyDutyFacts | undefined> {
  const { rows } = await pool.query<{
    registered_at: Date; settings: unknown; held_roles: Role[]; plan_established: boolean; self_check_status: string | null; self_check_evaluated: boolean; audit_approved: boolean
  }>(
    `SELECT a.registered_at, a.settings,
            ARRAY(SELECT DISTINCT r.role FROM role_assignments r
                    JOIN employees e ON e.agency_id = r.agency_id AND e.employee_id = r.employee_id
                   WHERE r.agency_id = a.agency_id AND r.role = ANY($3::text[]) AND r.scope->>'kind' = 'AGENCY'
                     AND r.valid_from <= $2::date AND (r.valid_to IS NULL OR r.valid_to >= $2::date)
                     AND e.joined_on <= $2::date AND (e.departed_on IS NULL OR e.departed_on >= $2::date)
                   ORDER BY r.role) AS held_roles,
            EXISTS (SELECT 1 FROM plans p WHERE p.agency_id = a.agency_id AND p.fiscal_year = $4) AS plan_established,
            s.status AS self_check_status, coalesce(s.evaluation IS NOT NULL, false) AS self_check_evaluated,
            EXISTS (SELECT 1 FROM audits au WHERE au.agency_id = a.agency_id AND au.fiscal_year = $5 AND au.approval IS NOT NULL) AS audit_approved
       FROM agencies a LEFT JOIN self_checks s ON s.agency_id = a.agency_id AND s.fiscal_year = $5
      WHERE a.agency_id = $1`,
    [agencyId, q.today, q.roles, q.planYear, q.pastYear])
  const r = rows[0]
  if (!r) return undefined
  return {
    registeredAt: r.registered_at.toISOString(), settings: settingsOf(r.settings), heldRoles: r.held_roles, planEstablished: r.plan_established,
    selfCheck: r.self_check_status === null ? undefined : { status: r.self_check_status, evaluated: r.self_check_evaluated }, auditApproved: r.audit_approved,
  }
}

export type DatedDutyKind = Extract<DutyKind, 'RISK_REVIEW_OVERDUE' | 'SELF_CHECK_FIX_OVERDUE' | 'AUDIT_FINDING_OVERDUE' | 'CONTRACT_ERASURE_OVERDUE' | 'SYSTEM_REVIEW_OVERDUE'>

/** A record past the date it was due by: its id, that date, what it is called, and one more fact for the sentence. */
export interface PastDueRecord { kind: DatedDutyKind; id: string; dueOn: string; label: string; note: string | null }

/**
 * Records due before `today` and not done (one query): active risks past their review date, self-check fixes
 * not completed, audit findings not closed, systems in service past their review date, and contracts whose
 * information was not confirmed returned or erased `erasureDays` after they ended (ContractEnded, or the end of
 * the contract period for one never recorded as ended).
 */
export async function pastDueRecords(pool: pg.Pool, agencyId: string, today: string, erasureDays: number): Promise<PastDueRecord[]> {
  const { rows } = await pool.query<{ kind: DatedDutyKind; id: string; due_on: string; label: string; note: string | null }>(
    `SELECT 'RISK_REVIEW_OVERDUE' AS kind, risk_id AS id, review_by::text AS due_on, title AS label, NULL::text AS note
       FROM risks WHERE agency_id = $1 AND NOT retired AND review_by < $2::date
     UNION ALL
     SELECT 'SELF_CHECK_FIX_OVERDUE', fix_id, due_on::text, description, fiscal_year::text
       FROM self_check_fixes WHERE agency_id = $1 AND completed_at IS NULL AND due_on < $2::date
     UNION ALL
     SELECT 'AUDIT_FINDING_OVERDUE', finding_id, due_on::text, description, standards_code
       FROM audit_findings WHERE agency_id = $1 AND status <> 'CLOSED' AND due_on < $2::date
     UNION ALL
     SELECT 'SYSTEM_REVIEW_OVERDUE', system_id, review_due_on, name, NULL
       FROM information_systems WHERE agency_id = $1 AND stage <> 'RETIRED' AND review_due_on IS NOT NULL AND review_due_on < $2::date::text
     UNION ALL
     SELECT 'CONTRACT_ERASURE_OVERDUE', contract_id, (coalesce(ended_on, valid_to) + $3::int)::text, subject, coalesce(ended_on, valid_to)::text
       FROM contracts WHERE agency_id = $1 AND status <> 'CLOSED' AND information_return IS NULL
        AND (ended_on IS NOT NULL OR valid_to < $2::date) AND coalesce(ended_on, valid_to) + $3::int < $2::date
     ORDER BY 1, 2`,
    [agencyId, today, erasureDays])
  return rows.map((r) => ({ kind: r.kind, id: r.id, dueOn: r.due_on, label: r.label, note: r.note }))
}

export type IncidentStep = 'TRIAGE' | 'CISO_REPORT' | 'NATIONAL_CENTRE'
export interface LateIncidentStep { incidentId: string; title: string; step: IncidentStep; dueAt: string }

/**
 * Steps of open incidents not taken by their deadline at `now` (one query): triage counted from the report;
 * the report to the CISO and the notice to the national centre from the triage that assessed it an incident
 * (the incidents read model keeps each step's time in `detail`).
 */
export async function lateIncidentSteps(pool: pg.Pool, agencyId: string, now: string, d: DeadlineRules): Promise<LateIncidentStep[]> {
  const { rows } = await pool.query<{ incident_id: string; title: string; step: IncidentStep; due_at: Date }>(
    `WITH open AS (
       SELECT incident_id, title, reported_at, assessment, (detail->'triage'->>'at')::timestamptz AS triaged_at,
              detail ? 'triage' AS triaged, detail ? 'cisoReport' AS reported_to_ciso, detail ? 'notification' AS notified
         FROM incidents WHERE agency_id = $1 AND closed_at IS NULL
     ), due AS (
       SELECT incident_id, title, 'TRIAGE' AS step, reported_at + make_interval(hours => $3) AS due_at FROM open WHERE NOT triaged
       UNION ALL
       SELECT incident_id, title, 'CISO_REPORT', triaged_at + make_interval(hours => $4) FROM open WHERE assessment = 'INCIDENT' AND NOT reported_to_ciso
       UNION ALL
       SELECT incident_id, title, 'NATIONAL_CENTRE', triaged_at + make_interval(hours => $5) FROM open WHERE assessment = 'INCIDENT' AND NOT notified
     )
     SELECT incident_id, title, step, due_at FROM due WHERE due_at < $2::timestamptz ORDER BY incident_id, step`,
    [agencyId, now, d.incidentTriageHours, d.incidentCisoReportHours, d.nationalCentreNoticeHours])
  return rows.map((r) => ({ incidentId: r.incident_id, title: r.title, step: r.step, dueAt: r.due_at.toISOString() }))
}

/**
 * Whether each of `projections` has applied the agency's whole log: a duty is judged only on read models
 * that are current, so a lagging one never makes a duty overdue or discharges one for a moment.
 */
export async function readModelsCurrent(pool: pg.Pool, agencyId: string, projections: readonly string[]): Promise<boolean> {
  const { rows } = await pool.query<{ current: boolean }>(
    `SELECT count(c.projection) = cardinality($2::text[]) AND coalesce(min(c.position), 0) >= h.position AS current
       FROM agency_heads h LEFT JOIN projection_checkpoints c ON c.agency_id = h.agency_id AND c.projection = ANY($2::text[])
      WHERE h.agency_id = $1 GROUP BY h.position`,
    [agencyId, projections])
  return rows[0]?.current ?? false
}

/** Every registered agency (the agencies read model), by id: the duty pass visits each. */
export async function registeredAgencyIds(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ agency_id: string }>('SELECT agency_id FROM agencies ORDER BY agency_id')
  return rows.map((r) => r.agency_id)
}

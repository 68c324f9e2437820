// Read models of the self-check (Art. 10) and the audit (Art. 11), built from their events with
// set-based writes (RowBatch: one upsert of new rows, one UPDATE per changed column set). Queries that
// read them are in assurance-queries.ts.
import type pg from 'pg'
import { auditEventTypes, type AuditEvent } from '../domain/audit/events.js'
import { selfCheckEventTypes, type SelfCheckEvent } from '../domain/self-check/events.js'
import { RowBatch } from './row-batch.js'
import type { ProjectedEvent, Projection, TableNames } from './types.js'

type Tables = 'self_checks' | 'self_check_results' | 'self_check_fixes' | 'audits' | 'audit_findings' | 'audit_follow_ups'

interface Batches {
  selfChecks: RowBatch
  results: RowBatch
  fixes: RowBatch
  audits: RowBatch
  findings: RowBatch
  followUps: RowBatch
}

/** Every event moves its record's position and time, whatever else it changes. */
const touched = (e: ProjectedEvent) => ({ last_position: e.position, updated_at: e.recordedAt })

function applySelfCheck(b: Batches, e: ProjectedEvent, event: SelfCheckEvent): void {
  const key = { agency_id: e.agencyId, fiscal_year: event.data.fiscalYear }
  switch (event.type) {
    case 'SelfCheckPlanned': {
      const d = event.data
      b.selfChecks.upsert({
        ...key, status: 'PLANNED', period_from: d.from, period_to: d.to, items: d.items, unit_ids: d.unitIds ?? null,
        results_per_employee: d.resultsPerEmployee, planned_by: d.plannedBy, planned_at: d.at, evaluation: null, ...touched(e),
      })
      return
    }
    case 'SelfCheckResultRecorded': {
      const d = event.data
      b.results.upsert({
        ...key, result_id: d.resultId, employee_id: d.employeeId, unit_id: d.unitId, submitted_on: d.submittedOn, answers: d.answers,
        non_compliant: d.answers.filter((a) => !a.compliant).map((a) => a.itemId), recorded_by: d.recordedBy, recorded_at: d.at,
      })
      b.selfChecks.patch({ ...key, status: 'IN_PROGRESS', ...touched(e) })
      return
    }
    case 'SelfCheckEvaluated': {
      const { summary, weakItemIds, resultCount, evaluatedBy, at } = event.data
      b.selfChecks.patch({ ...key, status: 'EVALUATED', evaluation: { summary, weakItemIds, resultCount, by: evaluatedBy, at }, ...touched(e) })
      return
    }
    case 'SelfCheckFixOrdered': {
      const d = event.data
      b.fixes.upsert({
        agency_id: e.agencyId, fix_id: d.fixId, fiscal_year: d.fiscalYear, item_id: d.itemId, unit_id: d.unitId, description: d.description,
        due_on: d.dueOn, ordered_by: d.orderedBy, ordered_at: d.at, completed_by: null, completed_at: null, completion_note: null,
      })
      b.selfChecks.patch({ ...key, status: 'FIXES_OPEN', ...touched(e) })
      return
    }
    case 'SelfCheckFixCompleted': {
      const d = event.data
      b.fixes.patch({ agency_id: e.agencyId, fix_id: d.fixId, completed_by: d.completedBy, completed_at: d.at, completion_note: d.note })
      b.selfChecks.patch({ ...key, ...touched(e) })
      return
    }
    case 'SelfCheckFixesCompleted': b.selfChecks.patch({ ...key, status: 'DONE', ...touched(e) })
  }
}

function applyAudit(b: Batches, e: ProjectedEvent, event: AuditEvent): void {
  const audit = { agency_id: e.agencyId, audit_id: event.data.auditId }
  const finding = (findingId: string) => ({ agency_id: e.agencyId, finding_id: findingId })
  switch (event.type) {
    case 'AuditPlanned': {
      const d = event.data
      b.audits.upsert({
        ...audit, fiscal_year: d.fiscalYear, title: d.title, objective: d.objective ?? null, status: 'PLANNED', scope_unit_ids: d.scopeUnitIds,
        auditor_ids: d.auditorIds, fieldwork_from: d.fieldworkFrom, fieldwork_to: d.fieldworkTo, planned_by: d.plannedBy, planned_at: d.at,
        approval: null, report: null, closed_at: null, ...touched(e),
      })
      return
    }
    case 'AuditPlanApproved': {
      const { approvedBy, at, note } = event.data
      b.audits.patch({ ...audit, status: 'APPROVED', approval: { by: approvedBy, at, note: note ?? null }, ...touched(e) })
      return
    }
    case 'AuditReported': {
      const { summary, reportedTo, reportedBy, at, findingCount, openFindingCount } = event.data
      b.audits.patch({ ...audit, status: 'REPORTED', report: { summary, reportedTo, by: reportedBy, at, findingCount, openFindingCount }, ...touched(e) })
      return
    }
    case 'AuditClosed': b.audits.patch({ ...audit, status: 'CLOSED', closed_at: event.data.at, ...touched(e) }); return
    case 'AuditFindingRecorded': {
      const d = event.data
      b.findings.upsert({
        ...finding(d.findingId), audit_id: d.auditId, unit_id: d.unitId, standards_edition: d.standardsItem.edition, standards_code: d.standardsItem.code,
        severity: d.severity, description: d.description, due_on: d.dueOn, status: 'OPEN', recorded_by: d.recordedBy, recorded_at: d.at,
        improvement_plan: null, last_follow_up: null, closed_by: null, closed_at: null, close_note: null,
      })
      break
    }
    case 'ImprovementPlanRecorded': {
      const { actions, ownerId, dueOn, recordedBy, at } = event.data
      b.findings.patch({ ...finding(event.data.findingId), status: 'IMPROVING', improvement_plan: { actions, ownerId, dueOn, by: recordedBy, at } })
      break
    }
    case 'AuditFollowUpRecorded': {
      const d = event.data
      b.followUps.upsert({ agency_id: e.agencyId, follow_up_id: d.followUpId, audit_id: d.auditId, finding_id: d.findingId, note: d.note, status: d.status, recorded_by: d.recordedBy, recorded_at: d.at, position: e.position })
      b.findings.patch({ ...finding(d.findingId), last_follow_up: d.status, status: d.status === 'IMPLEMENTED' ? 'IMPLEMENTED' : 'IMPROVING' })
      break
    }
    case 'AuditFindingClosed': {
      const { findingId, closedBy, at, note } = event.data
      b.findings.patch({ ...finding(findingId), status: 'CLOSED', closed_by: closedBy, closed_at: at, close_note: note ?? null })
      break
    }
  }
  b.audits.patch({ ...audit, ...touched(e) })
}

const selfCheckTypes: ReadonlySet<string> = new Set(selfCheckEventTypes)
const auditTypes: ReadonlySet<string> = new Set(auditEventTypes)

export const assuranceProjection: Projection<Tables> = {
  name: 'assurance',
  eventTypes: [...selfCheckEventTypes, ...auditEventTypes],
  tables: ['self_checks', 'self_check_results', 'self_check_fixes', 'audits', 'audit_findings', 'audit_follow_ups'],
  async apply(client: pg.ClientBase, events: readonly ProjectedEvent[], tables: TableNames<Tables>) {
    const b: Batches = {
      selfChecks: new RowBatch(tables.self_checks, ['agency_id', 'fiscal_year']),
      results: new RowBatch(tables.self_check_results, ['agency_id', 'fiscal_year', 'result_id']),
      fixes: new RowBatch(tables.self_check_fixes, ['agency_id', 'fix_id']),
      audits: new RowBatch(tables.audits, ['agency_id', 'audit_id']),
      findings: new RowBatch(tables.audit_findings, ['agency_id', 'finding_id']),
      followUps: new RowBatch(tables.audit_follow_ups, ['agency_id', 'follow_up_id']),
    }
    for (const e of events) {
      if (selfCheckTypes.has(e.type)) applySelfCheck(b, e, { type: e.type, data: e.data } as SelfCheckEvent)
      else if (auditTypes.has(e.type)) applyAudit(b, e, { type: e.type, data: e.data } as AuditEvent)
    }
    for (const batch of [b.selfChecks, b.results, b.fixes, b.audits, b.findings, b.followUps]) await batch.write(client)
  },
}

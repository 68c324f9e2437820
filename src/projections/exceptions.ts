// The exception ledger (台帳, Art. 7): one row per exception, folded from its events with set-based
// writes (RowBatch). Whether an approved exception is ACTIVE is derived from time by the queries
// (exception-queries.ts); the row keeps what was requested, decided (who, when, why) and reported.
import type pg from 'pg'
import { exceptionEventTypes, type ExceptionEvent, type ExceptionRequestData } from '../domain/exception/events.js'
import { RowBatch } from './row-batch.js'
import type { ProjectedEvent, Projection, TableNames } from './types.js'

type Tables = 'exceptions'

function requestRow(e: ProjectedEvent, d: ExceptionRequestData, actedAt: string | null) {
  return {
    agency_id: e.agencyId, exception_id: d.exceptionId, status: 'REQUESTED', emergency: actedAt !== null, acted_at: actedAt,
    applicant_id: d.applicantId, applicant_unit_id: d.applicantUnitId, edition: d.edition, clause: d.clause, rules: d.rules, steps: d.steps,
    asset_ids: d.assetIds, unit_id: d.unitId ?? null, requested_from: d.from, requested_to: d.to,
    request: {
      measures: d.measures, compensatingMeasures: d.compensatingMeasures, securityImpact: d.securityImpact, impactHandling: d.impactHandling,
      endReportMethod: d.endReportMethod, reason: d.reason,
    },
    requested_at: d.at, endorsement: null, examination: null, decision: null, approved_rules: null, approved_steps: null, approved_asset_ids: null,
    approved_unit_id: null, approved_from: null, approved_to: null, approved_at: null, rejected_at: null, overdue_at: null, end_report: null,
    ended_at: null, revocation: null, revoked_at: null, closure: null, closed_at: null,
  }
}

/** The columns one event changes (besides version and position). */
function changes(event: ExceptionEvent): Record<string, unknown> {
  switch (event.type) {
    case 'ExceptionRequested':
    case 'EmergencyExceptionFiled': return {}
    case 'ExceptionEndorsed': {
      const { endorsedBy, unitId, note, at } = event.data
      return { status: 'ENDORSED', endorsement: { by: endorsedBy, unitId, note: note ?? null, at } }
    }
    case 'ExceptionExaminationStarted': {
      const { examinedBy, note, at } = event.data
      return { status: 'UNDER_EXAMINATION', examination: { by: examinedBy, note: note ?? null, at } }
    }
    case 'ExceptionApproved': {
      const d = event.data
      return {
        status: 'APPROVED', decision: { outcome: 'APPROVED', by: d.approvedBy, at: d.at, reasons: d.reasons, measures: d.measures ?? null },
        approved_rules: d.rules, approved_steps: d.steps, approved_asset_ids: d.assetIds, approved_unit_id: d.unitId ?? null,
        approved_from: d.from, approved_to: d.to, approved_at: d.at,
      }
    }
    case 'ExceptionRejected': {
      const { rejectedBy, reasons, at } = event.data
      return { status: 'REJECTED', decision: { outcome: 'REJECTED', by: rejectedBy, at, reasons, measures: null }, rejected_at: at }
    }
    case 'ExceptionBecameOverdue': return { status: 'OVERDUE', overdue_at: event.data.at }
    case 'ExceptionEndReported': {
      const { reportedBy, endedAt, howEnded, wasOverdue, at } = event.data
      return { status: 'END_REPORTED', end_report: { by: reportedBy, at, endedAt, howEnded, wasOverdue }, ended_at: endedAt }
    }
    case 'ExceptionClosed': {
      const { closedBy, note, at } = event.data
      return { status: 'CLOSED', closure: { by: closedBy, note: note ?? null, at }, closed_at: at }
    }
    case 'ExceptionRevoked': {
      const { revokedBy, reason, at } = event.data
      return { status: 'REVOKED', revocation: { by: revokedBy, reason, at }, revoked_at: at }
    }
  }
}

export const exceptionsProjection: Projection<Tables> = {
  name: 'exceptions',
  eventTypes: exceptionEventTypes,
  tables: ['exceptions'],
  async apply(client: pg.ClientBase, events: readonly ProjectedEvent[], tables: TableNames<Tables>) {
    const rows = new RowBatch(tables.exceptions, ['agency_id', 'exception_id'])
    for (const e of events) {
      const event = { type: e.type, data: e.data } as ExceptionEvent
      const touched = { agency_id: e.agencyId, exception_id: event.data.exceptionId, version: e.streamVersion, last_position: e.position, updated_at: e.recordedAt }
      if (event.type === 'ExceptionRequested') rows.upsert({ ...requestRow(e, event.data, null), ...touched })
      else if (event.type === 'EmergencyExceptionFiled') rows.upsert({ ...requestRow(e, event.data, event.data.actedAt), ...touched })
      else rows.patch({ ...changes(event), ...touched })
    }
    await rows.write(client)
  },
}

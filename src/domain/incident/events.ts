// Incident events: the facts of Art. 9 handling. Times are ISO strings; `by` is the actor's id.
import type { DomainEvent } from '../shared/decider.js'
import type { IncidentAlert, Severity } from './commands.js'

type Affected = { label: string; assetId?: string | undefined; description?: string | undefined }
type By = { by: string; at: string }

export type IncidentReported = DomainEvent<'IncidentReported', {
  incidentId: string; title: string; description: string; detectedAt: string; reportedAt: string
  reportedBy: string; source: 'EMPLOYEE' | 'SIEM'; initialSeverity?: Severity | undefined
  affectedSystems: string[]; affectedInformation: Affected[]
}>
export type IncidentTriaged = DomainEvent<'IncidentTriaged', By & {
  assessment: 'INCIDENT' | 'NOT_INCIDENT'; severity?: Severity | undefined; serious: boolean; rationale: string
}>
export type IncidentReportedToCiso = DomainEvent<'IncidentReportedToCiso', By & { summary: string }>
export type IncidentContained = DomainEvent<'IncidentContained', By & { actions: string[] }>
export type NationalCentreNotified = DomainEvent<'NationalCentreNotified', By & {
  destination: string; summary: string; reference?: string | undefined
}>
export type IncidentRecovered = DomainEvent<'IncidentRecovered', By & { actions: string[] }>
export type IncidentRootCauseRecorded = DomainEvent<'IncidentRootCauseRecorded', By & { cause: string; preventionMeasures: string[] }>
export type IncidentLessonsShared = DomainEvent<'IncidentLessonsShared', By & { lessons: string; sharedWith: string[] }>
export type IncidentClosed = DomainEvent<'IncidentClosed', By & { summary?: string | undefined }>
export type IncidentActionRecorded = DomainEvent<'IncidentActionRecorded', By & { description: string }>

/** An alert that fed the incident: the one that opened it, or one correlated into it later. */
export type IncidentAlertLinked = DomainEvent<'IncidentAlertLinked', IncidentAlert & { opened: boolean; windowMinutes?: number | undefined; at: string }>
export type IncidentAlertResolved = DomainEvent<'IncidentAlertResolved', { alertId: string; resolvedAt: string; at: string }>
export type IncidentAlertReopened = DomainEvent<'IncidentAlertReopened', { alertId: string; firingAgainAt: string; at: string }>

export type IncidentEvent =
  | IncidentReported | IncidentTriaged | IncidentReportedToCiso | IncidentContained | NationalCentreNotified
  | IncidentRecovered | IncidentRootCauseRecorded | IncidentLessonsShared | IncidentClosed | IncidentActionRecorded
  | IncidentAlertLinked | IncidentAlertResolved | IncidentAlertReopened

export const incidentEventTypes = [
  'IncidentReported', 'IncidentTriaged', 'IncidentReportedToCiso', 'IncidentContained', 'NationalCentreNotified',
  'IncidentRecovered', 'IncidentRootCauseRecorded', 'IncidentLessonsShared', 'IncidentClosed', 'IncidentActionRecorded',
  'IncidentAlertLinked', 'IncidentAlertResolved', 'IncidentAlertReopened',
] as const satisfies readonly IncidentEvent['type'][]

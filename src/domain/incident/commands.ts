// Incident commands (Art. 9): their input schemas (zod, reused by REST/OpenAPI and GraphQL) and types.
import { z } from 'zod'
import type { Command } from '../shared/decider.js'

export { text, instant } from '../shared/values.js'
import { text, instant } from '../shared/values.js'

export const Severity = z.enum(['low', 'medium', 'high', 'critical'])
export type Severity = z.infer<typeof Severity>
export const IncidentSource = z.enum(['EMPLOYEE', 'SIEM'])

/** An information class label such as C3I2A2 (paper: C only), optionally with the asset it belongs to. */
export const AffectedInformation = z.object({
  label: z.string().regex(/^C[1-3](I[1-2]A[1-2])?$/, 'a class label like C3I2A2 (or C2 for paper)'),
  assetId: text(200).optional(),
  description: text(2000).optional(),
})

export const ReportIncidentInput = z.object({
  title: text(200),
  description: text(10_000),
  detectedAt: instant,
  initialSeverity: Severity.optional(),
  affectedSystems: z.array(text(200)).max(100).default([]),
  affectedInformation: z.array(AffectedInformation).max(100).default([]),
})
export const TriageIncidentInput = z.object({
  assessment: z.enum(['INCIDENT', 'NOT_INCIDENT']),
  severity: Severity.optional(),
  serious: z.boolean().default(false).describe('重大事象: also reported to the Cybersecurity Strategic HQ'),
  rationale: text(5_000),
}).refine((v) => v.assessment === 'NOT_INCIDENT' || v.severity !== undefined, {
  message: 'severity is required when the assessment is INCIDENT', path: ['severity'],
})
export const ReportIncidentToCisoInput = z.object({ summary: text(5_000) })
export const RecordContainmentInput = z.object({ actions: z.array(text(2_000)).min(1).max(100) })
export const NotifyNationalCentreInput = z.object({
  summary: text(5_000),
  reference: text(200).optional().describe("the centre's reference number, if it gave one"),
})
export const RecordRecoveryInput = z.object({ actions: z.array(text(2_000)).min(1).max(100) })
export const RecordRootCauseInput = z.object({
  cause: text(10_000),
  preventionMeasures: z.array(text(2_000)).min(1).max(100),
})
export const ShareLessonsInput = z.object({ lessons: text(10_000), sharedWith: z.array(text(200)).min(1).max(100) })
export const CloseIncidentInput = z.object({ summary: text(5_000).optional() })
export const RecordIncidentActionInput = z.object({ description: text(5_000) })

type Cmd<T extends string, S extends z.ZodType, Extra = object> = Command<T, z.output<S> & Extra>

/** `source` is set by the door the report came through (employees via API/GraphQL, later SIEM webhooks). */
export type ReportIncident = Cmd<'ReportIncident', typeof ReportIncidentInput, { incidentId: string; source: z.output<typeof IncidentSource> }>
export type TriageIncident = Cmd<'TriageIncident', typeof TriageIncidentInput>
export type ReportIncidentToCiso = Cmd<'ReportIncidentToCiso', typeof ReportIncidentToCisoInput>
export type RecordContainment = Cmd<'RecordContainment', typeof RecordContainmentInput>
/** `destination` is the configured name of the national centre, filled in by the application. */
export type NotifyNationalCentre = Cmd<'NotifyNationalCentre', typeof NotifyNationalCentreInput, { destination: string }>
export type RecordRecovery = Cmd<'RecordRecovery', typeof RecordRecoveryInput>
export type RecordRootCause = Cmd<'RecordRootCause', typeof RecordRootCauseInput>
export type ShareLessons = Cmd<'ShareLessons', typeof ShareLessonsInput>
/** `requireNotification` is the agency's policy (configuration), filled in by the application. */
export type CloseIncident = Cmd<'CloseIncident', typeof CloseIncidentInput, { requireNotification: boolean }>
export type RecordIncidentAction = Cmd<'RecordIncidentAction', typeof RecordIncidentActionInput>

/** An alert as an incident shows it: enough to see what fed it and to follow the link back to the source. */
export type IncidentAlert = {
  alertId: string; integrationId: string; source: string; externalId: string; title: string; severity: string | null
  occurredAt?: string | undefined; asset?: string | undefined; rule?: string | undefined; link?: string | undefined; receivedAt: string
}
/** Commands the service itself issues when correlating SIEM alerts (never a caller: SYSTEM in the rules table). */
export type OpenIncidentFromAlert = Command<'OpenIncidentFromAlert', { incidentId: string; alert: IncidentAlert }>
export type LinkAlert = Command<'LinkAlert', { alert: IncidentAlert; windowMinutes: number }>
export type ResolveLinkedAlert = Command<'ResolveLinkedAlert', { alertId: string; resolvedAt: string }>
/** A resolved alert firing again (the same source and external id, no longer resolved). */
export type ReopenLinkedAlert = Command<'ReopenLinkedAlert', { alertId: string; firingAgainAt: string }>
export type IncidentAlertCommand = OpenIncidentFromAlert | LinkAlert | ResolveLinkedAlert | ReopenLinkedAlert

export type IncidentCommand =
  | ReportIncident | TriageIncident | ReportIncidentToCiso | RecordContainment | NotifyNationalCentre
  | RecordRecovery | RecordRootCause | ShareLessons | CloseIncident | RecordIncidentAction

/** Input schema per command type, for the adapters. */
export const incidentCommandInputs = {
  ReportIncident: ReportIncidentInput,
  TriageIncident: TriageIncidentInput,
  ReportIncidentToCiso: ReportIncidentToCisoInput,
  RecordContainment: RecordContainmentInput,
  NotifyNationalCentre: NotifyNationalCentreInput,
  RecordRecovery: RecordRecoveryInput,
  RecordRootCause: RecordRootCauseInput,
  ShareLessons: ShareLessonsInput,
  CloseIncident: CloseIncidentInput,
  RecordIncidentAction: RecordIncidentActionInput,
} as const satisfies Record<IncidentCommand['type'], z.ZodType>

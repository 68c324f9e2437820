// Builders for incident commands with fixed metadata, shared by the decider and command-handling tests.
import type { IncidentCommand } from '../../src/domain/incident/index.js'
import type { Actor, CommandMetadata } from '../../src/domain/shared/decider.js'

export const csirt: Actor = { id: 'u-csirt', roles: ['CSIRT_MEMBER'] }
export const NOW = '2026-11-27T10:00:00+09:00'

export type IncidentCommandOf<T extends IncidentCommand['type']> = Extract<IncidentCommand, { type: T }>

export function metadata(overrides: Partial<CommandMetadata> = {}): CommandMetadata {
  return { actor: csirt, agencyId: 'agency-a', now: NOW, correlationId: 'corr-1', source: 'api', ...overrides }
}

/** A command of `type` with `data` as given and default metadata, overridable per field. */
export function command<T extends IncidentCommand['type']>(
  type: T,
  data: IncidentCommandOf<T>['data'],
  meta: Partial<CommandMetadata> = {},
): IncidentCommandOf<T> {
  return { type, data, metadata: metadata(meta) } as IncidentCommandOf<T>
}

export const reportData = (incidentId = 'inc-1'): IncidentCommandOf<'ReportIncident'>['data'] => ({
  incidentId,
  title: 'Phishing mail opened',
  description: 'A user opened an attachment from a spoofed sender.',
  detectedAt: '2026-11-27T09:30:00+09:00',
  source: 'EMPLOYEE',
  initialSeverity: 'medium',
  affectedSystems: ['mail'],
  affectedInformation: [{ label: 'C3I2A2', assetId: 'asset-1' }],
})

export const triageData = (
  overrides: Partial<IncidentCommandOf<'TriageIncident'>['data']> = {},
): IncidentCommandOf<'TriageIncident'>['data'] => ({
  assessment: 'INCIDENT', severity: 'high', serious: false, rationale: 'malware confirmed', ...overrides,
})

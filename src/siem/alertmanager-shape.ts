// The webhook body Alertmanager (v4) and Grafana's unified alerting share: a group of alerts, each
// firing or resolved, identified by its label fingerprint and start time.
import { z } from 'zod'
import { firstGiven, normalizedAlert } from './normalize.js'
import { MAX_ALERTS } from './payload.js'
import { fromWords, labelWords } from './severity.js'
import { instantFromIso } from './time.js'
import type { NormalizedAlert, SiemFormat } from './types.js'

const text = z.string().nullish()

/** Label values are strings in both products; other labels are ignored. */
export const GroupedAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: z.object({ alertname: text, severity: text, instance: text }),
  annotations: z.object({ summary: text }).nullish(),
  startsAt: z.string().min(1),
  generatorURL: text,
  fingerprint: z.string().min(1),
})
export type GroupedAlert = z.output<typeof GroupedAlert>

export const groupedAlerts = z.array(GroupedAlert).max(MAX_ALERTS)

/**
 * One normalized alert per grouped alert. The id joins `idPrefix` (Grafana's org), the fingerprint
 * and `startsAt` exactly as sent: a resolved notice repeats both, so it lands on the same alert,
 * while the same labels firing again later get a new start time and so a new alert.
 */
export function toNormalizedAlerts(source: SiemFormat, alerts: readonly GroupedAlert[], idPrefix: readonly string[] = []): NormalizedAlert[] {
  return alerts.map((a, i) =>
    normalizedAlert(source, {
      title: firstGiven(a.annotations?.summary, a.labels.alertname),
      fallbackTitle: `Alert ${a.fingerprint}`,
      severity: fromWords(labelWords, a.labels.severity),
      externalId: [...idPrefix, a.fingerprint, a.startsAt].join('/'),
      externalIdPath: `$.alerts[${i}].fingerprint`,
      occurredAt: instantFromIso(a.startsAt),
      asset: a.labels.instance,
      resolved: a.status === 'resolved',
      rule: a.labels.alertname,
      links: [a.generatorURL],
    }),
  )
}

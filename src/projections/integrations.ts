// Read models of SIEM integrations (never a secret: only ids, created and retired) and of the alerts
// they delivered. Set-based: one read of the touched rows, a fold in memory, one upsert per table.
import type pg from 'pg'
import { alertEventTypes, type AlertEvent } from '../domain/alert/index.js'
import { integrationEventTypes, type IntegrationEvent } from '../domain/integration/events.js'
import { DEFAULT_CORRELATION_WINDOW_MINUTES } from '../domain/integration/decider.js'
import { ident, type ProjectedEvent, type Projection, type TableNames } from './types.js'

type Tables = 'integrations' | 'alerts'
type Row = Record<string, unknown>
type SecretInfo = { secretId: string; createdAt: string; retiredAt: string | null }

function foldIntegration(row: Row | undefined, e: ProjectedEvent & IntegrationEvent): Row | undefined {
  if (e.type === 'IntegrationCreated') {
    const d = e.data
    return {
      agency_id: e.agencyId, integration_id: d.integrationId, name: d.name, format: d.format, auth_mode: d.authMode, default_severity: d.defaultSeverity ?? null,
      severity_threshold: d.severityThreshold, secrets: [{ secretId: d.secretId, createdAt: d.at, retiredAt: null }], disabled_at: null, refused_count: 0, created_at: d.at, last_position: e.position,
      correlation_window_minutes: d.correlationWindowMinutes ?? DEFAULT_CORRELATION_WINDOW_MINUTES,
    }
  }
  if (!row) return undefined
  const secrets = row.secrets as SecretInfo[]
  const next = { ...row, last_position: e.position }
  switch (e.type) {
    case 'IntegrationSecretAdded': return { ...next, secrets: [...secrets, { secretId: e.data.secretId, createdAt: e.data.at, retiredAt: null }] }
    case 'IntegrationSecretRetired': return { ...next, secrets: secrets.map((s) => (s.secretId === e.data.secretId ? { ...s, retiredAt: e.data.at } : s)) }
    case 'IntegrationPolicyChanged': return { ...next, default_severity: e.data.defaultSeverity, severity_threshold: e.data.severityThreshold, correlation_window_minutes: e.data.correlationWindowMinutes }
    case 'IntegrationDisabled': return { ...next, disabled_at: e.data.at }
    case 'DeliveryRefused': return { ...next, refused_count: Number(row.refused_count) + 1 + (e.data.suppressedBefore ?? 0) }
  }
}

function foldAlert(row: Row | undefined, e: ProjectedEvent & AlertEvent): Row | undefined {
  if (e.type === 'AlertCorrelated') return row && { ...row, incident_id: row.incident_id ?? e.data.incidentId, last_position: e.position }
  const d = e.data
  const a = d.alert
  const base = {
    agency_id: e.agencyId, alert_id: d.alertId, integration_id: d.integrationId, source: a.source, external_id: a.externalId, title: a.title,
    severity: a.severity, asset: a.asset ?? null, rule: a.rule ?? null, link: a.link ?? null, occurred_at: a.occurredAt ?? null,
    meets_threshold: d.meetsThreshold, payload_sha256: d.payloadSha256, last_received_at: d.receivedAt, last_position: e.position,
  }
  return {
    ...base, resolved: e.type === 'AlertResolved' || (e.type === 'AlertReceived' && a.resolved),
    deliveries: row === undefined ? 1 : Number(row.deliveries) + 1, first_received_at: row?.first_received_at ?? d.receivedAt,
    incident_id: row?.incident_id ?? null,
  }
}

const keyOf = (agencyId: string, id: string) => `${agencyId}\u0000${id}`

async function project<E extends ProjectedEvent>(client: pg.ClientBase, table: string, idColumn: string, events: readonly E[], idOf: (e: E) => string, fold: (row: Row | undefined, e: E) => Row | undefined) {
  if (events.length === 0) return
  const agencies = events.map((e) => e.agencyId)
  const ids = events.map(idOf)
  const existing = await client.query<Row>(
    `SELECT t.* FROM ${table} t JOIN unnest($1::text[], $2::text[]) k(a, i) ON t.agency_id = k.a AND t.${idColumn} = k.i`, [agencies, ids])
  // Instants as ISO strings, as the events carry them (so comparisons and JSON agree).
  const plain = (r: Row): Row => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]))
  const rows = new Map<string, Row>(existing.rows.map((r) => [keyOf(String(r.agency_id), String(r[idColumn])), plain(r)]))
  for (const e of events) {
    const k = keyOf(e.agencyId, idOf(e))
    const next = fold(rows.get(k), e)
    if (next) rows.set(k, next)
  }
  const touched = [...new Set(events.map((e) => keyOf(e.agencyId, idOf(e))))].map((k) => rows.get(k)).filter((r) => r !== undefined)
  if (touched.length === 0) return
  const columns = Object.keys(touched[0] ?? {})
  await client.query(
    `INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)
     ON CONFLICT (agency_id, ${idColumn}) DO UPDATE SET ${columns.filter((c) => c !== 'agency_id' && c !== idColumn).map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
    [JSON.stringify(touched)])
}

const integrationTypes = new Set<string>(integrationEventTypes)
const alertTypes = new Set<string>(alertEventTypes)

export const integrationsProjection: Projection<Tables> = {
  name: 'integrations',
  eventTypes: [...integrationEventTypes, ...alertEventTypes],
  tables: ['integrations', 'alerts'],
  async apply(client: pg.ClientBase, events: readonly ProjectedEvent[], tables: TableNames<Tables>) {
    const integrationEvents = events.filter((e) => integrationTypes.has(e.type)) as (ProjectedEvent & IntegrationEvent)[]
    const alertEvents = events.filter((e) => alertTypes.has(e.type)) as (ProjectedEvent & AlertEvent)[]
    await project(client, ident(tables.integrations), 'integration_id', integrationEvents, (e) => e.data.integrationId, foldIntegration)
    await project(client, ident(tables.alerts), 'alert_id', alertEvents, (e) => e.data.alertId, foldAlert)
  },
}

// Queries over the integrations and alerts read models. An integration shows its secrets' ids and dates,
// never a secret (the read model has none to show).
import type pg from 'pg'
import { z } from 'zod'
import { InvalidCursorError, type Page } from './incident-queries.js'

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v == null ? null : String(v))

function toIntegration(r: Record<string, unknown>) {
  return {
    id: String(r.integration_id), agencyId: String(r.agency_id), name: String(r.name), format: String(r.format), authMode: String(r.auth_mode),
    defaultSeverity: (r.default_severity as string | null) ?? null, severityThreshold: String(r.severity_threshold),
    secrets: r.secrets as { secretId: string; createdAt: string; retiredAt: string | null }[],
    disabledAt: iso(r.disabled_at), refusedDeliveries: Number(r.refused_count), createdAt: iso(r.created_at) ?? '',
    webhookPath: `/webhooks/${String(r.integration_id)}`, correlationWindowMinutes: Number(r.correlation_window_minutes),
  }
}
export type IntegrationView = ReturnType<typeof toIntegration>

export async function listIntegrations(pool: pg.Pool, agencyIds: readonly string[]): Promise<IntegrationView[]> {
  const { rows } = await pool.query('SELECT * FROM integrations WHERE agency_id = ANY($1) ORDER BY created_at, integration_id LIMIT 500', [agencyIds])
  return rows.map(toIntegration)
}

export async function getIntegration(pool: pg.Pool, agencyIds: readonly string[], integrationId: string): Promise<IntegrationView | undefined> {
  const { rows } = await pool.query('SELECT * FROM integrations WHERE agency_id = ANY($1) AND integration_id = $2', [agencyIds, integrationId])
  return rows[0] ? toIntegration(rows[0]) : undefined
}

function toAlert(r: Record<string, unknown>) {
  return {
    id: String(r.alert_id), agencyId: String(r.agency_id), integrationId: String(r.integration_id), source: String(r.source), externalId: String(r.external_id),
    title: String(r.title), severity: (r.severity as string | null) ?? null, asset: (r.asset as string | null) ?? null, rule: (r.rule as string | null) ?? null,
    link: (r.link as string | null) ?? null, occurredAt: iso(r.occurred_at), resolved: Boolean(r.resolved), meetsThreshold: Boolean(r.meets_threshold),
    payloadSha256: String(r.payload_sha256), deliveries: Number(r.deliveries), firstReceivedAt: iso(r.first_received_at) ?? '', lastReceivedAt: iso(r.last_received_at) ?? '',
    incidentId: (r.incident_id as string | null) ?? null,
  }
}
export type AlertView = ReturnType<typeof toAlert>
export interface AlertFilter {
  integrationId?: string | undefined; severity?: readonly string[] | undefined; resolved?: boolean | undefined
  externalId?: string | undefined; incidentId?: string | undefined
}

const Cursor = z.object({ r: z.iso.datetime({ offset: true }), a: z.string().max(100), i: z.string().max(100) })
const encode = (v: AlertView) => Buffer.from(JSON.stringify({ r: v.firstReceivedAt, a: v.agencyId, i: v.id })).toString('base64url')
function decode(cursor: string): z.infer<typeof Cursor> {
  try {
    const parsed = Cursor.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
    if (parsed.success) return parsed.data
  } catch { /* not JSON: fall through */ }
  throw new InvalidCursorError('the "after" cursor is not one this service issued; start again without it')
}

/** Newest first, keyset-paged on (first received, agency, alert id). */
export async function listAlerts(pool: pg.Pool, agencyIds: readonly string[], filter: AlertFilter, first: number, after?: string): Promise<Page<AlertView>> {
  const c = after === undefined ? undefined : decode(after)
  const { rows } = await pool.query(
    `SELECT * FROM alerts WHERE agency_id = ANY($1)
       AND ($2::text IS NULL OR integration_id = $2) AND ($3::text[] IS NULL OR severity = ANY($3)) AND ($4::boolean IS NULL OR resolved = $4)
       AND ($5::timestamptz IS NULL OR (first_received_at, agency_id, alert_id) < ($5, $6, $7))
       AND ($9::text IS NULL OR external_id = $9) AND ($10::text IS NULL OR incident_id = $10)
     ORDER BY first_received_at DESC, agency_id DESC, alert_id DESC LIMIT $8`,
    [agencyIds, filter.integrationId ?? null, filter.severity ?? null, filter.resolved ?? null, c?.r ?? null, c?.a ?? null, c?.i ?? null, first + 1, filter.externalId ?? null, filter.incidentId ?? null])
  const items = rows.slice(0, first).map(toAlert)
  return { items, hasNextPage: rows.length > first, cursors: items.map(encode) }
}

// Queries over the outbound webhook tables: subscriptions (never a secret: only ids and dates) and the
// delivery log (which holds payloads: the adapters let only subscription managers read it).
import type pg from 'pg'
import { z } from 'zod'
import type { WebhookDeliveryStatus } from '../domain/webhook-subscription/index.js'
import { InvalidCursorError, type Page } from './incident-queries.js'

function decodeCursor<S extends z.ZodType>(schema: S, cursor: string): z.output<S> {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
    if (parsed.success) return parsed.data
  } catch { /* not JSON: fall through */ }
  throw new InvalidCursorError('the "after" cursor is not one this service issued; start again without it')
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v == null ? null : String(v))

function toSubscription(r: Record<string, unknown>) {
  return {
    id: String(r.subscription_id), agencyId: String(r.agency_id), url: String(r.url), eventTypes: r.event_types as string[],
    description: (r.description as string | null) ?? null, secrets: r.secrets as { secretId: string; createdAt: string; retiredAt: string | null }[],
    disabledAt: iso(r.disabled_at), disabledReason: (r.disabled_reason as string | null) ?? null, createdAt: iso(r.created_at) ?? '',
  }
}
export type WebhookSubscriptionView = ReturnType<typeof toSubscription>

/** An ISO time PostgreSQL can take (year 0000 passes the format but is out of its range). */
const CursorTime = z.iso.datetime({ offset: true }).refine((v) => !v.startsWith('0000'), 'out of range')
const SubscriptionCursor = z.object({ c: CursorTime, a: z.string().max(100), i: z.string().max(200) })
const encodeSubscription = (v: WebhookSubscriptionView) => Buffer.from(JSON.stringify({ c: v.createdAt, a: v.agencyId, i: v.id })).toString('base64url')

/** The subscriptions (disabled ones too), oldest first, keyset-paged on (created, agency, subscription id). */
export async function listWebhookSubscriptions(pool: pg.Pool, agencyIds: readonly string[], first: number, after?: string): Promise<Page<WebhookSubscriptionView>> {
  const c = after === undefined ? undefined : decodeCursor(SubscriptionCursor, after)
  const { rows } = await pool.query(
    `SELECT * FROM webhook_subscriptions WHERE agency_id = ANY($1::text[])
       AND ($2::timestamptz IS NULL OR (created_at, agency_id, subscription_id) > ($2, $3, $4))
     ORDER BY created_at, agency_id, subscription_id LIMIT $5`,
    [agencyIds, c?.c ?? null, c?.a ?? null, c?.i ?? null, first + 1])
  const items = rows.slice(0, first).map(toSubscription)
  return { items, hasNextPage: rows.length > first, cursors: items.map(encodeSubscription) }
}

export async function getWebhookSubscription(pool: pg.Pool, agencyIds: readonly string[], subscriptionId: string): Promise<WebhookSubscriptionView | undefined> {
  const { rows } = await pool.query('SELECT * FROM webhook_subscriptions WHERE agency_id = ANY($1::text[]) AND subscription_id = $2', [agencyIds, subscriptionId])
  return rows[0] ? toSubscription(rows[0]) : undefined
}

export interface AttemptLogEntry { at: string; statusCode: number | null; ms: number; error: string | null }

function toDelivery(r: Record<string, unknown>) {
  return {
    id: String(r.delivery_id), agencyId: String(r.agency_id), subscriptionId: String(r.subscription_id), eventType: String(r.event_type),
    eventId: String(r.event_id), eventPosition: Number(r.event_position), payload: r.payload as Record<string, unknown>,
    status: String(r.status) as WebhookDeliveryStatus, attempts: Number(r.attempts), attemptsLog: r.attempts_log as AttemptLogEntry[],
    nextAttemptAt: iso(r.next_attempt_at), lastAttemptAt: iso(r.last_attempt_at), lastStatusCode: r.last_status_code == null ? null : Number(r.last_status_code),
    lastError: (r.last_error as string | null) ?? null, createdAt: iso(r.created_at) ?? '', deliveredAt: iso(r.delivered_at),
  }
}
export type WebhookDeliveryView = ReturnType<typeof toDelivery>
export interface WebhookDeliveryFilter { subscriptionId?: string | undefined; status?: readonly WebhookDeliveryStatus[] | undefined }

const Cursor = z.object({ c: CursorTime, a: z.string().max(100), p: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), i: z.string().max(100) })
const encode = (v: WebhookDeliveryView) => Buffer.from(JSON.stringify({ c: v.createdAt, a: v.agencyId, p: v.eventPosition, i: v.id })).toString('base64url')
const decode = (cursor: string) => decodeCursor(Cursor, cursor)

/** The delivery log, newest first, keyset-paged on (created, agency, log position, delivery id): ties of time keep log order. */
export async function listWebhookDeliveries(pool: pg.Pool, agencyIds: readonly string[], filter: WebhookDeliveryFilter, first: number, after?: string): Promise<Page<WebhookDeliveryView>> {
  const c = after === undefined ? undefined : decode(after)
  const { rows } = await pool.query(
    `SELECT * FROM webhook_deliveries WHERE agency_id = ANY($1::text[])
       AND ($2::text IS NULL OR subscription_id = $2) AND ($3::text[] IS NULL OR status = ANY($3))
       AND ($4::timestamptz IS NULL OR (created_at, agency_id, event_position, delivery_id) < ($4, $5, $6, $7))
     ORDER BY created_at DESC, agency_id DESC, event_position DESC, delivery_id DESC LIMIT $8`,
    [agencyIds, filter.subscriptionId ?? null, filter.status ?? null, c?.c ?? null, c?.a ?? null, c?.p ?? null, c?.i ?? null, first + 1])
  const items = rows.slice(0, first).map(toDelivery)
  return { items, hasNextPage: rows.length > first, cursors: items.map(encode) }
}

/** One delivery of the agency (for a manual retry): its subscription and status. */
export async function findWebhookDelivery(pool: pg.Pool, agencyId: string, deliveryId: string): Promise<{ subscriptionId: string; status: WebhookDeliveryStatus } | undefined> {
  const { rows } = await pool.query<{ subscription_id: string; status: WebhookDeliveryStatus }>(
    'SELECT subscription_id, status FROM webhook_deliveries WHERE agency_id = $1 AND delivery_id = $2', [agencyId, deliveryId])
  return rows[0] ? { subscriptionId: rows[0].subscription_id, status: rows[0].status } : undefined
}

// The outbound webhook outbox: the subscriptions read model, and one delivery row per (live subscription,
// catalogue event) written in the same transaction as the checkpoint, so each event is queued exactly once
// for each subscriber. Not in allProjections: it runs with the reactions (src/application/reactions.ts)
// and is never rebuilt, since a replay would queue everything again. The dispatcher (src/outbound) sends.
import { createHash } from 'node:crypto'
import type pg from 'pg'
import {
  outboundSourceTypes, toOutboundEvent, webhookSubscriptionEventTypes, type WebhookSubscriptionEvent,
} from '../domain/webhook-subscription/index.js'
import { ident, type ProjectedEvent, type Projection, type TableNames } from './types.js'

type Tables = 'webhook_subscriptions' | 'webhook_deliveries'
type SecretInfo = { secretId: string; createdAt: string; retiredAt: string | null }
interface SubscriptionRow {
  [column: string]: unknown
  agency_id: string
  subscription_id: string
  event_types: string[]
  secrets: SecretInfo[]
  /** bigint: a string when read back from PostgreSQL. */
  created_position: number | string
  disabled_at: string | null
}

export const WEBHOOK_OUTBOX = 'webhook-outbox'

/**
 * The delivery of one event to one subscription: the same id however often it is computed, so a repeated
 * insert is a no-op, and the `webhook-id` header receivers deduplicate on. Shaped as a version 8 UUID.
 */
export function deliveryIdOf(subscriptionId: string, eventId: string): string {
  const h = createHash('sha256').update(JSON.stringify(['webhook-delivery', subscriptionId, eventId])).digest()
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x80
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80
  const hex = h.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

function foldSubscription(row: SubscriptionRow | undefined, e: ProjectedEvent & WebhookSubscriptionEvent): SubscriptionRow | undefined {
  if (e.type === 'WebhookSubscriptionCreated') {
    const d = e.data
    return {
      agency_id: e.agencyId, subscription_id: d.subscriptionId, url: d.url, event_types: d.eventTypes, description: d.description ?? null,
      secrets: [{ secretId: d.secretId, createdAt: d.at, retiredAt: null }], created_at: d.at, created_position: e.position,
      disabled_at: null, disabled_reason: null, last_position: e.position,
    }
  }
  if (!row) return undefined
  const next = { ...row, last_position: e.position }
  switch (e.type) {
    case 'WebhookSubscriptionSecretAdded': return { ...next, secrets: [...row.secrets, { secretId: e.data.secretId, createdAt: e.data.at, retiredAt: null }] }
    case 'WebhookSubscriptionSecretRetired': return { ...next, secrets: row.secrets.map((s) => (s.secretId === e.data.secretId ? { ...s, retiredAt: e.data.at } : s)) }
    case 'WebhookSubscriptionDisabled': return { ...next, disabled_at: e.data.at, disabled_reason: e.data.reason ?? null }
    case 'WebhookDeliveryRetryRequested': return row
  }
}

const subscriptionTypes = new Set<string>(webhookSubscriptionEventTypes)
const keyOf = (agencyId: string, id: string) => `${agencyId}\u0000${id}`
const plain = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]))

/** What one batch writes, in this order: subscriptions, new deliveries, manual retries, cancellations. */
interface Plan {
  subscriptions: Map<string, SubscriptionRow>
  touched: Set<string>
  deliveries: Record<string, unknown>[]
  retries: { agency_id: string; delivery_id: string; at: string }[]
  cancelled: { agency_id: string; subscription_id: string }[]
}

/** Walks the batch in log order, so a subscription sees exactly the events after its creation and before it was disabled. */
function plan(events: readonly ProjectedEvent[], existing: SubscriptionRow[]): Plan {
  const p: Plan = { subscriptions: new Map(existing.map((r) => [keyOf(r.agency_id, r.subscription_id), plain(r) as SubscriptionRow])), touched: new Set(), deliveries: [], retries: [], cancelled: [] }
  for (const e of events) {
    if (subscriptionTypes.has(e.type)) {
      const s = e as ProjectedEvent & WebhookSubscriptionEvent
      const key = keyOf(e.agencyId, s.data.subscriptionId)
      const next = foldSubscription(p.subscriptions.get(key), s)
      if (next) {
        p.subscriptions.set(key, next)
        p.touched.add(key)
      }
      if (s.type === 'WebhookSubscriptionDisabled') p.cancelled.push({ agency_id: e.agencyId, subscription_id: s.data.subscriptionId })
      if (s.type === 'WebhookDeliveryRetryRequested') p.retries.push({ agency_id: e.agencyId, delivery_id: s.data.deliveryId, at: s.data.at })
      continue
    }
    const outbound = toOutboundEvent(e.type, e.data, e.streamId)
    if (!outbound) continue
    for (const sub of p.subscriptions.values()) {
      if (sub.agency_id !== e.agencyId || Number(sub.created_position) >= e.position || sub.disabled_at !== null || !sub.event_types.includes(outbound.publicType)) continue
      p.deliveries.push({
        agency_id: e.agencyId, delivery_id: deliveryIdOf(sub.subscription_id, e.eventId), subscription_id: sub.subscription_id,
        event_position: e.position, event_id: e.eventId, event_type: outbound.publicType,
        // The Standard Webhooks envelope, as sent.
        payload: { type: outbound.publicType, timestamp: e.recordedAt, data: { agencyId: e.agencyId, position: e.position, eventId: e.eventId, ...outbound.payload } },
        status: 'PENDING', attempts: 0, failures: 0, next_attempt_at: e.recordedAt, attempts_log: [], created_at: e.recordedAt,
      })
    }
  }
  return p
}

export const webhookOutboxProjection: Projection<Tables> = {
  name: WEBHOOK_OUTBOX,
  eventTypes: [...webhookSubscriptionEventTypes, ...outboundSourceTypes],
  tables: ['webhook_subscriptions', 'webhook_deliveries'],
  async apply(client: pg.ClientBase, events: readonly ProjectedEvent[], tables: TableNames<Tables>) {
    const subscriptions = ident(tables.webhook_subscriptions)
    const deliveries = ident(tables.webhook_deliveries)
    const agencies = [...new Set(events.map((e) => e.agencyId))]
    const existing = await client.query<SubscriptionRow>(`SELECT * FROM ${subscriptions} WHERE agency_id = ANY($1::text[])`, [agencies])
    const p = plan(events, existing.rows)
    const touched = [...p.touched].map((k) => p.subscriptions.get(k)).filter((r) => r !== undefined)
    if (touched.length > 0) {
      await client.query(
        `INSERT INTO ${subscriptions} SELECT * FROM jsonb_populate_recordset(NULL::${subscriptions}, $1::jsonb)
         ON CONFLICT (agency_id, subscription_id) DO UPDATE SET url = EXCLUDED.url, event_types = EXCLUDED.event_types, description = EXCLUDED.description,
           secrets = EXCLUDED.secrets, disabled_at = EXCLUDED.disabled_at, disabled_reason = EXCLUDED.disabled_reason, last_position = EXCLUDED.last_position`,
        [JSON.stringify(touched)])
    }
    if (p.deliveries.length > 0) {
      await client.query(
        `INSERT INTO ${deliveries} SELECT * FROM jsonb_populate_recordset(NULL::${deliveries}, $1::jsonb) ON CONFLICT (agency_id, delivery_id) DO NOTHING`,
        [JSON.stringify(p.deliveries)])
    }
    if (p.retries.length > 0) {
      // A fresh schedule from the retry's time; `attempts` and the log keep the history.
      await client.query(
        `UPDATE ${deliveries} d SET status = 'PENDING', failures = 0, next_attempt_at = r.at, claim_token = NULL
           FROM unnest($1::text[], $2::text[], $3::timestamptz[]) r(agency_id, delivery_id, at)
          WHERE d.agency_id = r.agency_id AND d.delivery_id = r.delivery_id AND d.status = 'FAILED'`,
        [p.retries.map((r) => r.agency_id), p.retries.map((r) => r.delivery_id), p.retries.map((r) => r.at)])
    }
    if (p.cancelled.length > 0) {
      await client.query(
        `UPDATE ${deliveries} d SET status = 'FAILED', next_attempt_at = NULL, last_error = 'subscription disabled: not sent'
           FROM unnest($1::text[], $2::text[]) c(agency_id, subscription_id)
          WHERE d.agency_id = c.agency_id AND d.subscription_id = c.subscription_id AND d.status = 'PENDING'`,
        [p.cancelled.map((c) => c.agency_id), p.cancelled.map((c) => c.subscription_id)])
    }
  },
}

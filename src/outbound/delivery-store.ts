// The dispatcher's reads and writes of webhook_deliveries: claim due rows (so that no other pass takes
// them while they are being sent) and record what an attempt did. Times come from the caller's clock.
import type pg from 'pg'
import type { WebhookDeliveryStatus } from '../domain/webhook-subscription/index.js'
import type { AttemptLogEntry } from '../projections/webhook-outbox-queries.js'

/** Entries kept in a delivery's attempts_log. */
export const ATTEMPT_LOG_SIZE = 20

export interface ClaimedDelivery {
  agencyId: string
  deliveryId: string
  subscriptionId: string
  payload: unknown
  failures: number
  attemptsLog: AttemptLogEntry[]
  /** Absent when the subscription row is missing (never expected: the outbox writes both together). */
  url: string | undefined
  liveSecretIds: string[]
  disabled: boolean
}

/**
 * Due PENDING rows, oldest due first, at most `limit`; each is pushed to `claimUntil` in the same statement,
 * so a pass that dies mid-send leaves it to be sent again once that time has passed (at least once; receivers
 * deduplicate on webhook-id). SKIP LOCKED lets passes of several instances run side by side.
 */
export async function claimDue(pool: pg.Pool, now: Date, claimUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
  const { rows } = await pool.query<{
    agency_id: string; delivery_id: string; subscription_id: string; payload: unknown; failures: number; attempts_log: AttemptLogEntry[]
    url: string | null; secrets: { secretId: string; retiredAt: string | null }[] | null; disabled_at: Date | null
  }>(
    `WITH due AS (
       SELECT agency_id, delivery_id FROM webhook_deliveries
        WHERE status = 'PENDING' AND next_attempt_at <= $1
        ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED),
     claimed AS (
       UPDATE webhook_deliveries d SET next_attempt_at = $2 FROM due
        WHERE d.agency_id = due.agency_id AND d.delivery_id = due.delivery_id
       RETURNING d.agency_id, d.delivery_id, d.subscription_id, d.payload, d.failures, d.attempts_log)
     SELECT c.*, s.url, s.secrets, s.disabled_at FROM claimed c
       LEFT JOIN webhook_subscriptions s ON s.agency_id = c.agency_id AND s.subscription_id = c.subscription_id`,
    [now, claimUntil, limit])
  return rows.map((r) => ({
    agencyId: r.agency_id, deliveryId: r.delivery_id, subscriptionId: r.subscription_id, payload: r.payload, failures: Number(r.failures),
    attemptsLog: r.attempts_log, url: r.url ?? undefined, liveSecretIds: (r.secrets ?? []).filter((s) => s.retiredAt === null).map((s) => s.secretId),
    disabled: r.url === null || r.disabled_at !== null,
  }))
}

export interface AttemptRecord {
  status: WebhookDeliveryStatus
  failures: number
  nextAttemptAt: Date | null
  /** The attempt made, if one was (a disabled subscription's delivery is closed without one). */
  attempt?: AttemptLogEntry | undefined
  lastError: string | null
  deliveredAt: Date | null
}

/**
 * What an attempt did. A row the outbox cancelled meanwhile (its subscription was disabled) stays FAILED,
 * unless this attempt delivered it after all.
 */
export async function recordAttempt(pool: pg.Pool, d: ClaimedDelivery, r: AttemptRecord): Promise<void> {
  const log = r.attempt ? [...d.attemptsLog, r.attempt].slice(-ATTEMPT_LOG_SIZE) : d.attemptsLog
  await pool.query(
    `UPDATE webhook_deliveries SET
        attempts = attempts + $3, failures = $4,
        next_attempt_at = CASE WHEN $5::text = 'DELIVERED' OR status = 'PENDING' THEN $6::timestamptz ELSE next_attempt_at END,
        status = CASE WHEN $5::text = 'DELIVERED' OR status = 'PENDING' THEN $5::text ELSE status END,
        last_attempt_at = coalesce($7::timestamptz, last_attempt_at), last_status_code = CASE WHEN $3 = 1 THEN $8::int ELSE last_status_code END,
        last_error = $9, attempts_log = $10::jsonb, delivered_at = coalesce($11::timestamptz, delivered_at)
      WHERE agency_id = $1 AND delivery_id = $2`,
    [d.agencyId, d.deliveryId, r.attempt ? 1 : 0, r.failures, r.status, r.nextAttemptAt, r.attempt?.at ?? null, r.attempt?.statusCode ?? null,
      r.lastError, JSON.stringify(log), r.deliveredAt])
}

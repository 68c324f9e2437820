// The dispatcher's reads and writes of webhook_deliveries: claim the next due row fairly (so that no other
// pass takes it while it is being sent), record what an attempt did (only while the claim is still held),
// and forget old finished rows. Times come from the caller's clock.
import type pg from 'pg'
import type { WebhookDeliveryStatus } from '../domain/webhook-subscription/index.js'
import type { AttemptLogEntry } from '../projections/webhook-outbox-queries.js'

/** Entries kept in a delivery's attempts_log. */
export const ATTEMPT_LOG_SIZE = 20
/** DELIVERED and FAILED deliveries are deleted this long after their last attempt (or creation). */
export const DELIVERY_RETENTION_MS = 90 * 24 * 3600_000

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
  /** The claim: recordAttempt writes only while the row still carries this token. */
  claimToken: string
  /** When the claim lapses and the row is due again (for another pass, maybe of another instance). */
  claimUntil: Date
}

export interface ClaimOptions {
  now: Date
  claimUntil: Date
  /** A fresh random value per claim. */
  token: string
  /** Deliveries of one agency being sent at once, at most. */
  perAgency: number
}

/** Claims are made one at a time across all instances, so the in-flight checks below see every earlier claim. */
const CLAIM_LOCK = `SELECT pg_advisory_xact_lock(hashtextextended('webhook-dispatcher:claim', 0))`

/**
 * The next delivery to send, claimed (pushed to `claimUntil` and stamped with `token`), or undefined.
 * Fair: a subscription with a delivery in flight (claimed, claim not lapsed) gets no other, an agency with
 * `perAgency` in flight gets none, and among the rest the agency with the fewest in flight goes first, then
 * the oldest due. So one agency's backlog or slow receiver cannot take every sender. Candidates are the
 * oldest due row of each live subscription (an index probe each). A pass that dies mid-send leaves the row
 * to be sent again once the claim lapses (at least once; receivers deduplicate on webhook-id).
 */
export async function claimNext(pool: pg.Pool, o: ClaimOptions): Promise<ClaimedDelivery | undefined> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await client.query(CLAIM_LOCK)
    const { rows } = await client.query<{
      agency_id: string; delivery_id: string; subscription_id: string; payload: unknown; failures: number; attempts_log: AttemptLogEntry[]
      url: string | null; secrets: { secretId: string; retiredAt: string | null }[] | null; disabled_at: Date | null
    }>(
      `WITH in_flight AS (
         SELECT agency_id, subscription_id FROM webhook_deliveries
          WHERE claim_token IS NOT NULL AND status = 'PENDING' AND next_attempt_at > $1),
       load AS (SELECT agency_id, count(*) AS n FROM in_flight GROUP BY agency_id),
       candidate AS (
         SELECT d.agency_id, d.delivery_id FROM webhook_subscriptions s
           CROSS JOIN LATERAL (
             SELECT agency_id, delivery_id, next_attempt_at FROM webhook_deliveries d
              WHERE d.agency_id = s.agency_id AND d.subscription_id = s.subscription_id AND d.status = 'PENDING' AND d.next_attempt_at <= $1
              ORDER BY d.next_attempt_at, d.event_position, d.delivery_id LIMIT 1) d
           LEFT JOIN load l ON l.agency_id = s.agency_id
          WHERE s.disabled_at IS NULL AND coalesce(l.n, 0) < $4
            AND NOT EXISTS (SELECT 1 FROM in_flight f WHERE f.agency_id = s.agency_id AND f.subscription_id = s.subscription_id)
          ORDER BY coalesce(l.n, 0), d.next_attempt_at, d.agency_id, d.delivery_id
          LIMIT 1),
       claimed AS (
         UPDATE webhook_deliveries d SET next_attempt_at = $2, claim_token = $3 FROM candidate c
          WHERE d.agency_id = c.agency_id AND d.delivery_id = c.delivery_id AND d.status = 'PENDING' AND d.next_attempt_at <= $1
         RETURNING d.agency_id, d.delivery_id, d.subscription_id, d.payload, d.failures, d.attempts_log)
       SELECT c.*, s.url, s.secrets, s.disabled_at FROM claimed c
         LEFT JOIN webhook_subscriptions s ON s.agency_id = c.agency_id AND s.subscription_id = c.subscription_id`,
      [o.now, o.claimUntil, o.token, o.perAgency])
    await client.query('COMMIT')
    const r = rows[0]
    if (!r) return undefined
    return {
      agencyId: r.agency_id, deliveryId: r.delivery_id, subscriptionId: r.subscription_id, payload: r.payload, failures: Number(r.failures),
      attemptsLog: r.attempts_log, url: r.url ?? undefined, liveSecretIds: (r.secrets ?? []).filter((s) => s.retiredAt === null).map((s) => s.secretId),
      disabled: r.url === null || r.disabled_at !== null, claimToken: o.token, claimUntil: o.claimUntil,
    }
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw err
  } finally {
    client.release()
  }
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
 * What an attempt did, written only if the row still carries this claim's token (false otherwise: the
 * claim lapsed and another pass took the row over; its record wins). A row the outbox cancelled meanwhile
 * (its subscription was disabled) stays FAILED, unless this attempt delivered it after all.
 */
export async function recordAttempt(pool: pg.Pool, d: ClaimedDelivery, r: AttemptRecord): Promise<boolean> {
  const log = r.attempt ? [...d.attemptsLog, r.attempt].slice(-ATTEMPT_LOG_SIZE) : d.attemptsLog
  const { rowCount } = await pool.query(
    `UPDATE webhook_deliveries SET
        attempts = attempts + $3, failures = $4,
        next_attempt_at = CASE WHEN $5::text = 'DELIVERED' OR status = 'PENDING' THEN $6::timestamptz ELSE next_attempt_at END,
        status = CASE WHEN $5::text = 'DELIVERED' OR status = 'PENDING' THEN $5::text ELSE status END,
        last_attempt_at = coalesce($7::timestamptz, last_attempt_at), last_status_code = CASE WHEN $3 = 1 THEN $8::int ELSE last_status_code END,
        last_error = $9, attempts_log = $10::jsonb, delivered_at = coalesce($11::timestamptz, delivered_at), claim_token = NULL
      WHERE agency_id = $1 AND delivery_id = $2 AND claim_token = $12`,
    [d.agencyId, d.deliveryId, r.attempt ? 1 : 0, r.failures, r.status, r.nextAttemptAt, r.attempt?.at ?? null, r.attempt?.statusCode ?? null,
      r.lastError, JSON.stringify(log), r.deliveredAt, d.claimToken])
  return rowCount === 1
}

/**
 * Deletes DELIVERED and FAILED deliveries whose last attempt (or creation, if never attempted) is older than
 * the retention, at most `limit` per call (the scheduler calls it every pass). PENDING rows are never deleted.
 */
export async function pruneDeliveries(pool: pg.Pool, now: Date, limit = 10_000): Promise<number> {
  const { rowCount } = await pool.query(
    `DELETE FROM webhook_deliveries WHERE (agency_id, delivery_id) IN
       (SELECT agency_id, delivery_id FROM webhook_deliveries
         WHERE status IN ('DELIVERED', 'FAILED') AND coalesce(last_attempt_at, created_at) < $1 LIMIT $2)
       AND status IN ('DELIVERED', 'FAILED')`,
    [new Date(now.getTime() - DELIVERY_RETENTION_MS), limit])
  return rowCount ?? 0
}

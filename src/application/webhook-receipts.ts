// Deliveries already answered, by the sender's delivery id (Standard Webhooks `webhook-id`): a sender that
// retries a delivery it already made (a lost answer, a timeout) gets the first answer and nothing is
// recorded again. Kept at least 24 h (shared/siem.md); the scheduler removes older ones.
import { createHash } from 'node:crypto'
import type pg from 'pg'

/** How long a delivery id is remembered; the scheduler deletes older receipts. */
export const RECEIPT_RETENTION_MS = 48 * 3600_000

/** A claim older than this without an answer belongs to a process that died: a redelivery takes it over. */
export const ABANDONED_AFTER_MS = 60_000

export type Claim = { kind: 'new' } | { kind: 'answered'; answer: Record<string, unknown> } | { kind: 'in-progress' }

const keyOf = (deliveryId: string) => createHash('sha256').update(deliveryId).digest('hex')

/** Claims the delivery id, or says it was answered already (or is being processed right now). */
export async function claimDelivery(pool: pg.Pool, agencyId: string, integrationId: string, deliveryId: string, now: Date): Promise<Claim> {
  const key = keyOf(deliveryId)
  const inserted = await pool.query(
    `INSERT INTO webhook_receipts (agency_id, integration_id, delivery_key, received_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (agency_id, integration_id, delivery_key) DO NOTHING`, [agencyId, integrationId, key, now])
  if (inserted.rowCount === 1) return { kind: 'new' }
  const { rows } = await pool.query<{ answer: Record<string, unknown> | null; received_at: Date }>(
    'SELECT answer, received_at FROM webhook_receipts WHERE agency_id = $1 AND integration_id = $2 AND delivery_key = $3', [agencyId, integrationId, key])
  const row = rows[0]
  // Released meanwhile (the first attempt failed): claim it again.
  if (row === undefined) return claimDelivery(pool, agencyId, integrationId, deliveryId, now)
  if (row.answer) return { kind: 'answered', answer: row.answer }
  // A claim never answered nor released (the process died while processing it): take it over after a while.
  if (now.getTime() - row.received_at.getTime() > ABANDONED_AFTER_MS) {
    const taken = await pool.query(
      `UPDATE webhook_receipts SET received_at = $4 WHERE agency_id = $1 AND integration_id = $2 AND delivery_key = $3 AND answer IS NULL AND received_at = $5`,
      [agencyId, integrationId, key, now, row.received_at])
    if (taken.rowCount === 1) return { kind: 'new' }
  }
  return { kind: 'in-progress' }
}

export async function recordAnswer(pool: pg.Pool, agencyId: string, integrationId: string, deliveryId: string, answer: object): Promise<void> {
  await pool.query('UPDATE webhook_receipts SET answer = $4 WHERE agency_id = $1 AND integration_id = $2 AND delivery_key = $3',
    [agencyId, integrationId, keyOf(deliveryId), JSON.stringify(answer)])
}

/** The delivery was not accepted (refused or failed): a retry of it is processed again. */
export async function releaseDelivery(pool: pg.Pool, agencyId: string, integrationId: string, deliveryId: string): Promise<void> {
  await pool.query('DELETE FROM webhook_receipts WHERE agency_id = $1 AND integration_id = $2 AND delivery_key = $3 AND answer IS NULL',
    [agencyId, integrationId, keyOf(deliveryId)])
}

/** Forget delivery ids older than the retention (at most `limit` per call). */
export async function pruneReceipts(pool: pg.Pool, now: Date, limit = 10_000): Promise<number> {
  const { rowCount } = await pool.query(
    `DELETE FROM webhook_receipts WHERE (agency_id, integration_id, delivery_key) IN
       (SELECT agency_id, integration_id, delivery_key FROM webhook_receipts WHERE received_at < $1 LIMIT $2)`,
    [new Date(now.getTime() - RECEIPT_RETENTION_MS), limit])
  return rowCount ?? 0
}

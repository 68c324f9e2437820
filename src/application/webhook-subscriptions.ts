// Outbound webhook subscriptions as use cases. Creating one and rotating its secret answer the new secret
// ONCE (own REST routes and GraphQL mutations, like SIEM integrations); retiring a secret, disabling and
// retrying a failed delivery are catalogue commands. Secrets are generated here, stored sealed
// (secret-box.ts) and never put in an event; the dispatcher opens them to sign deliveries.
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { authorize, commandRoles } from '../domain/shared/authorization.js'
import { DomainError, ForbiddenError } from '../domain/shared/errors.js'
import {
  CreateWebhookSubscriptionInput, DisableWebhookSubscriptionInput, RetireWebhookSubscriptionSecretInput, RetryWebhookDeliveryInput,
  sourcesOf, webhookEventTypeNames, webhookEventTypes, webhookSubscriptionDecider, webhookSubscriptionStreamId,
  type UrlPolicy, type WebhookSubscriptionCommand, type WebhookSubscriptionEvent, type WebhookSubscriptionState,
} from '../domain/webhook-subscription/index.js'
import { IdempotencyKeyReusedError } from '../eventstore/errors.js'
import { requestHash } from '../eventstore/handle-command.js'
import type { EventStore } from '../eventstore/types.js'
import { WEBHOOK_OUTBOX } from '../projections/webhook-outbox.js'
import { findWebhookDelivery } from '../projections/webhook-outbox-queries.js'
import { defineCommand, metadataFor, newRecordId, runCommand, type CommandOutcome, type Services } from './command-runner.js'
import type { Principal, RequestContext } from './context.js'
import { foldStream } from './lookups.js'
import type { SecretBox } from './secret-box.js'

const tag = 'webhooks'
/** `<agencyId>.<uuid>`, like integration ids: the id names its agency. */
export const WebhookSubscriptionId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a webhook subscription id (<agency>.<uuid>)')

/** The event catalogue as the APIs publish it: public name, what its payload carries, the stored events behind it. */
export const webhookEventCatalogue = () => webhookEventTypeNames.map((name) => ({ name, description: webhookEventTypes[name], sourceEvents: sourcesOf(name) }))

export interface WebhookSecretAnswer extends CommandOutcome { secretId: string; secret: string }

/** Standard Webhooks' secret form: `whsec_` and base64 of 24 random bytes. */
export const generateWebhookSecret = () => `whsec_${randomBytes(24).toString('base64')}`

const aad = (agencyId: string, subscriptionId: string, secretId: string) => `webhook-subscription|${agencyId}|${subscriptionId}|${secretId}`

/** Store the sealed secret once per secret id (a retry with the same Idempotency-Key gets the first one back) and answer it in clear. */
async function storeSecret(s: Services, box: SecretBox, agencyId: string, subscriptionId: string, secretId: string): Promise<string> {
  const sealed = box.seal(generateWebhookSecret(), aad(agencyId, subscriptionId, secretId))
  await s.pool.query(
    `INSERT INTO webhook_subscription_secrets (agency_id, subscription_id, secret_id, ciphertext, iv, tag, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (agency_id, subscription_id, secret_id) DO NOTHING`,
    [agencyId, subscriptionId, secretId, sealed.ciphertext, sealed.iv, sealed.tag, s.clock.now()])
  return openStoredSecret(s, box, agencyId, subscriptionId, secretId)
}

/** The clear value of one stored secret, retired or not (the answer to a request that created it). */
async function openStoredSecret(s: Pick<Services, 'pool'>, box: SecretBox, agencyId: string, subscriptionId: string, secretId: string): Promise<string> {
  const { rows } = await s.pool.query<{ ciphertext: Buffer; iv: Buffer; tag: Buffer }>(
    'SELECT ciphertext, iv, tag FROM webhook_subscription_secrets WHERE agency_id = $1 AND subscription_id = $2 AND secret_id = $3',
    [agencyId, subscriptionId, secretId])
  const row = rows[0]
  if (row === undefined) throw new Error(`secret ${secretId} was not stored`)
  return box.open(row, aad(agencyId, subscriptionId, secretId))
}

/** The clear values of `secretIds` (the subscription's live ones), in that order; rows marked retired are skipped. */
export async function openWebhookSecrets(s: Pick<Services, 'pool'>, box: SecretBox, agencyId: string, subscriptionId: string, secretIds: readonly string[]): Promise<string[]> {
  if (secretIds.length === 0) return []
  const { rows } = await s.pool.query<{ secret_id: string; ciphertext: Buffer; iv: Buffer; tag: Buffer }>(
    `SELECT secret_id, ciphertext, iv, tag FROM webhook_subscription_secrets
      WHERE agency_id = $1 AND subscription_id = $2 AND secret_id = ANY($3::text[]) AND retired_at IS NULL`,
    [agencyId, subscriptionId, secretIds])
  const byId = new Map(rows.map((r) => [r.secret_id, r]))
  return secretIds.flatMap((id) => {
    const row = byId.get(id)
    return row ? [box.open(row, aad(agencyId, subscriptionId, id))] : []
  })
}

export const loadWebhookSubscription = (store: EventStore, agencyId: string, subscriptionId: string): Promise<WebhookSubscriptionState> =>
  foldStream<WebhookSubscriptionEvent, WebhookSubscriptionState>(store, agencyId, webhookSubscriptionStreamId(subscriptionId), webhookSubscriptionDecider)

/**
 * Subscriptions and their delivery log (which holds the payloads) are read only by those who may manage
 * subscriptions: the roles of CreateWebhookSubscription.
 */
export function requireWebhookReader(p: Principal): void {
  if (p.system) return
  const allowed: readonly string[] = commandRoles.CreateWebhookSubscription
  if (p.roles.some((r) => allowed.includes(r))) return
  throw new ForbiddenError(`reading webhook subscriptions and deliveries needs one of the roles ${allowed.join(', ')}; you hold ${p.roles.join(', ') || 'none'}`, {
    requiredRoles: allowed,
  })
}

const actorOf = (p: Principal) => ({ id: p.actorId, roles: p.roles, assignments: p.assignments })
const dispatch = (s: Services, p: Principal, ctx: RequestContext, subscriptionId: string, command: Omit<WebhookSubscriptionCommand, 'metadata'>, fingerprint: unknown) =>
  runCommand(s, p, ctx, { decider: webhookSubscriptionDecider, streamId: webhookSubscriptionStreamId(subscriptionId), command: command as never, fingerprint })

/** What runCommand fingerprints for Idempotency-Key (type, stream, actor, the caller's input): a retry is recognised as handleCommand would. */
const fingerprintOf = (p: Principal, type: string, subscriptionId: string, input: unknown) =>
  ({ type, streamId: webhookSubscriptionStreamId(subscriptionId), actor: p.actorId, input })

/**
 * The answer to an earlier request with the same Idempotency-Key (and the same input), or undefined. Looked
 * up before anything is decided, as handleCommand does: what happened since (the secret retired, five secrets
 * live, the subscription disabled) does not change the answer to a retry, which is the first one, secret
 * included. The same key for another request: 422 IdempotencyKeyReused.
 */
async function earlierAnswer(
  s: Services, box: SecretBox, p: Principal, ctx: RequestContext, type: string, subscriptionId: string, secretId: string, input: unknown,
): Promise<WebhookSecretAnswer | undefined> {
  const key = ctx.idempotencyKey
  if (key === undefined) return undefined
  const earlier = await s.store.findIdempotencyKey(p.agencyId, key)
  if (!earlier) return undefined
  if (earlier.requestHash !== requestHash(fingerprintOf(p, type, subscriptionId, input))) throw new IdempotencyKeyReusedError(key)
  const secret = await openStoredSecret(s, box, p.agencyId, subscriptionId, secretId)
  return { agencyId: p.agencyId, ...earlier.result, position: earlier.result.lastPosition, appended: 0, replayed: true, id: subscriptionId, secretId, secret }
}

/**
 * The agency's subscriptions not disabled: the outbox's read model, plus what the log holds past its
 * checkpoint (it runs a moment behind), read in one statement. Concurrent creations may each see the other
 * missing, so the cap can be passed by the number of simultaneous requests, never by a sequence of them.
 */
export async function liveWebhookSubscriptionCount(s: Pick<Services, 'pool'>, agencyId: string): Promise<number> {
  const { rows } = await s.pool.query<{ kind: string; id: string }>(
    `WITH checkpoint AS (
       SELECT coalesce((SELECT position FROM projection_checkpoints WHERE agency_id = $1 AND projection = $2), 0) AS position)
     SELECT 'live' AS kind, subscription_id AS id, 0::bigint AS at FROM webhook_subscriptions WHERE agency_id = $1 AND disabled_at IS NULL
     UNION ALL
     SELECT e.event_type, e.data->>'subscriptionId', e.agency_position FROM events e, checkpoint c
      WHERE e.agency_id = $1 AND e.agency_position > c.position AND e.event_type IN ('WebhookSubscriptionCreated', 'WebhookSubscriptionDisabled')
     ORDER BY at`,
    [agencyId, WEBHOOK_OUTBOX])
  const live = new Set<string>()
  for (const r of rows) {
    if (r.kind === 'WebhookSubscriptionDisabled') live.delete(r.id)
    else live.add(r.id)
  }
  return live.size
}

export async function createWebhookSubscription(
  s: Services, box: SecretBox, policy: UrlPolicy, p: Principal, input: z.output<typeof CreateWebhookSubscriptionInput>, ctx: RequestContext,
): Promise<WebhookSecretAnswer> {
  if (!p.system) authorize('CreateWebhookSubscription', actorOf(p))
  const subscriptionId = `${p.agencyId}.${newRecordId(p, ctx, 'CreateWebhookSubscription')}`
  const secretId = newRecordId(p, ctx, 'CreateWebhookSubscription-secret')
  const replay = await earlierAnswer(s, box, p, ctx, 'CreateWebhookSubscription', subscriptionId, secretId, input)
  if (replay) return replay
  const liveSubscriptions = await liveWebhookSubscriptionCount(s, p.agencyId)
  const command = { type: 'CreateWebhookSubscription' as const, data: { ...input, subscriptionId, secretId, allowInsecureUrls: policy.allowInsecure, liveSubscriptions } }
  // Check the input first (URL, event types, the cap) against a new stream, so a refused request stores no secret.
  webhookSubscriptionDecider.decide({ ...command, metadata: metadataFor(p, ctx, s.clock) }, webhookSubscriptionDecider.initialState())
  const secret = await storeSecret(s, box, p.agencyId, subscriptionId, secretId)
  const result = await dispatch(s, p, ctx, subscriptionId, command, input)
  return { ...result, id: subscriptionId, secretId, secret }
}

export async function rotateWebhookSubscriptionSecret(s: Services, box: SecretBox, p: Principal, subscriptionId: string, ctx: RequestContext): Promise<WebhookSecretAnswer> {
  if (!p.system) authorize('RotateWebhookSubscriptionSecret', actorOf(p))
  const secretId = newRecordId(p, ctx, `RotateWebhookSubscriptionSecret-${subscriptionId}`)
  const replay = await earlierAnswer(s, box, p, ctx, 'RotateWebhookSubscriptionSecret', subscriptionId, secretId, { subscriptionId })
  if (replay) return replay
  const state = await loadWebhookSubscription(s.store, p.agencyId, subscriptionId)
  const command = { type: 'RotateWebhookSubscriptionSecret' as const, data: { subscriptionId, secretId } }
  // Decide first (unknown, disabled, too many secrets), then store: a refused rotation leaves no row.
  webhookSubscriptionDecider.decide({ ...command, metadata: metadataFor(p, ctx, s.clock) }, state)
  const secret = await storeSecret(s, box, p.agencyId, subscriptionId, secretId)
  const result = await dispatch(s, p, ctx, subscriptionId, command, { subscriptionId })
  return { ...result, id: subscriptionId, secretId, secret }
}

/** Marks the sealed row retired too, so the dispatcher stops signing with it even before the read model moves. */
async function retireSecret(s: Services, p: Principal, subscriptionId: string, input: z.output<typeof RetireWebhookSubscriptionSecretInput>, ctx: RequestContext): Promise<CommandOutcome> {
  const result = await dispatch(s, p, ctx, subscriptionId, { type: 'RetireWebhookSubscriptionSecret', data: { ...input, subscriptionId } }, { subscriptionId, input })
  await s.pool.query('UPDATE webhook_subscription_secrets SET retired_at = $4 WHERE agency_id = $1 AND subscription_id = $2 AND secret_id = $3 AND retired_at IS NULL',
    [p.agencyId, subscriptionId, input.secretId, s.clock.now()])
  return { ...result, id: subscriptionId }
}

/** A FAILED delivery of the caller's agency back to PENDING, due now, with a fresh retry schedule. */
async function retryDelivery(s: Services, p: Principal, deliveryId: string, ctx: RequestContext): Promise<CommandOutcome> {
  if (!p.system) authorize('RetryWebhookDelivery', actorOf(p))
  const delivery = await findWebhookDelivery(s.pool, p.agencyId, deliveryId)
  if (!delivery) throw new DomainError('WebhookDeliveryNotFound', `no delivery ${deliveryId} in this agency`)
  const { subscriptionId, status } = delivery
  const result = await dispatch(s, p, ctx, subscriptionId, { type: 'RetryWebhookDelivery', data: { subscriptionId, deliveryId, deliveryStatus: status } }, { deliveryId })
  return { ...result, id: deliveryId }
}

const Params = z.object({ subscriptionId: WebhookSubscriptionId })

export const webhookSubscriptionCommands = [
  defineCommand({
    type: 'RetireWebhookSubscriptionSecret', tag, summary: 'Retire a signing secret of a webhook subscription once its receiver verifies with the newer one (the last live secret cannot be retired)',
    path: '/webhook-subscriptions/:subscriptionId/secrets/retirement', mutation: 'retireWebhookSubscriptionSecret',
    params: Params, input: RetireWebhookSubscriptionSecretInput, run: (s, p, { subscriptionId }, input, ctx) => retireSecret(s, p, subscriptionId, input, ctx),
  }),
  defineCommand({
    type: 'DisableWebhookSubscription', tag, summary: 'Disable a webhook subscription for good: nothing more is sent, pending deliveries are cancelled',
    path: '/webhook-subscriptions/:subscriptionId/disable', mutation: 'disableWebhookSubscription', params: Params, input: DisableWebhookSubscriptionInput,
    run: async (s, p, { subscriptionId }, input, ctx) => ({ ...await dispatch(s, p, ctx, subscriptionId, { type: 'DisableWebhookSubscription', data: { ...input, subscriptionId } }, { subscriptionId, input }), id: subscriptionId }),
  }),
  defineCommand({
    type: 'RetryWebhookDelivery', tag, summary: 'Send a FAILED delivery again, now, with a fresh retry schedule (recorded as WebhookDeliveryRetryRequested)',
    path: '/webhook-deliveries/:deliveryId/retry', mutation: 'retryWebhookDelivery', params: z.object({ deliveryId: z.uuid() }), input: RetryWebhookDeliveryInput,
    run: (s, p, { deliveryId }, _input, ctx) => retryDelivery(s, p, deliveryId, ctx),
  }),
]

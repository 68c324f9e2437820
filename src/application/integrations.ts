// SIEM integrations as use cases. Creating one and rotating a secret answer the new secret ONCE, so they
// are not catalogue commands (whose answer is only an id): they have their own REST routes and GraphQL
// mutations. The secret is generated here, stored sealed (secret-box.ts) and never put in an event.
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import {
  ChangeIntegrationPolicyInput, CreateIntegrationInput, DisableIntegrationInput, integrationDecider, integrationStreamId, RetireIntegrationSecretInput,
  type IntegrationAuthMode, type IntegrationCommand, type IntegrationEvent, type IntegrationState,
} from '../domain/integration/index.js'
import { authorize } from '../domain/shared/authorization.js'
import { toDomainEvent } from '../eventstore/handle-command.js'
import type { EventStore } from '../eventstore/types.js'
import { defineCommand, newRecordId, runCommand, type CommandOutcome, type Services } from './command-runner.js'
import type { Principal, RequestContext } from './context.js'
import type { SecretBox } from './secret-box.js'

const tag = 'integrations'
/** `<agencyId>.<uuid>`: a webhook URL names its agency, so a delivery finds its stream without a lookup table. */
export const IntegrationId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'an integration id (<agency>.<uuid>)')
export const agencyOfIntegration = (integrationId: string) => integrationId.slice(0, integrationId.length - 37)

export interface SecretAnswer extends CommandOutcome { secretId: string; secret: string }

/** A fresh secret in the form the auth mode's senders expect. */
export function generateSecret(mode: IntegrationAuthMode): string {
  switch (mode) {
    case 'standard-webhooks': return `whsec_${randomBytes(24).toString('base64')}`
    case 'basic': return `integration:${randomBytes(24).toString('base64url')}`
    case 'grafana-hmac': case 'bearer': case 'url-token': return randomBytes(32).toString('base64url')
  }
}

const aad = (agencyId: string, integrationId: string, secretId: string) => `${agencyId}|${integrationId}|${secretId}`

/**
 * Store the sealed secret (once per secret id: a retry with the same Idempotency-Key derives the same id and
 * gets the first secret back) and answer it in clear.
 */
async function storeSecret(s: Services, box: SecretBox, agencyId: string, integrationId: string, secretId: string, mode: IntegrationAuthMode): Promise<string> {
  const sealed = box.seal(generateSecret(mode), aad(agencyId, integrationId, secretId))
  await s.pool.query(
    `INSERT INTO integration_secrets (agency_id, integration_id, secret_id, ciphertext, iv, tag, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (agency_id, integration_id, secret_id) DO NOTHING`,
    [agencyId, integrationId, secretId, sealed.ciphertext, sealed.iv, sealed.tag, s.clock.now()])
  const stored = (await liveSecrets(s, box, agencyId, integrationId, [secretId]))[0]
  if (stored === undefined) throw new Error(`secret ${secretId} was not stored`)
  return stored
}

/** The clear values of `secretIds` (the stream's live ones), in that order; rows marked retired are skipped. */
export async function liveSecrets(s: Pick<Services, 'pool'>, box: SecretBox, agencyId: string, integrationId: string, secretIds: readonly string[]): Promise<string[]> {
  if (secretIds.length === 0) return []
  const { rows } = await s.pool.query<{ secret_id: string; ciphertext: Buffer; iv: Buffer; tag: Buffer }>(
    'SELECT secret_id, ciphertext, iv, tag FROM integration_secrets WHERE agency_id = $1 AND integration_id = $2 AND secret_id = ANY($3) AND retired_at IS NULL',
    [agencyId, integrationId, secretIds])
  const byId = new Map(rows.map((r) => [r.secret_id, r]))
  return secretIds.flatMap((id) => {
    const row = byId.get(id)
    return row ? [box.open(row, aad(agencyId, integrationId, id))] : []
  })
}

export async function loadIntegration(store: EventStore, agencyId: string, integrationId: string): Promise<IntegrationState> {
  const stream = await store.readStream(agencyId, integrationStreamId(integrationId))
  return stream.events.map((e) => toDomainEvent<IntegrationEvent>(e)).reduce(integrationDecider.evolve, integrationDecider.initialState())
}

const actorOf = (p: Principal) => ({ id: p.actorId, roles: p.roles, assignments: p.assignments })
const dispatch = (s: Services, p: Principal, ctx: RequestContext, integrationId: string, command: Omit<IntegrationCommand, 'metadata'>, fingerprint: unknown) =>
  runCommand(s, p, ctx, { decider: integrationDecider, streamId: integrationStreamId(integrationId), command: command as never, fingerprint })

export async function createIntegration(s: Services, box: SecretBox, p: Principal, input: z.output<typeof CreateIntegrationInput>, ctx: RequestContext): Promise<SecretAnswer> {
  if (!p.system) authorize('CreateIntegration', actorOf(p))
  const integrationId = `${p.agencyId}.${newRecordId(p, ctx, 'CreateIntegration')}`
  const secretId = newRecordId(p, ctx, 'CreateIntegration-secret')
  const secret = await storeSecret(s, box, p.agencyId, integrationId, secretId, input.authMode)
  const result = await dispatch(s, p, ctx, integrationId, { type: 'CreateIntegration', data: { ...input, integrationId, secretId } }, input)
  return { ...result, id: integrationId, secretId, secret }
}

export async function rotateIntegrationSecret(s: Services, box: SecretBox, p: Principal, integrationId: string, ctx: RequestContext): Promise<SecretAnswer> {
  if (!p.system) authorize('RotateIntegrationSecret', actorOf(p))
  const state = await loadIntegration(s.store, p.agencyId, integrationId)
  const secretId = newRecordId(p, ctx, `RotateIntegrationSecret-${integrationId}`)
  // Decide first (unknown, disabled, too many secrets), then store: a refused rotation leaves no row.
  integrationDecider.decide({ type: 'RotateIntegrationSecret', data: { integrationId, secretId }, metadata: { actor: actorOf(p), agencyId: p.agencyId, now: s.clock.now().toISOString(), correlationId: ctx.correlationId, source: ctx.source } }, state)
  const secret = await storeSecret(s, box, p.agencyId, integrationId, secretId, state.authMode ?? 'bearer')
  const result = await dispatch(s, p, ctx, integrationId, { type: 'RotateIntegrationSecret', data: { integrationId, secretId } }, { integrationId })
  return { ...result, id: integrationId, secretId, secret }
}

/** Marks the sealed row retired too, so even a stale read of the stream cannot bring it back. */
async function retireSecret(s: Services, p: Principal, integrationId: string, input: z.output<typeof RetireIntegrationSecretInput>, ctx: RequestContext): Promise<CommandOutcome> {
  const result = await dispatch(s, p, ctx, integrationId, { type: 'RetireIntegrationSecret', data: { ...input, integrationId } }, { integrationId, input })
  await s.pool.query('UPDATE integration_secrets SET retired_at = $4 WHERE agency_id = $1 AND integration_id = $2 AND secret_id = $3 AND retired_at IS NULL',
    [p.agencyId, integrationId, input.secretId, s.clock.now()])
  return { ...result, id: integrationId }
}

const Params = z.object({ integrationId: IntegrationId })

export const integrationCommands = [
  defineCommand({
    type: 'RetireIntegrationSecret', tag, summary: 'Retire a secret of an integration once its senders use the newer one (the last live secret cannot be retired)', path: '/integrations/:integrationId/secrets/retirement', mutation: 'retireIntegrationSecret',
    params: Params, input: RetireIntegrationSecretInput, run: (s, p, { integrationId }, input, ctx) => retireSecret(s, p, integrationId, input, ctx),
  }),
  defineCommand({
    type: 'ChangeIntegrationPolicy', tag, summary: 'Change how alerts of an integration become incidents: severity threshold, default severity, correlation window (applies to alerts received from then on)', path: '/integrations/:integrationId/policy', mutation: 'changeIntegrationPolicy',
    params: Params, input: ChangeIntegrationPolicyInput,
    run: async (s, p, { integrationId }, input, ctx) => ({ ...await dispatch(s, p, ctx, integrationId, { type: 'ChangeIntegrationPolicy', data: { ...input, integrationId } }, { integrationId, input }), id: integrationId }),
  }),
  defineCommand({
    type: 'DisableIntegration', tag, summary: 'Disable an integration for good: its webhook answers 404 from then on', path: '/integrations/:integrationId/disable', mutation: 'disableIntegration',
    params: Params, input: DisableIntegrationInput,
    run: async (s, p, { integrationId }, input, ctx) => ({ ...await dispatch(s, p, ctx, integrationId, { type: 'DisableIntegration', data: { ...input, integrationId } }, { integrationId, input }), id: integrationId }),
  }),
]

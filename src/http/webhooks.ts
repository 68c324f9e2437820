// Receiving SIEM deliveries: POST /webhooks/:integrationId[/:urlToken], outside /api and without bearer
// auth (the integration's own secret authenticates). The raw bytes are kept for signature checks, the
// body is capped at 1 MiB, and every refusal is recorded (reason, address; never the unverified body).
import { createHash } from 'node:crypto'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { acceptAlerts, recordRefusal } from '../application/alert-intake.js'
import type { Services } from '../application/command-runner.js'
import type { RequestContext } from '../application/context.js'
import { claimDelivery, recordAnswer, releaseDelivery } from '../application/webhook-receipts.js'
import { agencyOfIntegration, IntegrationId, liveSecrets, loadIntegration } from '../application/integrations.js'
import type { SecretBox } from '../application/secret-box.js'
import { DomainError, NotFoundError } from '../domain/shared/errors.js'
import { ParseError, parsers } from '../siem/index.js'
import { correlationIdOf } from './request-ids.js'
import { RefusalLimiter } from './refusal-limiter.js'
import { verifyDelivery } from '../siem/webhook-auth.js'

export interface WebhookOptions { services: Services; box: SecretBox }

export const WEBHOOK_BODY_LIMIT = 1024 * 1024
const Params = z.object({ integrationId: z.string().max(200), urlToken: z.string().max(500).optional() })

const headersOf = (request: FastifyRequest): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v]))

export const webhookRoutes: FastifyPluginAsync<WebhookOptions> = async (app, opts) => {
  const s = opts.services
  const limiter = new RefusalLimiter()
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(['application/json', 'text/plain', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_request, body, done) => done(null, body))

  const receive = async (request: FastifyRequest) => {
    const params = Params.safeParse(request.params)
    const integrationId = params.success ? params.data.integrationId : ''
    const unknown = () => new NotFoundError('IntegrationNotFound', 'no such integration (or it is disabled)')
    if (!params.success || !IntegrationId.safeParse(integrationId).success) throw unknown()
    const agencyId = agencyOfIntegration(integrationId)
    const state = await loadIntegration(s.store, agencyId, integrationId)
    if (!state.exists || state.disabled || state.format === undefined || state.authMode === undefined) throw unknown()
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
    const now = s.clock.now()
    const ctx: RequestContext = { correlationId: correlationIdOf(request), causationId: request.id, source: 'webhook' }
    const refuse = async (reason: string, message: string, payloadSha256?: string) => {
      const decision = limiter.take(integrationId, request.ip, now.getTime())
      if (decision.record) {
        await recordRefusal(s, agencyId, integrationId, { reason, sourceAddress: request.ip, payloadSha256, ...(decision.suppressedBefore > 0 ? { suppressedBefore: decision.suppressedBefore } : {}) }, ctx)
      } else {
        request.log.warn({ integrationId, sourceAddress: request.ip, reason, suppressed: decision.suppressedBefore }, 'refused webhook delivery not recorded one by one (more than 20 a minute from this address); counted with the next one recorded')
      }
      return new DomainError(reason, message)
    }
    const secrets = await liveSecrets(s, opts.box, agencyId, integrationId, state.liveSecretIds)
    const auth = verifyDelivery(state.authMode, secrets, { raw, headers: headersOf(request), urlToken: params.data.urlToken, nowMs: now.getTime() })
    if (!auth.ok) throw await refuse(auth.reason, `the delivery was refused: ${auth.reason}`)
    // A redelivery of a Standard Webhooks message (same webhook-id, same bytes) gets the first answer; nothing is
    // recorded again. Different bytes under a reused id are a new delivery: a sender's bug must not lose alerts.
    const messageId = state.authMode === 'standard-webhooks' ? headersOf(request)['webhook-id'] : undefined
    const deliveryId = messageId === undefined ? undefined : `${messageId}\n${createHash('sha256').update(raw).digest('hex')}`
    if (deliveryId !== undefined) {
      const claim = await claimDelivery(s.pool, agencyId, integrationId, deliveryId, now)
      if (claim.kind === 'answered') return { ...claim.answer, replayed: true }
      if (claim.kind === 'in-progress') throw new DomainError('DeliveryInProgress', 'a delivery with this webhook-id is being processed; retry in a few seconds')
    }
    try {
      let parsed
      try {
        parsed = parsers[state.format].parse(raw, headersOf(request), now.toISOString())
      } catch (err) {
        if (!(err instanceof ParseError)) throw err
        throw await refuse(err.code, `${err.message} (at ${err.path})`, createHash('sha256').update(raw).digest('hex'))
      }
      const alerts = await acceptAlerts(s, agencyId, integrationId, state, parsed, now.toISOString(), ctx)
      const answer = { accepted: alerts.length, payloadSha256: parsed.payloadSha256, alerts: alerts.map(({ externalId, alertId, status }) => ({ externalId, alertId, status })), position: Math.max(0, ...alerts.map((a) => a.position)) }
      if (deliveryId !== undefined) await recordAnswer(s.pool, agencyId, integrationId, deliveryId, answer)
      return { ...answer, replayed: false }
    } catch (err) {
      // Not accepted: a retry of this delivery is processed again.
      if (deliveryId !== undefined) await releaseDelivery(s.pool, agencyId, integrationId, deliveryId).catch(() => undefined)
      throw err
    }
  }

  const handler = async (request: FastifyRequest, reply: { status(code: number): unknown }) => {
    const answer = await receive(request)
    reply.status(202)
    return answer
  }
  app.post('/webhooks/:integrationId', { bodyLimit: WEBHOOK_BODY_LIMIT }, handler)
  // The URL holds a secret here: keep it out of Fastify's per-request info logs (which print the URL).
  app.post('/webhooks/:integrationId/:urlToken', { bodyLimit: WEBHOOK_BODY_LIMIT, logLevel: 'warn' }, handler)
}

// REST for SIEM integrations: creating one and rotating a secret answer the secret once (their own routes,
// not catalogue commands); reads of integrations (secret ids only) and of the alerts received.
// Retiring a secret and disabling come from the command catalogue.
import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { createIntegration, IntegrationId, rotateIntegrationSecret } from '../application/integrations.js'
import type { SecretBox } from '../application/secret-box.js'
import { CreateIntegrationInput, integrationSeverities } from '../domain/integration/index.js'
import { NotFoundError } from '../domain/shared/errors.js'
import { getIntegration, listAlerts, listIntegrations } from '../projections/integration-queries.js'
import { principalOf, requireAuth } from './auth.js'
import { awaitPosition, MinPosition, Paging, readableAgencies, type ReadRoutesOptions } from './reads.js'
import { correlationIdOf } from './request-ids.js'

const tags = ['integrations']
const Headers = z.object({ 'idempotency-key': z.string().regex(/^[\x21-\x7e]{1,255}$/, '1–255 visible ASCII characters').optional() })
const AgencyId = z.string().max(63).optional().describe('a body under your national organ (default: your agency)')
const csvSeverity = z.string().transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean)).pipe(z.array(z.enum(integrationSeverities)))

export const integrationRoutes: FastifyPluginAsyncZod<ReadRoutesOptions & { box: SecretBox }> = async (app, opts) => {
  const s = opts.services
  app.addHook('onRequest', requireAuth(s.pool, s.clock))
  const ctxOf = (request: Parameters<typeof principalOf>[0], key: string | undefined) => ({ correlationId: correlationIdOf(request), causationId: request.id, source: 'api', idempotencyKey: key })
  const caught = async (request: Parameters<typeof principalOf>[0], minPosition: number | undefined, agencyId: string | undefined) => {
    const principal = principalOf(request)
    await awaitPosition(opts, 'integrations', principal.agencyId, minPosition)
    return readableAgencies(opts, principal, agencyId, 'querystring/agencyId')
  }

  app.post('/integrations', {
    schema: { tags, summary: 'Create a SIEM integration; the answer holds its first secret, shown this once', headers: Headers, body: CreateIntegrationInput },
  }, async (request, reply) => {
    const answer = await createIntegration(s, opts.box, principalOf(request), request.body, ctxOf(request, request.headers['idempotency-key']))
    return reply.status(201).send({ ...answer, webhookPath: `/webhooks/${answer.id}` })
  })

  app.post('/integrations/:integrationId/secrets', {
    schema: { tags, summary: 'Add a secret (rotation): old and new both verify deliveries until the old is retired; the new secret is shown this once', headers: Headers, params: z.object({ integrationId: IntegrationId }) },
  }, async (request, reply) => reply.status(201).send(await rotateIntegrationSecret(s, opts.box, principalOf(request), request.params.integrationId, ctxOf(request, request.headers['idempotency-key']))))

  app.get('/integrations', {
    schema: { tags, summary: 'The integrations (no secrets: their ids, created and retired)', querystring: z.object({ agencyId: AgencyId, minPosition: MinPosition }) },
  }, async (request) => ({ items: await listIntegrations(s.pool, await caught(request, request.query.minPosition, request.query.agencyId)) }))

  app.get('/integrations/:integrationId', {
    schema: { tags, summary: 'One integration (no secrets)', params: z.object({ integrationId: IntegrationId }), querystring: z.object({ minPosition: MinPosition }) },
  }, async (request) => {
    const found = await getIntegration(s.pool, await caught(request, request.query.minPosition, undefined), request.params.integrationId)
    if (!found) throw new NotFoundError('IntegrationNotFound', `no integration ${request.params.integrationId} in the agencies you can see`)
    return found
  })

  app.get('/alerts', {
    schema: {
      tags, summary: 'Alerts received from SIEM integrations, newest first (cursor pagination)',
      querystring: z.object({
        agencyId: AgencyId, integrationId: IntegrationId.optional(), severity: csvSeverity.optional(),
        resolved: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
        externalId: z.string().min(1).max(500).optional().describe("the sender's id of the alert"),
        incidentId: z.uuid().optional().describe('only the alerts that fed this incident'),
        minPosition: MinPosition, ...Paging,
      }),
    },
  }, async (request) => {
    const { agencyId, minPosition, first, after, ...filter } = request.query
    const p = await listAlerts(s.pool, await caught(request, minPosition, agencyId), filter, first, after)
    return { items: p.items, pageInfo: { hasNextPage: p.hasNextPage, endCursor: p.cursors.at(-1) ?? null } }
  })
}

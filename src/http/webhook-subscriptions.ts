// REST for outbound webhooks: creating a subscription and rotating its secret answer the secret once
// (their own routes); the catalogue of event types; reads of subscriptions and of their delivery log
// (only for the roles that manage subscriptions: the log holds payloads). Retiring a secret, disabling and
// retrying a failed delivery come from the command catalogue.
import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { SecretBox } from '../application/secret-box.js'
import {
  createWebhookSubscription, requireWebhookReader, rotateWebhookSubscriptionSecret, webhookEventCatalogue, WebhookSubscriptionId,
} from '../application/webhook-subscriptions.js'
import { NotFoundError } from '../domain/shared/errors.js'
import { CreateWebhookSubscriptionInput, type UrlPolicy } from '../domain/webhook-subscription/index.js'
import { WEBHOOK_OUTBOX } from '../projections/webhook-outbox.js'
import { getWebhookSubscription, listWebhookDeliveries, listWebhookSubscriptions } from '../projections/webhook-outbox-queries.js'
import { principalOf, requireAuth } from './auth.js'
import { IdempotencyHeaders } from './commands.js'
import { awaitPosition, csv, MinPosition, page, Paging, readableAgencies, type ReadRoutesOptions } from './reads.js'
import { correlationIdOf } from './request-ids.js'

const tags = ['webhooks']
const AgencyId = z.string().max(63).optional().describe('a body under your national organ (default: your agency)')
const SubscriptionParams = z.object({ subscriptionId: WebhookSubscriptionId })

export const webhookSubscriptionRoutes: FastifyPluginAsyncZod<ReadRoutesOptions & { box: SecretBox; urlPolicy: UrlPolicy }> = async (app, opts) => {
  const s = opts.services
  app.addHook('onRequest', requireAuth(s.pool, s.clock))
  const ctxOf = (request: Parameters<typeof principalOf>[0], key: string | undefined) => ({ correlationId: correlationIdOf(request), causationId: request.id, source: 'api', idempotencyKey: key })
  const readable = async (request: Parameters<typeof principalOf>[0], minPosition: number | undefined, agencyId: string | undefined) => {
    const principal = principalOf(request)
    requireWebhookReader(principal)
    await awaitPosition(opts, WEBHOOK_OUTBOX, principal.agencyId, minPosition)
    return readableAgencies(opts, principal, agencyId, 'querystring/agencyId')
  }

  app.get('/webhook-event-types', {
    schema: {
      tags, summary: 'The public event types a subscription may name, with what each payload carries',
      response: { 200: z.object({ items: z.array(z.object({ name: z.string(), description: z.string(), sourceEvents: z.array(z.string()) })) }) },
    },
  }, async () => ({ items: webhookEventCatalogue() }))

  app.post('/webhook-subscriptions', {
    schema: { tags, summary: 'Subscribe a URL to events; the answer holds its signing secret (whsec_…), shown this once', headers: IdempotencyHeaders, body: CreateWebhookSubscriptionInput },
  }, async (request, reply) => {
    const answer = await createWebhookSubscription(s, opts.box, opts.urlPolicy, principalOf(request), request.body, ctxOf(request, request.headers['idempotency-key']))
    if (answer.replayed) void reply.header('idempotent-replayed', 'true')
    return reply.status(201).send(answer)
  })

  app.post('/webhook-subscriptions/:subscriptionId/secrets', {
    schema: { tags, summary: 'Add a signing secret (rotation): deliveries carry a signature for every live secret until the old one is retired; the new secret is shown this once', headers: IdempotencyHeaders, params: SubscriptionParams },
  }, async (request, reply) => reply.status(201).send(await rotateWebhookSubscriptionSecret(s, opts.box, principalOf(request), request.params.subscriptionId, ctxOf(request, request.headers['idempotency-key']))))

  app.get('/webhook-subscriptions', {
    schema: {
      tags, summary: 'The webhook subscriptions, disabled ones too, oldest first (cursor pagination; no secrets: their ids and dates)',
      querystring: z.object({ agencyId: AgencyId, minPosition: MinPosition, ...Paging }),
    },
  }, async (request) => {
    const { agencyId, minPosition, first, after } = request.query
    return page(await listWebhookSubscriptions(s.pool, await readable(request, minPosition, agencyId), first, after))
  })

  app.get('/webhook-subscriptions/:subscriptionId/deliveries', {
    schema: {
      tags, summary: 'The delivery log of a subscription, newest first (cursor pagination); holds the payloads sent',
      params: SubscriptionParams,
      querystring: z.object({ status: csv(z.enum(['PENDING', 'DELIVERED', 'FAILED']), 'PENDING, DELIVERED, FAILED').optional(), minPosition: MinPosition, ...Paging }),
    },
  }, async (request) => {
    const { subscriptionId } = request.params
    const { status, minPosition, first, after } = request.query
    const agencies = await readable(request, minPosition, undefined)
    if (!(await getWebhookSubscription(s.pool, agencies, subscriptionId))) throw new NotFoundError('WebhookSubscriptionNotFound', `no webhook subscription ${subscriptionId} in the agencies you can see`)
    return page(await listWebhookDeliveries(s.pool, agencies, { subscriptionId, status }, first, after))
  })
}

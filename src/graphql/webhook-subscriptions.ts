// Outbound webhooks over GraphQL: creating a subscription and rotating its secret answer the secret once
// (own mutations, like the REST routes); the event catalogue; subscriptions (never a secret) and the
// delivery log as a connection, readable only by the roles that manage subscriptions. Retire, disable and
// retry come from the command catalogue.
import { z } from 'zod'
import {
  createWebhookSubscription, requireWebhookReader, rotateWebhookSubscriptionSecret, webhookEventCatalogue, WebhookSubscriptionId,
} from '../application/webhook-subscriptions.js'
import { CreateWebhookSubscriptionInput } from '../domain/webhook-subscription/index.js'
import { awaitPosition, readableAgencies } from '../http/reads.js'
import { WEBHOOK_OUTBOX } from '../projections/webhook-outbox.js'
import { listWebhookDeliveries, listWebhookSubscriptions, type WebhookDeliveryView } from '../projections/webhook-outbox-queries.js'
import { connection } from './connection.js'
import { commandContext, principalOf, type GraphqlContext } from './context.js'
import { parseOrFail } from './errors.js'
import type { GraphqlOptions } from './plugin.js'
import { withoutNulls } from './scalars.js'

const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,255}$/, '1–255 visible ASCII characters').optional()
const MinPosition = z.number().int().min(0).optional()
const CreateArgs = z.object({ input: CreateWebhookSubscriptionInput, idempotencyKey: IdempotencyKey })
const RotateArgs = z.object({ subscriptionId: WebhookSubscriptionId, idempotencyKey: IdempotencyKey })
const ListArgs = z.object({ agencyId: z.string().max(63).optional(), minPosition: MinPosition, first: z.number().int().min(1).max(200).default(50), after: z.string().max(500).optional() })
const DeliveryArgs = z.object({
  first: z.number().int().min(1).max(200).default(50), after: z.string().max(500).optional(), minPosition: MinPosition,
  filter: z.object({
    agencyId: z.string().max(63).optional(), subscriptionId: z.string().max(200).optional(), status: z.array(z.enum(['PENDING', 'DELIVERED', 'FAILED'])).optional(),
  }).default({}),
})

/** Mutations outside the command catalogue: their answer carries a secret (shown once). */
export const webhookSecretMutations = ['createWebhookSubscription', 'rotateWebhookSubscriptionSecret'] as const

export function webhookSubscriptionResolvers(opts: GraphqlOptions) {
  const s = opts.services
  const reads = { services: s, reads: opts.reads, readWaitMs: opts.readWaitMs }
  const parse = <S extends z.ZodType>(schema: S, args: unknown) => parseOrFail(schema, withoutNulls(args), 'arguments')
  const box = () => {
    if (!opts.box) throw new Error('no secrets key configured')
    return opts.box
  }
  const agencies = async (ctx: GraphqlContext, minPosition: number | undefined, agencyId: string | undefined) => {
    const principal = principalOf(ctx)
    requireWebhookReader(principal)
    await awaitPosition(reads, WEBHOOK_OUTBOX, principal.agencyId, minPosition)
    return readableAgencies(reads, principal, agencyId, 'arguments.agencyId')
  }
  return {
    Query: {
      webhookEventTypes: () => webhookEventCatalogue(),
      webhookSubscriptions: async (_r: unknown, raw: unknown, ctx: GraphqlContext) => {
        const a = parse(ListArgs, raw)
        return connection(await listWebhookSubscriptions(s.pool, await agencies(ctx, a.minPosition, a.agencyId), a.first, a.after))
      },
      webhookDeliveries: async (_r: unknown, raw: unknown, ctx: GraphqlContext) => {
        const { filter: { agencyId, ...filter }, first, after, minPosition } = parse(DeliveryArgs, raw)
        return connection(await listWebhookDeliveries(s.pool, await agencies(ctx, minPosition, agencyId), filter, first, after))
      },
    },
    Mutation: {
      createWebhookSubscription: async (_r: unknown, raw: unknown, ctx: GraphqlContext) => {
        const a = parse(CreateArgs, raw)
        return createWebhookSubscription(s, box(), opts.webhookUrlPolicy ?? { allowInsecure: false }, principalOf(ctx), a.input, commandContext(ctx, a.idempotencyKey))
      },
      rotateWebhookSubscriptionSecret: async (_r: unknown, raw: unknown, ctx: GraphqlContext) => {
        const a = parse(RotateArgs, raw)
        return rotateWebhookSubscriptionSecret(s, box(), principalOf(ctx), a.subscriptionId, commandContext(ctx, a.idempotencyKey))
      },
    },
    WebhookDelivery: {
      /** The envelope exactly as sent (JSON text). */
      payload: (d: WebhookDeliveryView) => JSON.stringify(d.payload),
    },
  }
}

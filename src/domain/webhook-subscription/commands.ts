import { z } from 'zod'
import type { Command } from '../shared/decider.js'
import { text } from '../shared/values.js'
import { MAX_WEBHOOK_URL_LENGTH } from './url-policy.js'

/** Event types are checked by the decider (UnknownWebhookEventType names the catalogue), not by an enum here. */
export const CreateWebhookSubscriptionInput = z.object({
  url: z.string().trim().min(1).max(MAX_WEBHOOK_URL_LENGTH).describe('where deliveries are POSTed: https://… (public addresses only)'),
  eventTypes: z.array(z.string().max(100)).min(1).max(50).describe('public event types from the catalogue, e.g. ["incident.reported", "incident.closed"]'),
  description: text(500).optional(),
})
export const RetireWebhookSubscriptionSecretInput = z.object({ secretId: z.uuid() })
export const DisableWebhookSubscriptionInput = z.object({ reason: text(500).optional() })
export const RetryWebhookDeliveryInput = z.object({})

export type WebhookDeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED'

/** The secret itself never reaches a command or an event: only its id (the application stores it sealed). */
export type CreateWebhookSubscription = Command<'CreateWebhookSubscription', z.output<typeof CreateWebhookSubscriptionInput> & {
  subscriptionId: string; secretId: string
  /** The service's URL policy (configuration, not input): whether http: and internal addresses are allowed. */
  allowInsecureUrls: boolean
  /** A fact from the log: the agency's subscriptions not disabled, before this one. */
  liveSubscriptions: number
}>
export type RotateWebhookSubscriptionSecret = Command<'RotateWebhookSubscriptionSecret', { subscriptionId: string; secretId: string }>
export type RetireWebhookSubscriptionSecret = Command<'RetireWebhookSubscriptionSecret', z.output<typeof RetireWebhookSubscriptionSecretInput> & { subscriptionId: string }>
export type DisableWebhookSubscription = Command<'DisableWebhookSubscription', z.output<typeof DisableWebhookSubscriptionInput> & { subscriptionId: string }>
/** `deliveryStatus` is a fact from the delivery log (absent: no such delivery of this subscription). */
export type RetryWebhookDelivery = Command<'RetryWebhookDelivery', { subscriptionId: string; deliveryId: string; deliveryStatus?: WebhookDeliveryStatus | undefined }>

export type WebhookSubscriptionCommand = CreateWebhookSubscription | RotateWebhookSubscriptionSecret | RetireWebhookSubscriptionSecret
  | DisableWebhookSubscription | RetryWebhookDelivery

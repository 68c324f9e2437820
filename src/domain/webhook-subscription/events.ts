import type { DomainEvent } from '../shared/decider.js'

export type WebhookSubscriptionCreated = DomainEvent<'WebhookSubscriptionCreated', {
  subscriptionId: string; url: string; eventTypes: string[]; description?: string | undefined; secretId: string; createdBy: string; at: string
}>
export type WebhookSubscriptionSecretAdded = DomainEvent<'WebhookSubscriptionSecretAdded', { subscriptionId: string; secretId: string; addedBy: string; at: string }>
export type WebhookSubscriptionSecretRetired = DomainEvent<'WebhookSubscriptionSecretRetired', { subscriptionId: string; secretId: string; retiredBy: string; at: string }>
export type WebhookSubscriptionDisabled = DomainEvent<'WebhookSubscriptionDisabled', { subscriptionId: string; disabledBy: string; reason?: string | undefined; at: string }>
/** The audit trail of a manual retry: the outbox puts the FAILED delivery back to PENDING, due at `at`. */
export type WebhookDeliveryRetryRequested = DomainEvent<'WebhookDeliveryRetryRequested', { subscriptionId: string; deliveryId: string; requestedBy: string; at: string }>

export type WebhookSubscriptionEvent = WebhookSubscriptionCreated | WebhookSubscriptionSecretAdded | WebhookSubscriptionSecretRetired
  | WebhookSubscriptionDisabled | WebhookDeliveryRetryRequested
export const webhookSubscriptionEventTypes = [
  'WebhookSubscriptionCreated', 'WebhookSubscriptionSecretAdded', 'WebhookSubscriptionSecretRetired', 'WebhookSubscriptionDisabled', 'WebhookDeliveryRetryRequested',
] as const satisfies readonly WebhookSubscriptionEvent['type'][]

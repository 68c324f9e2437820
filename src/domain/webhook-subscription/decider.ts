// One outbound webhook subscription per stream `webhook-subscription-<id>`: created with one signing
// secret, secrets added and retired (rotation: every live secret signs each delivery until retired),
// disabled for good. Manual retries of failed deliveries are recorded here too, as the audit trail.
import type { Decider } from '../shared/decider.js'
import { DomainError } from '../shared/errors.js'
import type { CreateWebhookSubscription, RetryWebhookDelivery, WebhookSubscriptionCommand } from './commands.js'
import type { WebhookSubscriptionEvent } from './events.js'
import { isWebhookEventType, webhookEventTypeNames } from './outbound-events.js'
import { unsafeUrlReason } from './url-policy.js'

export interface WebhookSubscriptionState {
  readonly exists: boolean
  readonly disabled: boolean
  /** Ids of the secrets that sign deliveries now. */
  readonly liveSecretIds: readonly string[]
}

/** Standard Webhooks receivers take several signatures in one header; more than this is a rotation nobody finished. */
export const maxLiveWebhookSecrets = 5
/** Live (not disabled) subscriptions per agency: each is a receiver the dispatcher serves, one delivery at a time. */
export const maxLiveWebhookSubscriptions = 20

export const initialWebhookSubscriptionState = (): WebhookSubscriptionState => ({ exists: false, disabled: false, liveSecretIds: [] })

export function evolveWebhookSubscription(s: WebhookSubscriptionState, e: WebhookSubscriptionEvent): WebhookSubscriptionState {
  switch (e.type) {
    case 'WebhookSubscriptionCreated': return { ...s, exists: true, liveSecretIds: [e.data.secretId] }
    case 'WebhookSubscriptionSecretAdded': return { ...s, liveSecretIds: [...s.liveSecretIds, e.data.secretId] }
    case 'WebhookSubscriptionSecretRetired': return { ...s, liveSecretIds: s.liveSecretIds.filter((id) => id !== e.data.secretId) }
    case 'WebhookSubscriptionDisabled': return { ...s, disabled: true, liveSecretIds: [] }
    case 'WebhookDeliveryRetryRequested': return s
  }
}

function live(s: WebhookSubscriptionState, subscriptionId: string): void {
  if (!s.exists) throw new DomainError('WebhookSubscriptionNotFound', `no webhook subscription ${subscriptionId} in this agency`)
  if (s.disabled) throw new DomainError('WebhookSubscriptionDisabled', `webhook subscription ${subscriptionId} is disabled; create a new one`)
}

function create(c: CreateWebhookSubscription, s: WebhookSubscriptionState): WebhookSubscriptionEvent[] {
  const { subscriptionId, url, eventTypes, description, secretId, allowInsecureUrls, liveSubscriptions } = c.data
  if (s.exists) throw new DomainError('WebhookSubscriptionExists', `webhook subscription ${subscriptionId} already exists`)
  if (liveSubscriptions >= maxLiveWebhookSubscriptions) {
    throw new DomainError('TooManyWebhookSubscriptions',
      `this agency has ${liveSubscriptions} live webhook subscriptions; at most ${maxLiveWebhookSubscriptions}: disable one no receiver uses, or name several event types in one subscription`,
      { liveSubscriptions, max: maxLiveWebhookSubscriptions })
  }
  const unsafe = unsafeUrlReason(url, { allowInsecure: allowInsecureUrls })
  if (unsafe !== undefined) throw new DomainError('UnsafeWebhookUrl', `the webhook URL cannot be used: ${unsafe}`, { path: 'url' })
  const unknown = eventTypes.filter((t) => !isWebhookEventType(t))
  if (unknown.length > 0) {
    throw new DomainError('UnknownWebhookEventType', `unknown event type(s) ${unknown.join(', ')}; choose from ${webhookEventTypeNames.join(', ')}`, { unknown, known: webhookEventTypeNames })
  }
  const repeated = eventTypes.filter((t, i) => eventTypes.indexOf(t) !== i)
  if (repeated.length > 0) throw new DomainError('DuplicateWebhookEventType', `event type(s) listed more than once: ${[...new Set(repeated)].join(', ')}`, { repeated })
  return [{ type: 'WebhookSubscriptionCreated', data: { subscriptionId, url, eventTypes, description, secretId, createdBy: c.metadata.actor.id, at: c.metadata.now } }]
}

function retry(c: RetryWebhookDelivery, s: WebhookSubscriptionState): WebhookSubscriptionEvent[] {
  const { subscriptionId, deliveryId, deliveryStatus } = c.data
  live(s, subscriptionId)
  if (deliveryStatus === undefined) throw new DomainError('WebhookDeliveryNotFound', `no delivery ${deliveryId} of webhook subscription ${subscriptionId}`)
  if (deliveryStatus !== 'FAILED') {
    throw new DomainError('WebhookDeliveryNotFailed', `delivery ${deliveryId} is ${deliveryStatus}: only a FAILED delivery is retried by hand`, { status: deliveryStatus })
  }
  return [{ type: 'WebhookDeliveryRetryRequested', data: { subscriptionId, deliveryId, requestedBy: c.metadata.actor.id, at: c.metadata.now } }]
}

function decide(c: WebhookSubscriptionCommand, s: WebhookSubscriptionState): WebhookSubscriptionEvent[] {
  const { now: at, actor } = c.metadata
  switch (c.type) {
    case 'CreateWebhookSubscription':
      return create(c, s)
    case 'RotateWebhookSubscriptionSecret':
      live(s, c.data.subscriptionId)
      if (s.liveSecretIds.length >= maxLiveWebhookSecrets) {
        throw new DomainError('TooManyWebhookSecrets', `at most ${maxLiveWebhookSecrets} live secrets; retire an old one first`, { liveSecretIds: s.liveSecretIds })
      }
      return [{ type: 'WebhookSubscriptionSecretAdded', data: { subscriptionId: c.data.subscriptionId, secretId: c.data.secretId, addedBy: actor.id, at } }]
    case 'RetireWebhookSubscriptionSecret':
      live(s, c.data.subscriptionId)
      if (!s.liveSecretIds.includes(c.data.secretId)) throw new DomainError('WebhookSecretNotFound', `no live secret ${c.data.secretId} on this webhook subscription`)
      if (s.liveSecretIds.length === 1) throw new DomainError('LastWebhookSecret', 'this is the only live secret: rotate first (add a new one), then retire this one')
      return [{ type: 'WebhookSubscriptionSecretRetired', data: { subscriptionId: c.data.subscriptionId, secretId: c.data.secretId, retiredBy: actor.id, at } }]
    case 'DisableWebhookSubscription':
      live(s, c.data.subscriptionId)
      return [{ type: 'WebhookSubscriptionDisabled', data: { subscriptionId: c.data.subscriptionId, disabledBy: actor.id, reason: c.data.reason, at } }]
    case 'RetryWebhookDelivery':
      return retry(c, s)
  }
}

export const webhookSubscriptionDecider: Decider<WebhookSubscriptionCommand, WebhookSubscriptionEvent, WebhookSubscriptionState> = {
  streamType: 'webhook-subscription', initialState: initialWebhookSubscriptionState, evolve: evolveWebhookSubscription, decide,
}

export const webhookSubscriptionStreamId = (subscriptionId: string) => `webhook-subscription-${subscriptionId}`

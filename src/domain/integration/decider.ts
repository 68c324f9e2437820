// One webhook integration per stream `integration-<id>`: created with one secret, secrets added and
// retired (rotation without downtime: old and new are valid until the old is retired), disabled for good.
import type { Decider } from '../shared/decider.js'
import { DomainError } from '../shared/errors.js'
import type { IntegrationAuthMode, IntegrationCommand, IntegrationFormat, IntegrationSeverity } from './commands.js'
import type { IntegrationEvent } from './events.js'

export interface IntegrationState {
  readonly exists: boolean
  readonly format?: IntegrationFormat
  readonly authMode?: IntegrationAuthMode
  readonly defaultSeverity?: IntegrationSeverity | undefined
  readonly severityThreshold?: IntegrationSeverity
  readonly correlationWindowMinutes: number
  readonly disabled: boolean
  /** Ids of the secrets that verify deliveries now. */
  readonly liveSecretIds: readonly string[]
}

/** More live secrets than this is a rotation nobody finished. */
export const maxLiveSecrets = 5

/** The window of integrations created before correlation was configurable. */
export const DEFAULT_CORRELATION_WINDOW_MINUTES = 60

export const initialIntegrationState = (): IntegrationState => ({ exists: false, disabled: false, liveSecretIds: [], correlationWindowMinutes: DEFAULT_CORRELATION_WINDOW_MINUTES })

export function evolveIntegration(s: IntegrationState, e: IntegrationEvent): IntegrationState {
  switch (e.type) {
    case 'IntegrationCreated': return { ...s, exists: true, format: e.data.format, authMode: e.data.authMode, defaultSeverity: e.data.defaultSeverity, severityThreshold: e.data.severityThreshold, correlationWindowMinutes: e.data.correlationWindowMinutes ?? DEFAULT_CORRELATION_WINDOW_MINUTES, liveSecretIds: [e.data.secretId] }
    case 'IntegrationPolicyChanged': return { ...s, defaultSeverity: e.data.defaultSeverity ?? undefined, severityThreshold: e.data.severityThreshold, correlationWindowMinutes: e.data.correlationWindowMinutes }
    case 'IntegrationSecretAdded': return { ...s, liveSecretIds: [...s.liveSecretIds, e.data.secretId] }
    case 'IntegrationSecretRetired': return { ...s, liveSecretIds: s.liveSecretIds.filter((id) => id !== e.data.secretId) }
    case 'IntegrationDisabled': return { ...s, disabled: true, liveSecretIds: [] }
    case 'DeliveryRefused': return s
  }
}

function live(s: IntegrationState, integrationId: string): void {
  if (!s.exists) throw new DomainError('IntegrationNotFound', `no integration ${integrationId} in this agency`)
  if (s.disabled) throw new DomainError('IntegrationDisabled', `integration ${integrationId} is disabled; create a new one`)
}

function decide(c: IntegrationCommand, s: IntegrationState): IntegrationEvent[] {
  const { now: at, actor } = c.metadata
  switch (c.type) {
    case 'CreateIntegration':
      if (s.exists) throw new DomainError('IntegrationExists', `integration ${c.data.integrationId} already exists`)
      return [{ type: 'IntegrationCreated', data: { ...c.data, createdBy: actor.id, at } }]
    case 'RotateIntegrationSecret':
      live(s, c.data.integrationId)
      if (s.liveSecretIds.length >= maxLiveSecrets) throw new DomainError('TooManySecrets', `at most ${maxLiveSecrets} live secrets; retire an old one first`, { liveSecretIds: s.liveSecretIds })
      return [{ type: 'IntegrationSecretAdded', data: { ...c.data, addedBy: actor.id, at } }]
    case 'RetireIntegrationSecret':
      live(s, c.data.integrationId)
      if (!s.liveSecretIds.includes(c.data.secretId)) throw new DomainError('SecretNotFound', `no live secret ${c.data.secretId} on this integration`)
      if (s.liveSecretIds.length === 1) throw new DomainError('LastSecret', 'this is the only live secret: rotate first (add a new one), then retire this one')
      return [{ type: 'IntegrationSecretRetired', data: { ...c.data, retiredBy: actor.id, at } }]
    case 'ChangeIntegrationPolicy': {
      live(s, c.data.integrationId)
      const next = {
        defaultSeverity: c.data.defaultSeverity === undefined ? (s.defaultSeverity ?? null) : c.data.defaultSeverity,
        severityThreshold: c.data.severityThreshold ?? s.severityThreshold ?? 'medium',
        correlationWindowMinutes: c.data.correlationWindowMinutes ?? s.correlationWindowMinutes,
      }
      if (next.defaultSeverity === (s.defaultSeverity ?? null) && next.severityThreshold === s.severityThreshold && next.correlationWindowMinutes === s.correlationWindowMinutes) return []
      return [{ type: 'IntegrationPolicyChanged', data: { integrationId: c.data.integrationId, ...next, changedBy: actor.id, at } }]
    }
    case 'DisableIntegration':
      live(s, c.data.integrationId)
      return [{ type: 'IntegrationDisabled', data: { ...c.data, disabledBy: actor.id, at } }]
    case 'RecordDeliveryRefused':
      return [{ type: 'DeliveryRefused', data: { ...c.data, at } }]
  }
}

export const integrationDecider: Decider<IntegrationCommand, IntegrationEvent, IntegrationState> = {
  streamType: 'integration', initialState: initialIntegrationState, evolve: evolveIntegration, decide,
}

export const integrationStreamId = (integrationId: string) => `integration-${integrationId}`

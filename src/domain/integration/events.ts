import type { DomainEvent } from '../shared/decider.js'
import type { IntegrationAuthMode, IntegrationFormat, IntegrationSeverity } from './commands.js'

export type IntegrationCreated = DomainEvent<'IntegrationCreated', {
  integrationId: string; name: string; format: IntegrationFormat; authMode: IntegrationAuthMode
  defaultSeverity?: IntegrationSeverity | undefined; severityThreshold: IntegrationSeverity; secretId: string; createdBy: string; at: string
  /** Absent in events recorded before correlation existed: 60. */
  correlationWindowMinutes?: number | undefined
}>
/** The whole policy after the change. */
export type IntegrationPolicyChanged = DomainEvent<'IntegrationPolicyChanged', {
  integrationId: string; defaultSeverity: IntegrationSeverity | null; severityThreshold: IntegrationSeverity; correlationWindowMinutes: number; changedBy: string; at: string
}>
export type IntegrationSecretAdded = DomainEvent<'IntegrationSecretAdded', { integrationId: string; secretId: string; addedBy: string; at: string }>
export type IntegrationSecretRetired = DomainEvent<'IntegrationSecretRetired', { integrationId: string; secretId: string; retiredBy: string; at: string }>
export type IntegrationDisabled = DomainEvent<'IntegrationDisabled', { integrationId: string; disabledBy: string; reason?: string | undefined; at: string }>
export type DeliveryRefused = DomainEvent<'DeliveryRefused', { integrationId: string; reason: string; sourceAddress: string; payloadSha256?: string | undefined; suppressedBefore?: number | undefined; at: string }>

export type IntegrationEvent = IntegrationCreated | IntegrationSecretAdded | IntegrationSecretRetired | IntegrationPolicyChanged | IntegrationDisabled | DeliveryRefused
export const integrationEventTypes = ['IntegrationCreated', 'IntegrationSecretAdded', 'IntegrationSecretRetired', 'IntegrationPolicyChanged', 'IntegrationDisabled', 'DeliveryRefused'] as const satisfies readonly IntegrationEvent['type'][]

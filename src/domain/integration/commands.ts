import { z } from 'zod'
import type { Command } from '../shared/decider.js'
import { text } from '../shared/values.js'

/** The SIEM formats and auth modes an integration may name (the same lists as src/siem and src/siem/webhook-auth; a test keeps them equal). */
export const integrationFormats = ['wazuh', 'alertmanager', 'grafana', 'elastic', 'splunk', 'sentinel', 'ocsf', 'cef'] as const
export const integrationAuthModes = ['standard-webhooks', 'grafana-hmac', 'bearer', 'basic', 'url-token'] as const
export const integrationSeverities = ['info', 'low', 'medium', 'high', 'critical'] as const
export type IntegrationFormat = (typeof integrationFormats)[number]
export type IntegrationAuthMode = (typeof integrationAuthModes)[number]
export type IntegrationSeverity = (typeof integrationSeverities)[number]

/** Alerts with the same rule and asset join one open incident while each comes within this many minutes of the last (0: every alert apart). */
export const CorrelationWindow = z.number().int().min(0).max(10_080)
  .describe('minutes: an alert with the same rule and asset as the last one of an open incident, and at most this long after it, joins that incident (0 = never join; at most 7 days)')

export const CreateIntegrationInput = z.object({
  name: text(200),
  format: z.enum(integrationFormats),
  authMode: z.enum(integrationAuthModes),
  defaultSeverity: z.enum(integrationSeverities).optional().describe('applied when a payload gives no severity'),
  severityThreshold: z.enum(integrationSeverities).default('medium').describe('the lowest severity that may open an incident'),
  correlationWindowMinutes: CorrelationWindow.default(60),
})
/** The correlation policy, changed as a whole: the fields given replace the current ones (null clears the default severity). */
export const ChangeIntegrationPolicyInput = z.object({
  defaultSeverity: z.enum(integrationSeverities).nullable().optional().describe('applied when a payload gives no severity; null clears it'),
  severityThreshold: z.enum(integrationSeverities).optional().describe('the lowest severity that may open an incident'),
  correlationWindowMinutes: CorrelationWindow.optional(),
}).refine((v) => v.defaultSeverity !== undefined || v.severityThreshold !== undefined || v.correlationWindowMinutes !== undefined, {
  message: 'give at least one of defaultSeverity, severityThreshold, correlationWindowMinutes',
})
export const RetireIntegrationSecretInput = z.object({ secretId: z.uuid() })
export const DisableIntegrationInput = z.object({ reason: text(500).optional() })

/** The secret value itself never reaches a command or an event: only its id (the application stores it encrypted). */
export type CreateIntegration = Command<'CreateIntegration', z.output<typeof CreateIntegrationInput> & { integrationId: string; secretId: string }>
export type RotateIntegrationSecret = Command<'RotateIntegrationSecret', { integrationId: string; secretId: string }>
export type RetireIntegrationSecret = Command<'RetireIntegrationSecret', z.output<typeof RetireIntegrationSecretInput> & { integrationId: string }>
export type ChangeIntegrationPolicy = Command<'ChangeIntegrationPolicy', z.output<typeof ChangeIntegrationPolicyInput> & { integrationId: string }>
export type DisableIntegration = Command<'DisableIntegration', z.output<typeof DisableIntegrationInput> & { integrationId: string }>
/** Audit of a refused delivery: why, from where; never the unverified body (at most its SHA-256). */
export type RecordDeliveryRefused = Command<'RecordDeliveryRefused', {
  integrationId: string; reason: string; sourceAddress: string; payloadSha256?: string | undefined
  /** Refusals from the same address not recorded one by one since the last one recorded (a flood: see src/http/refusal-limiter.ts). */
  suppressedBefore?: number | undefined
}>

export type IntegrationCommand = CreateIntegration | RotateIntegrationSecret | RetireIntegrationSecret | ChangeIntegrationPolicy | DisableIntegration | RecordDeliveryRefused

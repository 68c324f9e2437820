// Entity types of the audit trail and their streams, both ways: an entity filter names the stream (and, where
// several entities share one stream, the data field) to read; an event read back is labelled with the entity
// its stream (or data) is about. Stream ids come from each domain's own `...StreamId` function.
import { agencyStreamId } from '../domain/agency/decider.js'
import { alertGroupStreamId, alertStreamId } from '../domain/alert/index.js'
import { auditStreamId } from '../domain/audit/decider.js'
import { contractStreamId } from '../domain/contract/decider.js'
import { contractorStreamId } from '../domain/contractor/decider.js'
import { employeeStreamId } from '../domain/employee/decider.js'
import { exceptionStreamId } from '../domain/exception/decider.js'
import { incidentStreamId } from '../domain/incident/decider.js'
import { assetStreamId } from '../domain/information/decider.js'
import { integrationStreamId } from '../domain/integration/decider.js'
import { managementStreamId } from '../domain/management/decider.js'
import { planStreamId } from '../domain/plan/decider.js'
import { policyStreamId } from '../domain/policy/decider.js'
import { dutiesStreamId } from '../domain/compliance/duties.js'
import { riskStreamId } from '../domain/risk/decider.js'
import { selfCheckStreamId } from '../domain/self-check/decider.js'
import { systemStreamId } from '../domain/system/decider.js'
import { trainingStreamId } from '../domain/training/decider.js'
import { usageRulesAckStreamId, usageRulesStreamId } from '../domain/usage-rules/decider.js'
import { webhookSubscriptionStreamId } from '../domain/webhook-subscription/decider.js'

export const entityTypes = [
  'INCIDENT', 'EXCEPTION', 'ASSET', 'SYSTEM', 'EMPLOYEE', 'ROLE_ASSIGNMENT', 'RISK', 'AUDIT', 'CONTRACT', 'CONTRACTOR',
  'INTEGRATION', 'ALERT', 'ALERT_GROUP', 'WEBHOOK_SUBSCRIPTION', 'POLICY', 'PLAN', 'TRAINING', 'SELF_CHECK', 'USAGE_RULES',
  'USAGE_RULES_ACKNOWLEDGEMENT', 'AGENCY', 'MANAGEMENT', 'COMPLIANCE_DUTIES',
] as const
export type EntityType = (typeof entityTypes)[number]

/** What an event is about. `OTHER` (id = the stream id) labels streams no entity type names; it is not a filter. */
export interface EntityRef {
  type: EntityType | 'OTHER'
  /** Null for the agency's singletons (POLICY, USAGE_RULES). */
  id: string | null
}

/** How an entity's id is given: a record id, a fiscal year, the agency itself (optional), or none. */
type IdKind = 'local' | 'fiscalYear' | 'agency' | 'none'

interface EntityKind {
  streamType: string
  idKind: IdKind
  stream(id: string, agencyId: string): string
  /** Several entities share the stream: an event belongs to the one this data field names. */
  dataKey?: string
  /** The entity's events are on several streams of its type: the one this data field names (read by scanning). */
  scanKey?: string
}

const kinds: Record<EntityType, EntityKind> = {
  INCIDENT: { streamType: 'incident', idKind: 'local', stream: incidentStreamId },
  EXCEPTION: { streamType: 'exception', idKind: 'local', stream: exceptionStreamId },
  ASSET: { streamType: 'asset', idKind: 'local', stream: assetStreamId },
  SYSTEM: { streamType: 'system', idKind: 'local', stream: systemStreamId },
  EMPLOYEE: { streamType: 'employee', idKind: 'local', stream: employeeStreamId },
  ROLE_ASSIGNMENT: { streamType: 'management', idKind: 'local', stream: (_id, agencyId) => managementStreamId(agencyId), dataKey: 'assignmentId' },
  RISK: { streamType: 'risk', idKind: 'local', stream: riskStreamId },
  AUDIT: { streamType: 'audit', idKind: 'local', stream: auditStreamId },
  CONTRACT: { streamType: 'contract', idKind: 'local', stream: contractStreamId },
  CONTRACTOR: { streamType: 'contractor', idKind: 'local', stream: contractorStreamId },
  // Refused deliveries are streams of their own (`integration-<id>-refusal-<uuid>`, see alert-intake.ts).
  INTEGRATION: { streamType: 'integration', idKind: 'local', stream: integrationStreamId, scanKey: 'integrationId' },
  ALERT: { streamType: 'alert', idKind: 'local', stream: alertStreamId },
  ALERT_GROUP: { streamType: 'alert-group', idKind: 'local', stream: alertGroupStreamId },
  WEBHOOK_SUBSCRIPTION: { streamType: 'webhook-subscription', idKind: 'local', stream: webhookSubscriptionStreamId },
  POLICY: { streamType: 'policy', idKind: 'none', stream: () => policyStreamId },
  PLAN: { streamType: 'plan', idKind: 'fiscalYear', stream: (id) => planStreamId(Number(id)) },
  TRAINING: { streamType: 'training', idKind: 'fiscalYear', stream: (id) => trainingStreamId(Number(id)) },
  SELF_CHECK: { streamType: 'selfcheck', idKind: 'fiscalYear', stream: (id) => selfCheckStreamId(Number(id)) },
  USAGE_RULES: { streamType: 'usage-rules', idKind: 'none', stream: () => usageRulesStreamId },
  USAGE_RULES_ACKNOWLEDGEMENT: { streamType: 'usage-rules-ack', idKind: 'local', stream: usageRulesAckStreamId },
  AGENCY: { streamType: 'agency', idKind: 'agency', stream: (_id, agencyId) => agencyStreamId(agencyId) },
  MANAGEMENT: { streamType: 'management', idKind: 'agency', stream: (_id, agencyId) => managementStreamId(agencyId) },
  COMPLIANCE_DUTIES: { streamType: 'compliance-duties', idKind: 'none', stream: () => dutiesStreamId },
}

/** Where an entity's events are: one stream (optionally narrowed by a data field), or every stream of a type whose data names it. */
export type EntitySource =
  | { kind: 'stream'; streamId: string; dataMatch?: { key: string; value: string } | undefined }
  | { kind: 'scan'; streamType: string; dataMatch: { key: string; value: string } }

export class EntityIdError extends Error {
  override name = 'EntityIdError'
}

/** The entity's id as the filter must hold it (null for singletons), or an EntityIdError saying what to give. */
export function entityId(type: EntityType, id: string | null | undefined, agencyId: string): string | null {
  const given = id === undefined || id === null || id === '' ? undefined : id
  switch (kinds[type].idKind) {
    case 'none':
      if (given !== undefined) throw new EntityIdError(`${type} is one per agency: leave the entity id out`)
      return null
    case 'agency':
      if (given !== undefined && given !== agencyId) throw new EntityIdError(`${type} is the agency's own (${agencyId}): leave the entity id out or give ${agencyId}`)
      return agencyId
    case 'fiscalYear':
      if (given === undefined || !/^\d{4}$/.test(given) || Number(given) < 2000 || Number(given) > 2200) {
        throw new EntityIdError(`${type} is identified by its fiscal year: give a year such as 2026`)
      }
      return given
    case 'local':
      if (given === undefined) throw new EntityIdError(`${type} needs the id of the record (entity id)`)
      return given
  }
}

/** Where to read an entity's events; `id` as entityId() returned it. */
export function entitySource(type: EntityType, id: string | null, agencyId: string): EntitySource {
  const kind = kinds[type]
  if (kind.scanKey !== undefined && id !== null) return { kind: 'scan', streamType: kind.streamType, dataMatch: { key: kind.scanKey, value: id } }
  const streamId = kind.stream(id ?? '', agencyId)
  return { kind: 'stream', streamId, dataMatch: kind.dataKey !== undefined && id !== null ? { key: kind.dataKey, value: id } : undefined }
}

const byStreamType = new Map<string, EntityType>(
  (Object.entries(kinds) as [EntityType, EntityKind][]).filter(([type]) => type !== 'ROLE_ASSIGNMENT').map(([type, k]) => [k.streamType, type]),
)

/** `<prefix><id>` stream ids: the prefix, found by asking the domain's function for a sample id. */
const prefixes = new Map((Object.entries(kinds) as [EntityType, EntityKind][]).flatMap(([type, k]) => {
  if (k.idKind !== 'local' && k.idKind !== 'fiscalYear') return []
  const sample = k.idKind === 'fiscalYear' ? '2000' : 'x'
  const stream = k.stream(sample, '')
  return stream.endsWith(sample) ? [[type, stream.slice(0, -sample.length)] as const] : []
}))

/** The entity an event is about, from its stream (and, for shared streams, its data). */
export function entityOf(event: { agencyId: string; streamType: string; streamId: string; data: Record<string, unknown> }): EntityRef {
  const type = byStreamType.get(event.streamType)
  if (type === undefined) return { type: 'OTHER', id: event.streamId }
  const kind = kinds[type]
  if (event.streamType === 'management') {
    const assignmentId = event.data[kinds.ROLE_ASSIGNMENT.dataKey ?? '']
    return typeof assignmentId === 'string' ? { type: 'ROLE_ASSIGNMENT', id: assignmentId } : { type: 'MANAGEMENT', id: event.agencyId }
  }
  switch (kind.idKind) {
    case 'none': return { type, id: null }
    case 'agency': return { type, id: event.agencyId }
    case 'fiscalYear':
    case 'local': {
      const named = kind.scanKey !== undefined ? event.data[kind.scanKey] : undefined
      if (typeof named === 'string') return { type, id: named }
      const prefix = prefixes.get(type)
      return prefix !== undefined && event.streamId.startsWith(prefix) ? { type, id: event.streamId.slice(prefix.length) } : { type: 'OTHER', id: event.streamId }
    }
  }
}

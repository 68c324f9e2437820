// Kysely's view of the tables. Migrations own the DDL; this file must follow them.
import type { ColumnType, Generated } from 'kysely'

type Timestamp = ColumnType<Date, Date | string, Date | string>

export interface EventsTable {
  agency_id: string
  agency_position: number
  stream_id: string
  stream_type: string
  stream_version: number
  event_id: string
  event_type: string
  schema_version: number
  data: unknown
  metadata: unknown
  recorded_at: Timestamp
  prev_hash: Buffer
  hash: Buffer
}

export interface AgencyHeadsTable {
  agency_id: string
  position: number
  head_hash: Buffer
}

export interface IdempotencyKeysTable {
  agency_id: string
  idempotency_key: string
  request_hash: string
  result: unknown
  created_at: Generated<Timestamp>
}

export interface AccessTokensTable {
  agency_id: string
  token_id: string
  token_hash: Buffer
  actor_id: string
  roles: string[]
  created_at: Generated<Timestamp>
  revoked_at: Timestamp | null
}

export interface ProjectionCheckpointsTable {
  agency_id: string
  projection: string
  position: number
  updated_at: Generated<Timestamp>
}

export interface ProjectionLeasesTable {
  projection: string
  owner: string
  token: number
  expires_at: Timestamp
}

export interface AgenciesTable {
  agency_id: string
  name: string
  kind: string
  parent_id: string | null
  registered_at: Timestamp
}

export interface IncidentsTable {
  agency_id: string
  incident_id: string
  opened_position: number
  last_position: number
  version: number
  status: string
  title: string
  severity: string | null
  assessment: string | null
  serious: boolean
  source: string
  reported_by: string
  detected_at: Timestamp
  reported_at: Timestamp
  updated_at: Timestamp
  closed_at: Timestamp | null
  detail: unknown
}

export interface Database {
  events: EventsTable
  agency_heads: AgencyHeadsTable
  idempotency_keys: IdempotencyKeysTable
  access_tokens: AccessTokensTable
  projection_checkpoints: ProjectionCheckpointsTable
  projection_leases: ProjectionLeasesTable
  agencies: AgenciesTable
  incidents: IncidentsTable
}

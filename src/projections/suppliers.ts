// Read models of outsourcing (Art. 16) and system use (Art. 22): contractors (with their latest selection;
// qualification is derived by the queries from the required criteria), contracts, the supply-chain checks
// of each contract, the published usage rules and the acknowledgements. Set-based writes (RowBatch).
import type pg from 'pg'
import { contractEventTypes, type ContractEvent } from '../domain/contract/events.js'
import { contractorEventTypes, type ContractorEvent } from '../domain/contractor/events.js'
import { usageRulesAckEventTypes, usageRulesEventTypes, type UsageRulesAckEvent, type UsageRulesEvent } from '../domain/usage-rules/events.js'
import { RowBatch } from './row-batch.js'
import type { ProjectedEvent, Projection, TableNames } from './types.js'

const tableNames = ['contractors', 'contracts', 'contract_supply_chain_checks', 'usage_rules', 'usage_rule_acknowledgements'] as const
type Tables = (typeof tableNames)[number]
type Batches = Record<Tables, RowBatch>
type SupplierEvent = ContractorEvent | ContractEvent | UsageRulesEvent | UsageRulesAckEvent

const keys: Record<Tables, string[]> = {
  contractors: ['agency_id', 'contractor_id'],
  contracts: ['agency_id', 'contract_id'],
  contract_supply_chain_checks: ['agency_id', 'contract_id', 'check_id'],
  usage_rules: ['agency_id', 'version'],
  usage_rule_acknowledgements: ['agency_id', 'employee_id', 'version'],
}

function applyContractor(b: Batches, e: ProjectedEvent, event: ContractorEvent): void {
  const key = { agency_id: e.agencyId, contractor_id: event.data.contractorId, version: e.streamVersion, last_position: e.position }
  switch (event.type) {
    case 'ContractorRegistered': {
      const d = event.data
      return b.contractors.upsert({
        ...key, name: d.name, corporate_number: d.corporateNumber ?? null, address: d.address ?? null, registered_by: d.registeredBy, registered_at: d.at,
        criteria: null, selection_recorded_by: null, selection_recorded_at: null,
      })
    }
    case 'ContractorSelectionRecorded':
      return b.contractors.patch({ ...key, criteria: event.data.criteria, selection_recorded_by: event.data.recordedBy, selection_recorded_at: event.data.at })
  }
}

function applyContract(b: Batches, e: ProjectedEvent, event: ContractEvent): void {
  const key = { agency_id: e.agencyId, contract_id: event.data.contractId }
  const touched = { ...key, version: e.streamVersion, last_position: e.position, updated_at: e.recordedAt }
  switch (event.type) {
    case 'ContractRecorded': {
      const d = event.data
      return b.contracts.upsert({
        ...touched, contractor_id: d.contractorId, subject: d.subject, owner_unit_id: d.ownerUnitId, system_ids: d.systemIds, valid_from: d.from, valid_to: d.to,
        original_to: d.to, security_clauses: d.securityClauses, handles_information_class: d.handlesInformationClass ?? null, status: 'ACTIVE',
        recorded_by: d.recordedBy, recorded_at: d.at, extension: null, ending: null, ended_on: null, information_return: null, closure: null, closed_at: null,
      })
    }
    case 'ContractExtended': {
      const { previousTo, to, note, extendedBy, at } = event.data
      return b.contracts.patch({ ...touched, valid_to: to, extension: { previousTo, to, note: note ?? null, by: extendedBy, at } })
    }
    case 'SupplyChainCheckRecorded': {
      const d = event.data
      b.contracts.patch(touched)
      return b.contract_supply_chain_checks.upsert({
        ...key, check_id: d.checkId, item: d.item, system_id: d.systemId ?? null, checks: d.checks, failed: d.failed, checked_on: d.checkedOn,
        recorded_by: d.recordedBy, recorded_at: d.at, position: e.position,
      })
    }
    case 'ContractEnded': {
      const { endedOn, note, endedBy, at } = event.data
      return b.contracts.patch({ ...touched, status: 'ENDED', ended_on: endedOn, ending: { endedOn, note: note ?? null, by: endedBy, at } })
    }
    case 'InformationReturnOrErasureConfirmed': {
      const { method, confirmedOn, evidenceRef, confirmedBy, at } = event.data
      return b.contracts.patch({ ...touched, information_return: { method, confirmedOn, evidenceRef: evidenceRef ?? null, by: confirmedBy, at } })
    }
    case 'ContractClosed': {
      const { note, closedBy, at } = event.data
      return b.contracts.patch({ ...touched, status: 'CLOSED', closure: { note: note ?? null, by: closedBy, at }, closed_at: at })
    }
  }
}

function applyUsageRules(b: Batches, e: ProjectedEvent, event: UsageRulesEvent | UsageRulesAckEvent): void {
  switch (event.type) {
    case 'UsageRulesPublished': {
      const d = event.data
      return b.usage_rules.upsert({
        agency_id: e.agencyId, version: d.version, title: d.title, summary: d.summary, document_ref: d.documentRef ?? null, effective_from: d.effectiveFrom,
        supersedes: d.supersedes ?? null, published_by: d.publishedBy, published_at: d.at, position: e.position,
      })
    }
    case 'UsageRulesAcknowledged': {
      const d = event.data
      return b.usage_rule_acknowledgements.upsert({ agency_id: e.agencyId, employee_id: d.employeeId, version: d.version, unit_id: d.unitId, acknowledged_at: d.at, position: e.position })
    }
  }
}

export const suppliersProjection: Projection<Tables> = {
  name: 'suppliers',
  eventTypes: [...contractorEventTypes, ...contractEventTypes, ...usageRulesEventTypes, ...usageRulesAckEventTypes],
  tables: tableNames,
  async apply(client: pg.ClientBase, events: readonly ProjectedEvent[], tables: TableNames<Tables>) {
    const b = Object.fromEntries(tableNames.map((t) => [t, new RowBatch(tables[t], keys[t])])) as Batches
    for (const e of events) {
      const event = { type: e.type, data: e.data } as SupplierEvent
      switch (event.type) {
        case 'ContractorRegistered':
        case 'ContractorSelectionRecorded': applyContractor(b, e, event); break
        case 'UsageRulesPublished':
        case 'UsageRulesAcknowledged': applyUsageRules(b, e, event); break
        case 'ContractRecorded':
        case 'ContractExtended':
        case 'SupplyChainCheckRecorded':
        case 'ContractEnded':
        case 'InformationReturnOrErasureConfirmed':
        case 'ContractClosed': applyContract(b, e, event)
      }
    }
    for (const t of tableNames) await b[t].write(client)
  },
}

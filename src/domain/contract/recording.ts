// Recording a contract (refused unless the contractor is qualified, the references exist and are in
// service, the period is valid and every required security clause is in it) and extending it (refused
// unless the contractor is still qualified).
import { DomainError } from '../shared/errors.js'
import { contractClauseCodes, requiredContractClauses } from '../shared/supplier-criteria.js'
import type { ContractorFacts, ExtendContract, RecordContract } from './commands.js'
import type { ContractEvent } from './events.js'
import { requireContract, requireContractStatus, type ContractState } from './state.js'

function checkReferences(command: RecordContract): void {
  const { contractorId, ownerUnitId, contractor, unitExists, unknownSystemIds, retiredSystemIds } = command.data
  if (!contractor.exists) throw new DomainError('UnknownContractor', `no contractor ${contractorId} in this agency; register it first (POST /api/contractors)`, { contractorId })
  if (!unitExists) throw new DomainError('UnknownUnit', `unit ${ownerUnitId} does not exist in this agency`, { unitIds: [ownerUnitId] })
  if (unknownSystemIds.length > 0) {
    throw new DomainError('SystemsNotInLedger', `${unknownSystemIds.join(', ')} ${unknownSystemIds.length === 1 ? 'is' : 'are'} not in the agency's information system ledger; register ${unknownSystemIds.length === 1 ? 'it' : 'them'} first`, {
      systemIds: unknownSystemIds,
    })
  }
  if (retiredSystemIds.length > 0) {
    throw new DomainError('SystemsRetired', `${retiredSystemIds.join(', ')} ${retiredSystemIds.length === 1 ? 'is a retired system' : 'are retired systems'}; a new contract names systems in service only: leave ${retiredSystemIds.length === 1 ? 'it' : 'them'} out of systemIds`, {
      systemIds: retiredSystemIds,
    })
  }
}

/** Contracts are made and extended with qualified contractors only: their latest selection meets every required criterion. */
function requireQualified(contractorId: string, contractor: ContractorFacts, step: string): void {
  if (contractor.selectionRecorded && contractor.unmet.length === 0) return
  const why = contractor.selectionRecorded ? `its latest selection does not meet ${contractor.unmet.join(', ')}` : `no selection is recorded (required criteria: ${contractor.unmet.join(', ')})`
  throw new DomainError('ContractorNotQualified', `contractor ${contractorId} is not qualified, so ${step} is refused: ${why}; record a selection that meets them (POST /api/contractors/${contractorId}/selection)`, {
    contractorId, unmet: contractor.unmet, selectionRecorded: contractor.selectionRecorded,
  })
}

export function recordContract(command: RecordContract, state: ContractState): ContractEvent[] {
  const d = command.data
  if (state.contractId !== undefined) throw new DomainError('ContractAlreadyExists', `contract ${d.contractId} is already recorded; extend or end it instead`, { contractId: d.contractId })
  checkReferences(command)
  if (d.to < d.from) throw new DomainError('InvalidPeriod', `the contract ends (${d.to}) before it starts (${d.from})`, { from: d.from, to: d.to })
  requireQualified(d.contractorId, d.contractor, 'the contract')
  const clauses = new Set(d.securityClauses)
  const missing = requiredContractClauses.filter((c) => !clauses.has(c))
  if (missing.length > 0) {
    throw new DomainError('MissingSecurityClauses', `the contract lacks the required security clauses ${missing.join(', ')}; add them to the contract and list them in securityClauses`, { missing })
  }
  return [{
    type: 'ContractRecorded',
    data: {
      contractId: d.contractId, contractorId: d.contractorId, subject: d.subject, ownerUnitId: d.ownerUnitId, systemIds: [...new Set(d.systemIds)], from: d.from, to: d.to,
      securityClauses: contractClauseCodes.filter((c) => clauses.has(c)), handlesInformationClass: d.handlesInformationClass,
      recordedBy: command.metadata.actor.id, at: command.metadata.now,
    },
  }]
}

export function extendContract(command: ExtendContract, state: ContractState): ContractEvent[] {
  const s = requireContract(state, command.data.contractId)
  requireContractStatus(s, ['ACTIVE'], 'an extension')
  const { to, note } = command.data
  if (to <= s.to) throw new DomainError('InvalidPeriod', `an extension ends after the current last day (${s.to}); ${to} does not`, { to, currentTo: s.to })
  requireQualified(s.contractorId, command.data.contractor, 'an extension')
  return [{ type: 'ContractExtended', data: { contractId: s.contractId, previousTo: s.to, to, note, extendedBy: command.metadata.actor.id, at: command.metadata.now } }]
}

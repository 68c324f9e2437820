// The end of a contract: ended on a day, then the information returned or erased (confirmed), then
// closed. Closing before the confirmation is refused (ErasureNotConfirmed).
import { DomainError } from '../shared/errors.js'
import type { CloseContract, ConfirmInformationReturnOrErasure, EndContract } from './commands.js'
import type { ContractEvent } from './events.js'
import { requireContract, requireContractStatus, requireNotBeforeStart, requireNotFuture, type ContractState } from './state.js'

export function endContract(command: EndContract, state: ContractState): ContractEvent[] {
  const s = requireContract(state, command.data.contractId)
  const { endedOn, note } = command.data
  requireContractStatus(s, ['ACTIVE'], 'ending')
  requireNotBeforeStart(s, endedOn, 'endedOn')
  requireNotFuture(endedOn, command.metadata.now, 'endedOn')
  return [{ type: 'ContractEnded', data: { contractId: s.contractId, endedOn, note, endedBy: command.metadata.actor.id, at: command.metadata.now } }]
}

export function confirmInformationReturnOrErasure(command: ConfirmInformationReturnOrErasure, state: ContractState): ContractEvent[] {
  const s = requireContract(state, command.data.contractId)
  const { method, confirmedOn, evidenceRef } = command.data
  requireContractStatus(s, ['ENDED'], 'confirming the return or erasure of its information')
  if (s.returned !== undefined) {
    throw new DomainError('ContractTransitionNotAllowed', `the ${s.returned.method === 'RETURNED' ? 'return' : 'erasure'} of contract ${s.contractId}'s information was already confirmed on ${s.returned.confirmedOn}; close the contract`, {
      status: s.status, confirmed: s.returned,
    })
  }
  requireNotBeforeStart(s, confirmedOn, 'confirmedOn')
  if (s.endedOn !== undefined && confirmedOn < s.endedOn) {
    throw new DomainError('InvalidPeriod', `confirmedOn ${confirmedOn} is before contract ${s.contractId} ended (${s.endedOn}); the information is returned or erased after the end: confirm it on or after ${s.endedOn}`, {
      confirmedOn, endedOn: s.endedOn,
    })
  }
  requireNotFuture(confirmedOn, command.metadata.now, 'confirmedOn')
  return [{ type: 'InformationReturnOrErasureConfirmed', data: { contractId: s.contractId, method, confirmedOn, evidenceRef, confirmedBy: command.metadata.actor.id, at: command.metadata.now } }]
}

export function closeContract(command: CloseContract, state: ContractState): ContractEvent[] {
  const s = requireContract(state, command.data.contractId)
  requireContractStatus(s, ['ENDED'], 'closing')
  if (s.returned === undefined) {
    throw new DomainError('ErasureNotConfirmed', `contract ${s.contractId} ended on ${s.endedOn ?? '?'}, but the return or erasure of its information is not confirmed; confirm it first (POST /api/contracts/${s.contractId}/information-return)`, {
      contractId: s.contractId,
    })
  }
  return [{ type: 'ContractClosed', data: { contractId: s.contractId, note: command.data.note, closedBy: command.metadata.actor.id, at: command.metadata.now } }]
}

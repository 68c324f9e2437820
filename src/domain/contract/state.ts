// The state a contract's stream folds to, and the checks its transitions share.
import { DomainError } from '../shared/errors.js'
import { tokyoDate } from '../shared/fiscal-year.js'
import type { ContractEvent } from './events.js'

export const contractStatuses = ['ACTIVE', 'ENDED', 'CLOSED'] as const
export type ContractStatus = (typeof contractStatuses)[number]

export interface ContractState {
  contractId?: string | undefined
  status?: ContractStatus | undefined
  contractorId?: string | undefined
  ownerUnitId?: string | undefined
  systemIds: readonly string[]
  from?: string | undefined
  to?: string | undefined
  endedOn?: string | undefined
  /** Return or erasure of the information, once confirmed. */
  returned?: { method: string; confirmedOn: string } | undefined
}

export type ExistingContract = ContractState & { contractId: string; status: ContractStatus; contractorId: string; ownerUnitId: string; from: string; to: string }

export const initialContractState = (): ContractState => ({ systemIds: [] })

export function evolveContract(state: ContractState, event: ContractEvent): ContractState {
  switch (event.type) {
    case 'ContractRecorded': {
      const { contractId, contractorId, ownerUnitId, systemIds, from, to } = event.data
      return { contractId, status: 'ACTIVE', contractorId, ownerUnitId, systemIds, from, to }
    }
    case 'ContractExtended': return { ...state, to: event.data.to }
    case 'SupplyChainCheckRecorded': return state
    case 'ContractEnded': return { ...state, status: 'ENDED', endedOn: event.data.endedOn }
    case 'InformationReturnOrErasureConfirmed': return { ...state, returned: { method: event.data.method, confirmedOn: event.data.confirmedOn } }
    case 'ContractClosed': return { ...state, status: 'CLOSED' }
  }
}

export function requireContract(state: ContractState, contractId: string): ExistingContract {
  if (state.contractId === undefined || state.status === undefined || state.contractorId === undefined || state.ownerUnitId === undefined || state.from === undefined || state.to === undefined) {
    throw new DomainError('ContractNotFound', `no contract ${contractId} in this agency`, { contractId })
  }
  return state as ExistingContract
}

/** The step needs one of `allowed`; the message says where the contract stands and what comes first. */
export function requireContractStatus(state: ExistingContract, allowed: readonly ContractStatus[], step: string): void {
  if (allowed.includes(state.status)) return
  const hint = state.status === 'ACTIVE' ? '; end it first (EndContract)' : ''
  throw new DomainError('ContractTransitionNotAllowed', `contract ${state.contractId} is ${state.status}; ${step} needs it ${allowed.join(' or ')}${hint}`, {
    status: state.status, allowed: [...allowed],
  })
}

/** A date of something that has happened: not after today in Japan. */
export function requireNotFuture(date: string, now: string, field: string): void {
  const today = tokyoDate(now)
  if (date > today) throw new DomainError('ContractDateInFuture', `${field} ${date} is after today (${today}, Japan); record it once it has happened`, { [field]: date, today })
}

export function requireNotBeforeStart(state: ExistingContract, date: string, field: string): void {
  if (date < state.from) throw new DomainError('InvalidPeriod', `${field} ${date} is before the contract started (${state.from})`, { [field]: date, from: state.from })
}

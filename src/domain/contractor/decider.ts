// One contractor per stream `contractor-<contractorId>`: registered once, then selections recorded
// (the latest counts). Qualification is derived: every required criterion met in the latest selection.
import type { Decider } from '../shared/decider.js'
import { DomainError } from '../shared/errors.js'
import { requiredSelectionCriteria } from '../shared/supplier-criteria.js'
import type { ContractorCommand, RecordContractorSelection, RegisterContractor } from './commands.js'
import type { ContractorEvent, CriterionRecord } from './events.js'

export interface ContractorState {
  contractorId?: string | undefined
  name?: string | undefined
  /** The latest selection's criteria; absent until one is recorded. */
  criteria?: readonly CriterionRecord[] | undefined
}

export interface Qualification {
  qualified: boolean
  /** Required criteria not met (or not checked) in the latest selection: all of them without one. */
  unmet: string[]
  selectionRecorded: boolean
}

/** Derived from the criteria as recorded and the required set as the data has it today. */
export function qualificationOf(criteria: readonly CriterionRecord[] | undefined | null): Qualification {
  const met = new Set((criteria ?? []).filter((c) => c.met).map((c) => c.code))
  const unmet = requiredSelectionCriteria.filter((code) => !met.has(code))
  return { qualified: criteria != null && unmet.length === 0, unmet, selectionRecorded: criteria != null }
}

function evolve(state: ContractorState, event: ContractorEvent): ContractorState {
  switch (event.type) {
    case 'ContractorRegistered': return { contractorId: event.data.contractorId, name: event.data.name }
    case 'ContractorSelectionRecorded': return { ...state, criteria: event.data.criteria }
  }
}

function register(command: RegisterContractor, state: ContractorState): ContractorEvent[] {
  const { contractorId, name, corporateNumber, address } = command.data
  if (state.contractorId !== undefined) throw new DomainError('ContractorAlreadyExists', `contractor ${contractorId} is already registered; record a selection on it instead`, { contractorId })
  return [{ type: 'ContractorRegistered', data: { contractorId, name, corporateNumber, address, registeredBy: command.metadata.actor.id, at: command.metadata.now } }]
}

function recordSelection(command: RecordContractorSelection, state: ContractorState): ContractorEvent[] {
  const { contractorId, criteria } = command.data
  if (state.contractorId === undefined) throw new DomainError('ContractorNotFound', `no contractor ${contractorId} in this agency; register it first (POST /api/contractors)`, { contractorId })
  const recorded = criteria.map(({ code, met, evidence }) => ({ code, met, evidence }))
  return [{ type: 'ContractorSelectionRecorded', data: { contractorId, criteria: recorded, recordedBy: command.metadata.actor.id, at: command.metadata.now } }]
}

export const contractorDecider: Decider<ContractorCommand, ContractorEvent, ContractorState> = {
  streamType: 'contractor',
  initialState: () => ({}),
  evolve,
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterContractor': return register(command, state)
      case 'RecordContractorSelection': return recordSelection(command, state)
    }
  },
}

export const contractorStreamId = (contractorId: string) => `contractor-${contractorId}`

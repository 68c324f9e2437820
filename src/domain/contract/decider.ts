// One contract (Art. 16) per stream `contract-<contractId>`: ACTIVE (extended, supply-chain checks) →
// ENDED → return or erasure confirmed → CLOSED.
import type { Decider } from '../shared/decider.js'
import type { ContractCommand } from './commands.js'
import { closeContract, confirmInformationReturnOrErasure, endContract } from './ending.js'
import type { ContractEvent } from './events.js'
import { extendContract, recordContract } from './recording.js'
import { evolveContract, initialContractState, type ContractState } from './state.js'
import { recordSupplyChainCheck } from './supply-chain.js'

export const contractDecider: Decider<ContractCommand, ContractEvent, ContractState> = {
  streamType: 'contract',
  initialState: initialContractState,
  evolve: evolveContract,
  decide: (command, state) => {
    switch (command.type) {
      case 'RecordContract': return recordContract(command, state)
      case 'ExtendContract': return extendContract(command, state)
      case 'RecordSupplyChainCheck': return recordSupplyChainCheck(command, state)
      case 'EndContract': return endContract(command, state)
      case 'ConfirmInformationReturnOrErasure': return confirmInformationReturnOrErasure(command, state)
      case 'CloseContract': return closeContract(command, state)
    }
  },
}

export const contractStreamId = (contractId: string) => `contract-${contractId}`

// One information system per stream `system-<systemId>` (the agency's ledger number): its ledger entry
// (Art. 17), lifecycle (Art. 18), continuity (Art. 19), cryptography (Art. 20) and internet services
// (Art. 21). Everything about a system is on its stream, so a retired system refuses every command in
// one place and its history is one read.
import type { Decider } from '../shared/decider.js'
import type { SystemCommand } from './commands.js'
import type { SystemEvent } from './events.js'
import { recordDocument, register, review, updateLedger } from './ledger.js'
import { approveSecurityRequirements, changeStage, confirmErasure } from './lifecycle.js'
import { recordContinuityExercise, recordContinuityPlan, recordInternetServiceMeasures, setCryptoPolicy } from './measures.js'
import { evolveSystem, initialSystemState, type SystemState } from './state.js'

export const systemDecider: Decider<SystemCommand, SystemEvent, SystemState> = {
  streamType: 'system',
  initialState: initialSystemState,
  evolve: evolveSystem,
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterInformationSystem': return register(command, state)
      case 'UpdateInformationSystemLedger': return updateLedger(command, state)
      case 'RecordSystemDocument': return recordDocument(command, state)
      case 'ChangeSystemStage': return changeStage(command, state)
      case 'ApproveSecurityRequirements': return approveSecurityRequirements(command, state)
      case 'ConfirmSystemDataErasure': return confirmErasure(command, state)
      case 'RecordSystemReview': return review(command, state)
      case 'SetCryptoPolicy': return setCryptoPolicy(command, state)
      case 'RecordContinuityPlan': return recordContinuityPlan(command, state)
      case 'RecordContinuityExercise': return recordContinuityExercise(command, state)
      case 'RecordInternetServiceMeasures': return recordInternetServiceMeasures(command, state)
    }
  },
}

export const systemStreamId = (systemId: string) => `system-${systemId}`

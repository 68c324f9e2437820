// Measures recorded per system: its cryptographic policy (Art. 20; checked against the CRYPTREC list at
// read time, crypto-evaluation.ts), its operational continuity plan and exercises (Art. 19), and the
// measures of its internet services (Art. 21; checked at read time, internet-check.ts).
import { cryptrecEdition, cryptrecEditions } from '../shared/cryptrec.js'
import { DomainError } from '../shared/errors.js'
import { tokyoDate } from '../shared/fiscal-year.js'
import type { RecordContinuityExercise, RecordContinuityPlan, RecordInternetServiceMeasures, SetCryptoPolicy } from './commands.js'
import type { SystemEvent } from './events.js'
import { requireActiveSystem, type SystemState } from './state.js'

export function setCryptoPolicy(command: SetCryptoPolicy, state: SystemState): SystemEvent[] {
  const { systemId, edition, algorithms } = command.data
  requireActiveSystem(state, systemId)
  if (cryptrecEdition(edition) === undefined) {
    throw new DomainError('UnknownCryptrecEdition', `no edition ${edition} of the CRYPTREC list is known; use one of ${Object.keys(cryptrecEditions).join(', ')}`, { editions: Object.keys(cryptrecEditions) })
  }
  return [{ type: 'CryptoPolicySet', data: { systemId, edition, algorithms, by: command.metadata.actor.id, at: command.metadata.now } }]
}

export function recordContinuityPlan(command: RecordContinuityPlan, state: SystemState): SystemEvent[] {
  const { systemId, version, recoveryTimeObjective, measures } = command.data
  const s = requireActiveSystem(state, systemId)
  if (s.planVersions.includes(version)) {
    throw new DomainError('ContinuityPlanVersionExists', `version ${version} of the continuity plan of system ${systemId} is already recorded; record a new version label`, { version })
  }
  return [{ type: 'ContinuityPlanRecorded', data: { systemId, version, recoveryTimeObjective, measures, by: command.metadata.actor.id, at: command.metadata.now } }]
}

export function recordContinuityExercise(command: RecordContinuityExercise, state: SystemState): SystemEvent[] {
  const { systemId, heldOn, scenario, securityMeasuresHeld, findings } = command.data
  const { actor, now } = command.metadata
  const s = requireActiveSystem(state, systemId)
  if (heldOn > tokyoDate(now)) throw new DomainError('ExerciseInFuture', `heldOn ${heldOn} is after today (Japan time); record an exercise once it was held`, { heldOn })
  return [{ type: 'ContinuityExerciseHeld', data: { systemId, heldOn, scenario, securityMeasuresHeld, findings, planVersion: s.planVersions.at(-1), by: actor.id, at: now } }]
}

export function recordInternetServiceMeasures(command: RecordInternetServiceMeasures, state: SystemState): SystemEvent[] {
  const { systemId, serviceName, domain, measures } = command.data
  const s = requireActiveSystem(state, systemId)
  if (!s.internetFacing) {
    throw new DomainError('NotInternetFacing', `system ${systemId} is not internet-facing in the ledger; mark it internetFacing (UpdateInformationSystemLedger) if it offers services on the internet`, { systemId })
  }
  return [{ type: 'InternetServiceMeasuresRecorded', data: { systemId, serviceName, domain, measures, by: command.metadata.actor.id, at: command.metadata.now } }]
}

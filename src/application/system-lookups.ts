// The facts of an information system other capabilities need (suppliers validate a contract's systems;
// incidents may name them), folded from the system's stream in the log, never from the ledger read
// model, so they are never stale.
import { systemDecider, systemStreamId, type Criticality, type SystemEvent, type SystemStage, type SystemState } from '../domain/system/index.js'
import type { EventStore } from '../eventstore/types.js'
import { foldStream } from './lookups.js'

export interface SystemFacts {
  systemId: string
  name: string
  stage: SystemStage
  internetFacing: boolean
  criticality: Criticality
  ownerUnitId: string
  retired: boolean
}

/** The system's full state (for commands on it). */
export const loadSystemState = (store: EventStore, agencyId: string, systemId: string): Promise<SystemState> =>
  foldStream<SystemEvent, SystemState>(store, agencyId, systemStreamId(systemId), systemDecider)

/** The system as the ledger has it today; undefined when it is not registered in the agency. */
export async function loadSystem(store: EventStore, agencyId: string, systemId: string): Promise<SystemFacts | undefined> {
  const s = (await loadSystemState(store, agencyId, systemId)).system
  if (!s) return undefined
  return { systemId: s.systemId, name: s.name, stage: s.stage, internetFacing: s.internetFacing, criticality: s.criticality, ownerUnitId: s.ownerUnitId, retired: s.stage === 'RETIRED' }
}

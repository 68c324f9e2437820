// Outsourcing (Art. 16) as commands: contractors and their selection, contracts with their security
// clauses, supply-chain checks, and the end of a contract (return or erasure confirmed before closing).
// Facts from other streams (the contractor's qualification, the owner unit, the ledger's systems) are
// read from the log here and handed to the pure deciders. A contract's commands are scoped to its owner
// unit and to the units owning the systems it names (a unit's security officer acts only where every one
// of them is its unit), and a check also to the system it names; an extension re-reads the contractor's
// qualification.
import { z } from 'zod'
import {
  CloseContractInput, ConfirmInformationReturnOrErasureInput, contractDecider, contractStreamId, EndContractInput, ExtendContractInput,
  RecordContractInput, RecordSupplyChainCheckInput, type ContractCommand, type ContractEvent, type ContractorFacts, type ContractReferenceFacts, type ContractState,
} from '../domain/contract/index.js'
import {
  contractorDecider, contractorStreamId, qualificationOf, RecordContractorSelectionInput, RegisterContractorInput,
  type ContractorEvent, type ContractorState,
} from '../domain/contractor/index.js'
import type { Target } from '../domain/shared/authorization.js'
import { DomainError } from '../domain/shared/errors.js'
import { localId } from '../domain/shared/values.js'
import type { EventStore } from '../eventstore/types.js'
import { defineCommand, newRecordId, runCommand, type CommandOutcome, type Services } from './command-runner.js'
import type { Principal, RequestContext } from './context.js'
import { foldStream, loadAgency } from './lookups.js'
import { loadSystem, type SystemFacts } from './system-lookups.js'

const tag = 'suppliers'
const none = z.object({})
const ContractorParams = z.object({ contractorId: localId.describe('contractor id') })
const ContractParams = z.object({ contractId: localId.describe('contract id') })

/** The systems named, each once, as the ledger has them today (read from their streams); undefined: not in the ledger. */
async function loadSystems(store: EventStore, agencyId: string, systemIds: readonly string[]): Promise<{ systemId: string; system: SystemFacts | undefined }[]> {
  const unique = [...new Set(systemIds)]
  const found = await Promise.all(unique.map((id) => loadSystem(store, agencyId, id)))
  return unique.map((systemId, i) => ({ systemId, system: found[i] }))
}

/** What a contract's commands act on: its owner unit and the units owning the systems it names (those in the ledger). */
function contractTarget(ownerUnitId: string, systems: readonly { system: SystemFacts | undefined }[]): { unitIds: string[] } {
  return { unitIds: [...new Set([ownerUnitId, ...systems.flatMap((s) => (s.system ? [s.system.ownerUnitId] : []))])] }
}

async function loadContractor(store: EventStore, agencyId: string, contractorId: string): Promise<ContractorFacts> {
  const contractor = await foldStream<ContractorEvent, ContractorState>(store, agencyId, contractorStreamId(contractorId), contractorDecider)
  const q = qualificationOf(contractor.criteria)
  return { exists: contractor.contractorId !== undefined, selectionRecorded: q.selectionRecorded, unmet: q.unmet }
}

async function referenceFacts(store: EventStore, agencyId: string, input: z.output<typeof RecordContractInput>) {
  const [contractor, agency, systems] = await Promise.all([
    loadContractor(store, agencyId, input.contractorId),
    loadAgency(store, agencyId),
    loadSystems(store, agencyId, input.systemIds),
  ])
  const facts: ContractReferenceFacts = {
    contractor, unitExists: agency.units.has(input.ownerUnitId),
    unknownSystemIds: systems.filter((s) => s.system === undefined).map((s) => s.systemId),
    retiredSystemIds: systems.filter((s) => s.system?.retired === true).map((s) => s.systemId),
  }
  return { facts, target: contractTarget(input.ownerUnitId, systems) }
}

async function contractorCommand(s: Services, p: Principal, ctx: RequestContext, contractorId: string, command: { type: 'RegisterContractor' | 'RecordContractorSelection'; data: object }, fingerprint: unknown): Promise<CommandOutcome> {
  const result = await runCommand(s, p, ctx, { decider: contractorDecider, streamId: contractorStreamId(contractorId), command: command as never, fingerprint })
  return { ...result, id: contractorId }
}

type OnContract = Exclude<ContractCommand['type'], 'RecordContract'>

/**
 * A command on an existing contract, scoped to its owner unit and the units owning its systems (and to the
 * system a check names). An extension also carries the contractor's qualification as its stream has it now.
 */
async function onContract(s: Services, p: Principal, ctx: RequestContext, contractId: string, command: { type: OnContract; data: object }, fingerprint: unknown, systemId?: string): Promise<CommandOutcome> {
  const state = await foldStream<ContractEvent, ContractState>(s.store, p.agencyId, contractStreamId(contractId), contractDecider)
  // Without the contract there is nothing to scope the role check to: say so rather than "forbidden".
  if (state.ownerUnitId === undefined) throw new DomainError('ContractNotFound', `no contract ${contractId} in this agency`, { contractId })
  const [systems, contractor] = await Promise.all([
    loadSystems(s.store, p.agencyId, state.systemIds),
    command.type === 'ExtendContract' && state.contractorId !== undefined ? loadContractor(s.store, p.agencyId, state.contractorId) : undefined,
  ])
  const target: Target = { ...contractTarget(state.ownerUnitId, systems), systemId }
  const data = { ...command.data, contractId, ...(contractor ? { contractor } : {}) }
  const result = await runCommand(s, p, ctx, { decider: contractDecider, streamId: contractStreamId(contractId), command: { type: command.type, data } as never, fingerprint, target })
  return { ...result, id: contractId }
}

const byContract = (type: Exclude<OnContract, 'RecordSupplyChainCheck'>) =>
  (s: Services, p: Principal, { contractId }: { contractId: string }, input: object, ctx: RequestContext) => onContract(s, p, ctx, contractId, { type, data: input }, { contractId, input })

export const supplierCommands = [
  defineCommand({
    type: 'RegisterContractor', tag, summary: 'Register a contractor (Art. 16): name, corporate number (法人番号, check digit verified), address',
    path: '/contractors', mutation: 'registerContractor', params: none, input: RegisterContractorInput, creates: true,
    run: (s, p, _params, input, ctx) => contractorCommand(s, p, ctx, input.contractorId, { type: 'RegisterContractor', data: input }, input),
  }),
  defineCommand({
    type: 'RecordContractorSelection', tag, summary: 'Record how a contractor meets the selection criteria (each met or not, with evidence); the latest selection decides whether it is qualified',
    path: '/contractors/:contractorId/selection', mutation: 'recordContractorSelection', params: ContractorParams, input: RecordContractorSelectionInput,
    run: (s, p, { contractorId }, input, ctx) => contractorCommand(s, p, ctx, contractorId, { type: 'RecordContractorSelection', data: { ...input, contractorId } }, { contractorId, input }),
  }),
  defineCommand({
    type: 'RecordContract', tag, summary: "Record a contract with a qualified contractor: subject, owner unit, the ledger's systems concerned (registered, not retired), period, security clauses (every required one)",
    path: '/contracts', mutation: 'recordContract', params: none, input: RecordContractInput, creates: true,
    run: async (s, p, _params, input, ctx) => {
      const { facts, target } = await referenceFacts(s.store, p.agencyId, input)
      const result = await runCommand(s, p, ctx, {
        decider: contractDecider, streamId: contractStreamId(input.contractId), command: { type: 'RecordContract', data: { ...input, ...facts } }, fingerprint: input, target,
      })
      return { ...result, id: input.contractId }
    },
  }),
  defineCommand({
    type: 'ExtendContract', tag, summary: 'Extend an active contract to a later last day (the contractor must still be qualified)',
    path: '/contracts/:contractId/extension', mutation: 'extendContract', params: ContractParams, input: ExtendContractInput, run: byContract('ExtendContract'),
  }),
  defineCommand({
    type: 'RecordSupplyChainCheck', tag, summary: 'Record the supply-chain check of a device or software procured under a contract: known vulnerabilities, insecure technology, embedded malware (failed ones stay open findings until a later check of the item)',
    path: '/contracts/:contractId/supply-chain-checks', mutation: 'recordSupplyChainCheck', params: ContractParams, input: RecordSupplyChainCheckInput, creates: true,
    run: (s, p, { contractId }, input, ctx) =>
      onContract(s, p, ctx, contractId, { type: 'RecordSupplyChainCheck', data: { ...input, checkId: newRecordId(p, ctx, 'supply-chain-check') } }, { contractId, input }, input.systemId),
  }),
  defineCommand({
    type: 'EndContract', tag, summary: 'Record the end of a contract (on a day up to today)',
    path: '/contracts/:contractId/end', mutation: 'endContract', params: ContractParams, input: EndContractInput, run: byContract('EndContract'),
  }),
  defineCommand({
    type: 'ConfirmInformationReturnOrErasure', tag, summary: 'Confirm that the information the contractor held was returned or erased after the end of the contract',
    path: '/contracts/:contractId/information-return', mutation: 'confirmInformationReturnOrErasure', params: ContractParams, input: ConfirmInformationReturnOrErasureInput,
    run: byContract('ConfirmInformationReturnOrErasure'),
  }),
  defineCommand({
    type: 'CloseContract', tag, summary: 'Close an ended contract once the return or erasure of its information is confirmed',
    path: '/contracts/:contractId/close', mutation: 'closeContract', params: ContractParams, input: CloseContractInput, run: byContract('CloseContract'),
  }),
]

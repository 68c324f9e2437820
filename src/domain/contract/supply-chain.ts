// Supply-chain checks of devices and software procured under a contract (Common Standards 4.3), and the
// open findings they leave: the failed checks of the latest check of each item (name and model), so a
// later check of the same device replaces what an earlier one found.
import { DomainError } from '../shared/errors.js'
import { supplyChainCheckKinds } from '../shared/supplier-criteria.js'
import type { RecordSupplyChainCheck } from './commands.js'
import type { ContractEvent, SupplyChainItem } from './events.js'
import { requireContract, requireContractStatus, requireNotFuture, type ContractState } from './state.js'

export function recordSupplyChainCheck(command: RecordSupplyChainCheck, state: ContractState): ContractEvent[] {
  const s = requireContract(state, command.data.contractId)
  const { checkId, item, systemId, checks, checkedOn } = command.data
  requireContractStatus(s, ['ACTIVE', 'ENDED'], 'a supply-chain check')
  if (systemId !== undefined && !s.systemIds.includes(systemId)) {
    throw new DomainError('SystemNotInContract', `system ${systemId} is not one of contract ${s.contractId}'s systems (${s.systemIds.join(', ') || 'none'})`, { systemId, systemIds: [...s.systemIds] })
  }
  requireNotFuture(checkedOn, command.metadata.now, 'checkedOn')
  const failed = supplyChainCheckKinds.filter((k) => checks[k].result === 'FAILED')
  return [{
    type: 'SupplyChainCheckRecorded',
    data: { contractId: s.contractId, checkId, item, systemId, checks, failed, checkedOn, recordedBy: command.metadata.actor.id, at: command.metadata.now },
  }]
}

export interface RecordedCheck {
  checkId: string
  item: SupplyChainItem
  systemId?: string | null | undefined
  checks: Record<string, { result: string; note?: string | null | undefined }>
  checkedOn: string
  /** Order of recording (agency position), breaking ties between checks of one day. */
  position: number
}

export interface OpenFinding { checkId: string; item: SupplyChainItem; systemId: string | null; check: string; note: string | null; checkedOn: string }

const itemKey = (item: SupplyChainItem) => JSON.stringify([item.name.toLowerCase(), (item.model ?? '').toLowerCase()])

/** The failed checks of the latest check of each item, oldest item first. */
export function openFindings(checks: readonly RecordedCheck[]): OpenFinding[] {
  const latest = new Map<string, RecordedCheck>()
  const ordered = [...checks].sort((a, b) => (a.checkedOn === b.checkedOn ? a.position - b.position : a.checkedOn < b.checkedOn ? -1 : 1))
  for (const c of ordered) latest.set(itemKey(c.item), c)
  return [...latest.values()].flatMap((c) => supplyChainCheckKinds
    .filter((k) => c.checks[k]?.result === 'FAILED')
    .map((k) => ({ checkId: c.checkId, item: c.item, systemId: c.systemId ?? null, check: k, note: c.checks[k]?.note ?? null, checkedOn: c.checkedOn })))
}

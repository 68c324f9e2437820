// given/when/then over the contract decider (Art. 16): recording (qualified contractor, references in
// service, period, required clauses), extension (contractor still qualified), supply-chain checks and the
// open findings they leave, the end, the confirmation of return or erasure (not before the end), and
// closing only after it.
import t from 'tap'
import {
  contractDecider, contractStreamId, openFindings, RecordContractInput, RecordSupplyChainCheckInput,
  type ContractCommand, type ContractEvent, type ContractorFacts, type RecordedCheck,
} from '../../../src/domain/contract/index.js'
import type { Actor } from '../../../src/domain/shared/decider.js'
import { requiredContractClauses } from '../../../src/domain/shared/supplier-criteria.js'
import { given } from '../../helpers/given.js'

const NOW = '2026-07-01T10:00:00+09:00'
const gso: Actor = { id: 'gso', roles: ['GENERAL_SECURITY_OFFICER'] }
const cmd = <T extends ContractCommand['type']>(type: T, data: Extract<ContractCommand, { type: T }>['data'], now = NOW) =>
  ({ type, data, metadata: { actor: gso, agencyId: 'mof', now, correlationId: 'c', source: 'api' } }) as Extract<ContractCommand, { type: T }>

const input = RecordContractInput.parse({
  contractId: 'C1', contractorId: 'K1', subject: 'operation of the e-application system', ownerUnitId: 'u1', systemIds: ['S1', 'S1'],
  from: '2026-04-01', to: '2027-03-31', securityClauses: ['DATA_LOCATION', ...requiredContractClauses], handlesInformationClass: 'C3I2A2',
})
const qualified = { exists: true, selectionRecorded: true, unmet: [] }
const facts = { contractor: qualified, unitExists: true, unknownSystemIds: [], retiredSystemIds: [] }
const record = (over: Partial<ContractCommand['data']> = {}) => cmd('RecordContract', { ...input, ...facts, ...over } as never)

const recorded: ContractEvent = {
  type: 'ContractRecorded',
  data: {
    contractId: 'C1', contractorId: 'K1', subject: input.subject, ownerUnitId: 'u1', systemIds: ['S1'], from: '2026-04-01', to: '2027-03-31',
    securityClauses: [...requiredContractClauses, 'DATA_LOCATION'], handlesInformationClass: 'C3I2A2', recordedBy: 'gso', at: NOW,
  },
}
const ended: ContractEvent = { type: 'ContractEnded', data: { contractId: 'C1', endedOn: '2026-06-30', note: undefined, endedBy: 'gso', at: NOW } }
const erased: ContractEvent = { type: 'InformationReturnOrErasureConfirmed', data: { contractId: 'C1', method: 'ERASED', confirmedOn: '2026-07-01', evidenceRef: undefined, confirmedBy: 'gso', at: NOW } }
const closed: ContractEvent = { type: 'ContractClosed', data: { contractId: 'C1', note: undefined, closedBy: 'gso', at: NOW } }
const c = (...events: ContractEvent[]) => given(contractDecider, ...events)

t.test('a contract is recorded with its clauses in the order of the data, systems once', async (t) => {
  t.same(c().when(record()), [recorded])
  t.equal(contractStreamId('C1'), 'contract-C1')
  t.throws(() => c(recorded).when(record()), { code: 'ContractAlreadyExists' })
  t.notOk(RecordContractInput.safeParse({ ...input, securityClauses: ['NOT_A_CLAUSE'] }).success, 'clause codes are data')
  t.notOk(RecordContractInput.safeParse({ ...input, handlesInformationClass: 'C4' }).success, 'a class label')
})

t.test('recording is refused naming what is missing', async (t) => {
  t.throws(() => c().when(record({ contractor: { exists: false, selectionRecorded: false, unmet: [] } } as never)), { code: 'UnknownContractor' })
  t.throws(() => c().when(record({ contractor: { exists: true, selectionRecorded: true, unmet: ['UNINTENDED_CHANGE_CONTROL'] } } as never)), {
    code: 'ContractorNotQualified', details: { contractorId: 'K1', unmet: ['UNINTENDED_CHANGE_CONTROL'], selectionRecorded: true },
  })
  t.throws(() => c().when(record({ contractor: { exists: true, selectionRecorded: false, unmet: ['INFORMATION_LEAK_COUNTERMEASURES', 'UNINTENDED_CHANGE_CONTROL'] } } as never)), {
    code: 'ContractorNotQualified', message: /no selection is recorded/,
  })
  t.throws(() => c().when(record({ unitExists: false } as never)), { code: 'UnknownUnit', details: { unitIds: ['u1'] } })
  t.throws(() => c().when(record({ unknownSystemIds: ['S9'] } as never)), { code: 'SystemsNotInLedger', details: { systemIds: ['S9'] } })
  t.throws(() => c().when(record({ retiredSystemIds: ['S1'] } as never)), { code: 'SystemsRetired', message: /S1 is a retired system/, details: { systemIds: ['S1'] } })
  t.throws(() => c().when(record({ to: '2026-03-31' } as never)), { code: 'InvalidPeriod' })
  t.doesNotThrow(() => c().when(record({ to: '2026-04-01' } as never)), 'a one-day contract')
  t.throws(() => c().when(record({ securityClauses: ['CONFIDENTIALITY', 'AUDIT_RIGHTS', 'DATA_LOCATION'] } as never)), {
    code: 'MissingSecurityClauses', details: { missing: ['INCIDENT_REPORTING', 'SUBCONTRACTING_APPROVAL', 'RETURN_OR_ERASURE_AT_END', 'UNINTENDED_CHANGE_CONTROL'] },
  })
})

t.test('an active contract is extended to a later last day, while its contractor is still qualified', async (t) => {
  const extend = (to: string, contractor: ContractorFacts = qualified, note?: string) => cmd('ExtendContract', { contractId: 'C1', to, note, contractor })
  t.match(c(recorded).when(extend('2027-09-30', qualified, 'one more half year')), [{ type: 'ContractExtended', data: { previousTo: '2027-03-31', to: '2027-09-30' } }])
  t.throws(() => c(recorded).when(extend('2027-03-31')), { code: 'InvalidPeriod' })
  t.throws(() => c(recorded, ended).when(extend('2027-09-30')), { code: 'ContractTransitionNotAllowed', details: { status: 'ENDED' } })
  t.throws(() => c().when(extend('2027-09-30')), { code: 'ContractNotFound' })
  t.throws(() => c(recorded).when(extend('2027-09-30', { exists: true, selectionRecorded: true, unmet: ['UNINTENDED_CHANGE_CONTROL'] })), {
    code: 'ContractorNotQualified', message: /K1 is not qualified, so an extension is refused/, details: { contractorId: 'K1', unmet: ['UNINTENDED_CHANGE_CONTROL'], selectionRecorded: true },
  }, 'a later selection no longer meets a required criterion')
  t.equal(c(recorded).state().contractorId, 'K1', 'the contract knows its contractor')
})

const check = (over: object = {}) => cmd('RecordSupplyChainCheck', {
  contractId: 'C1', checkId: 'chk-1', item: { name: 'Router', model: 'RT-1', version: '1.0' }, systemId: 'S1', checkedOn: '2026-06-01',
  checks: { knownVulnerabilities: { result: 'FAILED', note: 'CVE-2026-0001 unpatched' }, insecureTechnology: { result: 'PASSED' }, embeddedMalware: { result: 'NOT_APPLICABLE' } },
  ...over,
} as never)

t.test('supply-chain checks: failed ones listed; the system must be one of the contract; a failed check says why', async (t) => {
  t.match(c(recorded).when(check()), [{ type: 'SupplyChainCheckRecorded', data: { checkId: 'chk-1', failed: ['knownVulnerabilities'], systemId: 'S1' } }])
  t.throws(() => c(recorded).when(check({ systemId: 'S2' })), { code: 'SystemNotInContract' })
  t.throws(() => c(recorded).when(check({ checkedOn: '2026-07-02' })), { code: 'ContractDateInFuture' })
  t.doesNotThrow(() => c(recorded, ended).when(check()), 'after the end too')
  t.throws(() => c(recorded, ended, erased, closed).when(check()), { code: 'ContractTransitionNotAllowed' })
  const base = { item: { name: 'Router' }, checks: { knownVulnerabilities: { result: 'PASSED' }, insecureTechnology: { result: 'PASSED' }, embeddedMalware: { result: 'PASSED' } }, checkedOn: '2026-06-01' }
  t.ok(RecordSupplyChainCheckInput.safeParse(base).success)
  t.notOk(RecordSupplyChainCheckInput.safeParse({ ...base, checks: { ...base.checks, embeddedMalware: { result: 'FAILED' } } }).success, 'FAILED without a note')
})

t.test('open findings: the failed checks of the latest check of each item (name and model)', async (t) => {
  const failed = { result: 'FAILED', note: 'bad' }
  const passed = { result: 'PASSED' }
  const rec = (checkId: string, name: string, checkedOn: string, position: number, kv = passed, it = passed): RecordedCheck =>
    ({ checkId, item: { name, model: 'M' }, checks: { knownVulnerabilities: kv, insecureTechnology: it, embeddedMalware: passed }, checkedOn, position })
  t.same(openFindings([]), [])
  const findings = openFindings([rec('a', 'Router', '2026-06-01', 1, failed, failed), rec('b', 'Switch', '2026-06-02', 2, failed)])
  t.same(findings.map((f) => [f.checkId, f.check]), [['a', 'knownVulnerabilities'], ['a', 'insecureTechnology'], ['b', 'knownVulnerabilities']])
  t.same(openFindings([rec('a', 'Router', '2026-06-01', 1, failed), rec('c', 'router', '2026-06-10', 5)]), [], 'a later passing check of the same item closes it')
  t.same(openFindings([rec('c', 'Router', '2026-06-10', 5), rec('a', 'Router', '2026-06-01', 9, failed)]).length, 0, 'latest by date, not by recording')
  t.same(openFindings([rec('a', 'Router', '2026-06-01', 1), rec('d', 'Router', '2026-06-01', 2, failed)]).map((f) => f.checkId), ['d'], 'same day: the later recorded')
})

t.test('end → return or erasure confirmed → closed; closing before the confirmation is refused', async (t) => {
  t.same(c(recorded).when(cmd('EndContract', { contractId: 'C1', endedOn: '2026-06-30' })), [ended])
  t.throws(() => c(recorded).when(cmd('EndContract', { contractId: 'C1', endedOn: '2026-07-02' })), { code: 'ContractDateInFuture' })
  t.throws(() => c(recorded).when(cmd('EndContract', { contractId: 'C1', endedOn: '2026-03-31' })), { code: 'InvalidPeriod' })
  t.throws(() => c(recorded, ended).when(cmd('EndContract', { contractId: 'C1', endedOn: '2026-06-30' })), { code: 'ContractTransitionNotAllowed' })
  const confirm = cmd('ConfirmInformationReturnOrErasure', { contractId: 'C1', method: 'ERASED', confirmedOn: '2026-07-01' })
  t.throws(() => c(recorded).when(confirm), { code: 'ContractTransitionNotAllowed', message: /end it first/ })
  t.throws(() => c(recorded, ended).when(cmd('CloseContract', { contractId: 'C1' })), { code: 'ErasureNotConfirmed' })
  t.throws(() => c(recorded).when(cmd('CloseContract', { contractId: 'C1' })), { code: 'ContractTransitionNotAllowed' })
  t.same(c(recorded, ended).when(confirm), [erased])
  t.throws(() => c(recorded, ended, erased).when(confirm), { code: 'ContractTransitionNotAllowed', message: /already confirmed/ })
  t.throws(() => c(recorded, ended).when(cmd('ConfirmInformationReturnOrErasure', { contractId: 'C1', method: 'RETURNED', confirmedOn: '2026-07-02' })), { code: 'ContractDateInFuture' })
  t.throws(() => c(recorded, ended).when(cmd('ConfirmInformationReturnOrErasure', { contractId: 'C1', method: 'ERASED', confirmedOn: '2026-06-29' })), {
    code: 'InvalidPeriod', message: /before contract C1 ended \(2026-06-30\).*on or after 2026-06-30/, details: { confirmedOn: '2026-06-29', endedOn: '2026-06-30' },
  }, 'the information is returned or erased after the end, not before')
  t.same(c(recorded, ended).when(cmd('ConfirmInformationReturnOrErasure', { contractId: 'C1', method: 'ERASED', confirmedOn: '2026-06-30' })), [{ ...erased, data: { ...erased.data, confirmedOn: '2026-06-30' } }], 'on the day it ended')
  t.same(c(recorded, ended, erased).when(cmd('CloseContract', { contractId: 'C1' })), [closed])
  t.throws(() => c(recorded, ended, erased, closed).when(cmd('CloseContract', { contractId: 'C1' })), { code: 'ContractTransitionNotAllowed' })
  t.match(c(recorded, ended, erased, closed).state(), { status: 'CLOSED', returned: { method: 'ERASED' } })
})

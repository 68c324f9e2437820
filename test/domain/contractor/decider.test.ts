// given/when/then over the contractor decider (Art. 16): registration once, the corporate number's
// check digit, selections (the latest counts) and the qualification derived from the required criteria.
import t from 'tap'
import {
  contractorDecider, contractorStreamId, corporateNumberValid, qualificationOf, RecordContractorSelectionInput, RegisterContractorInput,
  type ContractorCommand, type ContractorEvent,
} from '../../../src/domain/contractor/index.js'
import type { Actor } from '../../../src/domain/shared/decider.js'
import { requiredSelectionCriteria, selectionCriteria } from '../../../src/domain/shared/supplier-criteria.js'
import { given } from '../../helpers/given.js'

const NOW = '2026-07-01T10:00:00+09:00'
const gso: Actor = { id: 'gso', roles: ['GENERAL_SECURITY_OFFICER'] }
const cmd = <T extends ContractorCommand['type']>(type: T, data: Extract<ContractorCommand, { type: T }>['data']) =>
  ({ type, data, metadata: { actor: gso, agencyId: 'mof', now: NOW, correlationId: 'c', source: 'api' } }) as Extract<ContractorCommand, { type: T }>

const registered: ContractorEvent = { type: 'ContractorRegistered', data: { contractorId: 'K1', name: 'Kaisha KK', corporateNumber: '1180301018771', address: undefined, registeredBy: 'gso', at: NOW } }
const allMet = [{ code: 'INFORMATION_LEAK_COUNTERMEASURES', met: true, evidence: 'ISMS certificate' }, { code: 'UNINTENDED_CHANGE_CONTROL', met: true }]

t.test('a contractor is registered once', async (t) => {
  t.same(given(contractorDecider).when(cmd('RegisterContractor', { contractorId: 'K1', name: 'Kaisha KK', corporateNumber: '1180301018771' })), [registered])
  t.throws(() => given(contractorDecider, registered).when(cmd('RegisterContractor', { contractorId: 'K1', name: 'Again' })), { code: 'ContractorAlreadyExists' })
  t.equal(contractorStreamId('K1'), 'contractor-K1')
})

t.test("the corporate number (法人番号) is 13 digits with a matching check digit", async (t) => {
  t.ok(corporateNumberValid('1180301018771'))
  t.ok(corporateNumberValid('5010401067252'))
  t.notOk(corporateNumberValid('2180301018771'), 'wrong check digit')
  t.notOk(corporateNumberValid('118030101877'), '12 digits')
  t.notOk(RegisterContractorInput.safeParse({ contractorId: 'K1', name: 'x', corporateNumber: '1180301018772' }).success)
  t.ok(RegisterContractorInput.safeParse({ contractorId: 'K1', name: 'x', corporateNumber: '1180301018771' }).success)
})

t.test('a selection is recorded on a registered contractor; criteria codes are data and listed once', async (t) => {
  const [event] = given(contractorDecider, registered).when(cmd('RecordContractorSelection', { contractorId: 'K1', criteria: allMet as never }))
  t.match(event, { type: 'ContractorSelectionRecorded', data: { contractorId: 'K1', criteria: [{ code: 'INFORMATION_LEAK_COUNTERMEASURES', met: true, evidence: 'ISMS certificate' }, { code: 'UNINTENDED_CHANGE_CONTROL', met: true }], recordedBy: 'gso' } })
  t.throws(() => given(contractorDecider).when(cmd('RecordContractorSelection', { contractorId: 'K9', criteria: allMet as never })), { code: 'ContractorNotFound' })
  t.notOk(RecordContractorSelectionInput.safeParse({ criteria: [{ code: 'NOT_A_CODE', met: true }] }).success, 'unknown code')
  t.notOk(RecordContractorSelectionInput.safeParse({ criteria: [...allMet, allMet[0]] }).success, 'a code twice')
  t.notOk(RecordContractorSelectionInput.safeParse({ criteria: [] }).success, 'at least one')
})

t.test('qualified only when every required criterion is met in the latest selection', async (t) => {
  t.same(requiredSelectionCriteria, ['INFORMATION_LEAK_COUNTERMEASURES', 'UNINTENDED_CHANGE_CONTROL'])
  t.ok(Object.values(selectionCriteria).every((c) => ['S', 'C', 'P', 'R'].includes(c.confidence)), 'each criterion says how sure it is')
  t.same(qualificationOf(undefined), { qualified: false, unmet: requiredSelectionCriteria, selectionRecorded: false })
  t.same(qualificationOf(allMet), { qualified: true, unmet: [], selectionRecorded: true })
  t.same(qualificationOf([{ code: 'INFORMATION_LEAK_COUNTERMEASURES', met: true }, { code: 'SECURITY_MANAGEMENT_SYSTEM', met: true }]).unmet, ['UNINTENDED_CHANGE_CONTROL'], 'a required one left out is unmet')
  t.same(qualificationOf([{ code: 'INFORMATION_LEAK_COUNTERMEASURES', met: false }, { code: 'UNINTENDED_CHANGE_CONTROL', met: true }]).unmet, ['INFORMATION_LEAK_COUNTERMEASURES'])
  const first: ContractorEvent = { type: 'ContractorSelectionRecorded', data: { contractorId: 'K1', criteria: allMet, recordedBy: 'gso', at: NOW } }
  const worse: ContractorEvent = { type: 'ContractorSelectionRecorded', data: { contractorId: 'K1', criteria: [{ code: 'UNINTENDED_CHANGE_CONTROL', met: false }], recordedBy: 'gso', at: NOW } }
  t.equal(qualificationOf(given(contractorDecider, registered, first).state().criteria).qualified, true)
  t.same(qualificationOf(given(contractorDecider, registered, first, worse).state().criteria).unmet, requiredSelectionCriteria, 'the latest selection counts')
})

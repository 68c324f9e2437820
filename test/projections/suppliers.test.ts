// The suppliers read model (contractors, contracts, supply-chain checks, usage rules, acknowledgements)
// applied in one batch (every fold of a record inside one batch) and rebuilt in batches of 2 (every fold
// split across batches) holds the same rows.
import t from 'tap'
import { rebuildProjection } from '../../src/projections/rebuild.js'
import { suppliersProjection } from '../../src/projections/suppliers.js'
import { startTestApp } from '../helpers/app.js'

const h = await startTestApp(t, { clock: { now: () => new Date('2026-07-01T10:00:00+09:00') } })
await h.agency('sp')
await h.unit('sp', 'u1')
const ciso = await h.token('sp', ['CISO'], 'boss')
const sato = await h.token('sp', [], 'sato')
const post = async (token: string, url: string, payload: object) => {
  const res = await h.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload })
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.body}`)
  return res.json()
}
const required = ['CONFIDENTIALITY', 'INCIDENT_REPORTING', 'AUDIT_RIGHTS', 'SUBCONTRACTING_APPROVAL', 'RETURN_OR_ERASURE_AT_END', 'UNINTENDED_CHANGE_CONTROL']
const checks = (result: string) => ({ knownVulnerabilities: { result, note: 'n' }, insecureTechnology: { result: 'PASSED' }, embeddedMalware: { result: 'PASSED' } })

// Everything while the runner is stopped, so the first batch holds every event of every record.
await h.runner.stop()
await post(ciso, '/api/contractors', { contractorId: 'K1', name: 'Kaisha' })
await post(ciso, '/api/contractors/K1/selection', { criteria: [{ code: 'INFORMATION_LEAK_COUNTERMEASURES', met: true }, { code: 'UNINTENDED_CHANGE_CONTROL', met: true }] })
for (const id of ['C1', 'C2']) {
  await post(ciso, '/api/contracts', { contractId: id, contractorId: 'K1', subject: 's', ownerUnitId: 'u1', from: '2026-04-01', to: '2026-09-30', securityClauses: required })
  await post(ciso, `/api/contracts/${id}/extension`, { to: '2027-03-31' })
  await post(ciso, `/api/contracts/${id}/supply-chain-checks`, { item: { name: 'PC' }, checkedOn: '2026-06-01', checks: checks('FAILED') })
  await post(ciso, `/api/contracts/${id}/supply-chain-checks`, { item: { name: 'PC' }, checkedOn: '2026-06-02', checks: checks('PASSED') })
}
await post(ciso, '/api/contracts/C1/end', { endedOn: '2026-06-30' })
await post(ciso, '/api/contracts/C1/information-return', { method: 'ERASED', confirmedOn: '2026-07-01' })
await post(ciso, '/api/contracts/C1/close', {})
await post(ciso, '/api/usage-rules', { version: 'v1', title: 't', summary: 's', effectiveFrom: '2026-04-01' })
await post(sato, '/api/usage-rules/acknowledgements', { version: 'v1' })
await post(ciso, '/api/usage-rules', { version: 'v2', title: 't', summary: 's', effectiveFrom: '2026-05-01' })
await post(sato, '/api/usage-rules/acknowledgements', { version: 'v2' })
h.runner.start()
await h.settle('sp')

const snapshots: Record<string, string> = {
  contractors: 'SELECT * FROM contractors ORDER BY agency_id, contractor_id',
  contracts: 'SELECT * FROM contracts ORDER BY agency_id, contract_id',
  checks: 'SELECT * FROM contract_supply_chain_checks ORDER BY agency_id, contract_id, check_id',
  rules: 'SELECT * FROM usage_rules ORDER BY agency_id, version',
  acks: 'SELECT * FROM usage_rule_acknowledgements ORDER BY agency_id, employee_id, version',
}
const snapshot = async () => Object.fromEntries(await Promise.all(Object.entries(snapshots).map(async ([k, q]) => [k, (await h.db.owner.pool.query(q)).rows])))

t.test('one batch: each record folds every change made to it', async (t) => {
  const s = await snapshot()
  t.match(s.contractors, [{ contractor_id: 'K1', criteria: [{ code: 'INFORMATION_LEAK_COUNTERMEASURES', met: true }, { code: 'UNINTENDED_CHANGE_CONTROL', met: true }], selection_recorded_by: 'boss', version: 2 }])
  t.match(s.contracts, [
    { contract_id: 'C1', status: 'CLOSED', extension: { previousTo: '2026-09-30', to: '2027-03-31' }, ending: { endedOn: '2026-06-30' }, information_return: { method: 'ERASED' }, closure: { by: 'boss' }, version: 7 },
    { contract_id: 'C2', status: 'ACTIVE', ending: null, closure: null, version: 4 },
  ])
  t.equal(s.checks.length, 4)
  t.same(s.rules.map((r: { version: string; supersedes: string | null }) => [r.version, r.supersedes]), [['v1', null], ['v2', 'v1']])
  t.same(s.acks.map((a: { employee_id: string; version: string }) => [a.employee_id, a.version]), [['sato', 'v1'], ['sato', 'v2']])
})

t.test('rebuilding in batches of 2 gives the same rows', async (t) => {
  const before = await snapshot()
  await h.db.owner.pool.query("UPDATE contracts SET status = 'ACTIVE', closure = NULL; DELETE FROM usage_rule_acknowledgements; UPDATE contractors SET criteria = NULL")
  await rebuildProjection(h.db.owner.pool, suppliersProjection, { batchSize: 2 })
  t.same(await snapshot(), before)
})

// given/when/then over the risk decider (Art. 3), and the derived level.
import t from 'tap'
import { pairsOfLevel, riskDecider, riskLevel, type AssessRisk, type RiskCommand, type RiskEvent } from '../../../src/domain/risk/index.js'
import type { CommandMetadata } from '../../../src/domain/shared/decider.js'
import { NotFoundError } from '../../../src/domain/shared/errors.js'
import { given } from '../../helpers/given.js'

const NOW = '2026-06-15T10:00:00+09:00'
const meta = (by = 'gso-1'): CommandMetadata => ({ actor: { id: by, roles: ['GENERAL_SECURITY_OFFICER'] }, agencyId: 'mof', now: NOW, correlationId: 'c', source: 'api' })
const assessData: AssessRisk['data'] = {
  riskId: 'r-1', title: 'Phishing of staff', threat: 'Credential theft by spoofed mail', likelihood: 'MEDIUM', impact: 'HIGH',
  measures: ['mail filtering', 'training'], reviewBy: '2026-12-31', systemId: 'mail',
}
const assess = (data: Partial<AssessRisk['data']> = {}): RiskCommand => ({ type: 'AssessRisk', data: { ...assessData, ...data }, metadata: meta() })
const reassess = (data: Record<string, unknown>): RiskCommand => ({ type: 'ReassessRisk', data: { riskId: 'r-1', reason: 'new campaign', ...data }, metadata: meta('sec-2') }) as RiskCommand
const retire = (): RiskCommand => ({ type: 'RetireRisk', data: { riskId: 'r-1', reason: 'mail system replaced' }, metadata: meta() })

const assessed: RiskEvent = { type: 'RiskAssessed', data: { ...assessData, by: 'gso-1', at: NOW } }
const retired: RiskEvent = { type: 'RiskRetired', data: { riskId: 'r-1', reason: 'gone', by: 'gso-1', at: NOW } }
const risk = (...events: RiskEvent[]) => given(riskDecider, ...events)

t.test('a risk is assessed with its actor and time', async (t) => {
  t.same(risk().when(assess()), [assessed])
  t.throws(() => risk(assessed).when(assess()), { code: 'RiskAlreadyExists' })
})

t.test('the review date may not lie in the past (Japan time)', async (t) => {
  t.throws(() => risk().when(assess({ reviewBy: '2026-06-14' })), { code: 'ReviewDateInPast', details: { today: '2026-06-15' } })
  t.equal(risk().when(assess({ reviewBy: '2026-06-15' })).length, 1)
  t.throws(() => risk(assessed).when(reassess({ reviewBy: '2026-01-01' })), { code: 'ReviewDateInPast' })
})

t.test('a reassessment records only what changed, with the reason', async (t) => {
  t.same(risk(assessed).when(reassess({ likelihood: 'HIGH', impact: 'HIGH', measures: ['mail filtering', 'training'] })), [{
    type: 'RiskReassessed', data: { riskId: 'r-1', changes: { likelihood: 'HIGH' }, reason: 'new campaign', by: 'sec-2', at: NOW },
  }])
  t.throws(() => risk(assessed).when(reassess({ likelihood: 'MEDIUM', systemId: 'mail' })), { code: 'NothingChanged' })
  const [first] = risk(assessed).when(reassess({ likelihood: 'HIGH' }))
  if (!first) throw new Error('no event')
  t.throws(() => risk(assessed, first).when(reassess({ likelihood: 'HIGH' })), { code: 'NothingChanged' }, 'the state follows the reassessment')
})

t.test('unknown and retired risks cannot be changed', async (t) => {
  t.throws(() => risk().when(reassess({ likelihood: 'HIGH' })), NotFoundError)
  t.throws(() => risk().when(retire()), { code: 'RiskNotFound' })
  t.throws(() => risk(assessed, retired).when(reassess({ likelihood: 'HIGH' })), { code: 'RiskAlreadyRetired' })
  t.throws(() => risk(assessed, retired).when(retire()), { code: 'RiskAlreadyRetired' })
  t.match(risk(assessed).when(retire()), [{ type: 'RiskRetired', data: { reason: 'mail system replaced', by: 'gso-1' } }])
})

t.test('the level is derived from likelihood × impact', async (t) => {
  t.equal(riskLevel('LOW', 'LOW'), 'LOW')
  t.equal(riskLevel('LOW', 'MEDIUM'), 'LOW')
  t.equal(riskLevel('LOW', 'HIGH'), 'MEDIUM')
  t.equal(riskLevel('MEDIUM', 'MEDIUM'), 'MEDIUM')
  t.equal(riskLevel('MEDIUM', 'HIGH'), 'HIGH')
  t.equal(riskLevel('HIGH', 'HIGH'), 'HIGH')
  t.same(pairsOfLevel('HIGH'), [['MEDIUM', 'HIGH'], ['HIGH', 'MEDIUM'], ['HIGH', 'HIGH']])
  t.equal(pairsOfLevel('LOW').length + pairsOfLevel('MEDIUM').length + pairsOfLevel('HIGH').length, 9)
})

// given/when/then over the agency decider: registration (Art. 2, 4 §4–5), units, controlled areas
// (Art. 15) and the agency's settings (domain.md §9 defaults, patched field by field).
import t from 'tap'
import {
  agencyDecider, agencyStreamId, ChangeAgencySettingsInput, CreateUnitInput, DefineAreaInput, RecordAreaMeasuresInput, RegisterAgencyInput,
  type AgencyCommand, type AgencyEvent,
} from '../../../src/domain/agency/index.js'
import type { Actor, CommandMetadata } from '../../../src/domain/shared/decider.js'
import { defaultAgencySettings } from '../../../src/domain/shared/settings.js'
import { given } from '../../helpers/given.js'

const NOW = '2026-06-15T10:00:00+09:00'
const ciso: Actor = { id: 'boss', roles: ['CISO'] }

const cmd = <T extends AgencyCommand['type']>(type: T, data: Extract<AgencyCommand, { type: T }>['data'], actor: Actor = ciso) =>
  ({ type, data, metadata: { actor, agencyId: 'mof', now: NOW, correlationId: 'c', source: 'api' } satisfies CommandMetadata }) as Extract<AgencyCommand, { type: T }>

const registered: AgencyEvent = { type: 'AgencyRegistered', data: { agencyId: 'mof', name: 'Ministry', kind: 'NATIONAL_ADMINISTRATIVE_ORGAN', parentId: undefined, registeredAt: NOW } }
const unitCreated = (unitId: string, parentUnitId?: string): AgencyEvent => ({ type: 'UnitCreated', data: { unitId, name: `Unit ${unitId}`, parentUnitId, createdBy: 'boss', at: NOW } })
const areaDefined = (areaId: string): AgencyEvent => ({ type: 'AreaDefined', data: { areaId, name: `Area ${areaId}`, unitId: undefined, measures: [], definedBy: 'boss', at: NOW } })
const agency = (...events: AgencyEvent[]) => given(agencyDecider, registered, ...events)

t.test('registration: a national organ stands alone; IAAs and designated corporations sit under a national organ', async (t) => {
  const organ = cmd('RegisterAgency', { agencyId: 'mof', name: 'Ministry', kind: 'NATIONAL_ADMINISTRATIVE_ORGAN' })
  t.same(given(agencyDecider).when(organ), [{ type: 'AgencyRegistered', data: { agencyId: 'mof', name: 'Ministry', kind: 'NATIONAL_ADMINISTRATIVE_ORGAN', parentId: undefined, registeredAt: NOW } }])
  const iaa = cmd('RegisterAgency', { agencyId: 'ipa', name: 'IPA', kind: 'INCORPORATED_ADMINISTRATIVE_AGENCY', parentId: 'mof', parent: { kind: 'NATIONAL_ADMINISTRATIVE_ORGAN' } })
  t.match(given(agencyDecider).when(iaa), [{ type: 'AgencyRegistered', data: { agencyId: 'ipa', kind: 'INCORPORATED_ADMINISTRATIVE_AGENCY', parentId: 'mof' } }])
  const dc = cmd('RegisterAgency', { agencyId: 'jlis', name: 'J-LIS', kind: 'DESIGNATED_CORPORATION', parentId: 'mof', parent: { kind: 'NATIONAL_ADMINISTRATIVE_ORGAN' } })
  t.match(given(agencyDecider).when(dc), [{ data: { kind: 'DESIGNATED_CORPORATION', parentId: 'mof' } }])
  t.equal(agencyStreamId('mof'), 'agency-mof')
})

t.test('registration rules and their codes', async (t) => {
  const base = { agencyId: 'ipa', name: 'IPA' }
  t.throws(() => agency().when(cmd('RegisterAgency', { agencyId: 'mof', name: 'again', kind: 'NATIONAL_ADMINISTRATIVE_ORGAN' })), { code: 'AgencyAlreadyExists' })
  t.throws(() => given(agencyDecider).when(cmd('RegisterAgency', { ...base, kind: 'NATIONAL_ADMINISTRATIVE_ORGAN', parentId: 'mof', parent: { kind: 'NATIONAL_ADMINISTRATIVE_ORGAN' } })), { code: 'ParentNotAllowed' })
  t.throws(() => given(agencyDecider).when(cmd('RegisterAgency', { ...base, kind: 'INCORPORATED_ADMINISTRATIVE_AGENCY' })), { code: 'ParentRequired' })
  t.throws(() => given(agencyDecider).when(cmd('RegisterAgency', { ...base, kind: 'DESIGNATED_CORPORATION', parentId: 'nope' })), { code: 'ParentNotFound', message: /nope/ })
  t.throws(() => given(agencyDecider).when(cmd('RegisterAgency', { ...base, kind: 'DESIGNATED_CORPORATION', parentId: 'aist', parent: { kind: 'INCORPORATED_ADMINISTRATIVE_AGENCY' } })), { code: 'ParentNotNationalOrgan' })
  t.notOk(RegisterAgencyInput.safeParse({ agencyId: 'MOF', name: 'x', kind: 'NATIONAL_ADMINISTRATIVE_ORGAN' }).success, 'agency ids are lowercase')
})

t.test('units: created with their parent, once per code; the parent must exist', async (t) => {
  t.same(agency().when(cmd('CreateUnit', { unitId: 'cyber', name: 'Cyber division' })), [{
    type: 'UnitCreated', data: { unitId: 'cyber', name: 'Cyber division', parentUnitId: undefined, createdBy: 'boss', at: NOW },
  }])
  t.match(agency(unitCreated('cyber')).when(cmd('CreateUnit', { unitId: 'cyber-1', name: 'Team 1', parentUnitId: 'cyber' })), [{ data: { unitId: 'cyber-1', parentUnitId: 'cyber' } }])
  t.throws(() => agency(unitCreated('cyber')).when(cmd('CreateUnit', { unitId: 'cyber', name: 'again' })), { code: 'UnitAlreadyExists' })
  t.throws(() => agency().when(cmd('CreateUnit', { unitId: 'cyber-1', name: 'Team 1', parentUnitId: 'cyber' })), { code: 'UnknownUnit', details: { unitId: 'cyber' } })
  t.throws(() => given(agencyDecider).when(cmd('CreateUnit', { unitId: 'cyber', name: 'x' })), { code: 'UnknownAgency' }, 'not before registration')
  const state = agency(unitCreated('a'), unitCreated('b', 'a')).state()
  t.same([...state.units].sort(), ['a', 'b'])
  t.notOk(CreateUnitInput.safeParse({ unitId: 'has space', name: 'x' }).success, 'unit codes have no spaces')
  t.notOk(CreateUnitInput.safeParse({ unitId: 'u', name: '   ' }).success, 'a name is required')
})

t.test('controlled areas: defined once, in an existing unit; measures recorded only on a defined area', async (t) => {
  const define = DefineAreaInput.parse({ areaId: 'server-room', name: 'Server room', unitId: 'cyber' })
  t.same(define.measures, [], 'measures default to none')
  t.same(agency(unitCreated('cyber')).when(cmd('DefineArea', define)), [{
    type: 'AreaDefined', data: { areaId: 'server-room', name: 'Server room', unitId: 'cyber', measures: [], definedBy: 'boss', at: NOW },
  }])
  t.match(agency().when(cmd('DefineArea', { areaId: 'lobby', name: 'Lobby', measures: ['guard'] })), [{ data: { areaId: 'lobby', unitId: undefined, measures: ['guard'] } }])
  t.throws(() => agency().when(cmd('DefineArea', define)), { code: 'UnknownUnit', details: { unitId: 'cyber' } })
  t.throws(() => agency(unitCreated('cyber'), areaDefined('server-room')).when(cmd('DefineArea', define)), { code: 'AreaAlreadyExists' })

  const officer: Actor = { id: 'aso', roles: ['AREA_SECURITY_OFFICER'] }
  t.same(agency(areaDefined('server-room')).when(cmd('RecordAreaMeasures', { areaId: 'server-room', measures: ['card reader', 'camera'] }, officer)), [{
    type: 'AreaMeasuresRecorded', data: { areaId: 'server-room', measures: ['card reader', 'camera'], recordedBy: 'aso', at: NOW },
  }])
  t.throws(() => agency().when(cmd('RecordAreaMeasures', { areaId: 'server-room', measures: ['x'] })), { code: 'UnknownArea', details: { areaId: 'server-room' } })
  t.notOk(RecordAreaMeasuresInput.safeParse({ measures: [] }).success, 'recording measures names at least one')
})

t.test('settings: defaults until changed; a change names only what changes and the event carries the whole result', async (t) => {
  t.same(agency().state().settings, { education: { trainingsPerFiscalYear: 1, newcomerWithinMonths: 3 }, selfCheck: { perFiscalYear: 1 }, deadlines: { planGraceDays: 30, incidentTriageHours: 24, incidentCisoReportHours: 24, nationalCentreNoticeHours: 72, contractErasureDays: 30 } })
  t.same(agency().state().settings, defaultAgencySettings)

  const first = agency().when(cmd('ChangeAgencySettings', ChangeAgencySettingsInput.parse({ education: { newcomerWithinMonths: 6 } })))
  t.same(first, [{
    type: 'AgencySettingsChanged',
    data: { settings: { education: { trainingsPerFiscalYear: 1, newcomerWithinMonths: 6 }, selfCheck: { perFiscalYear: 1 }, deadlines: { planGraceDays: 30, incidentTriageHours: 24, incidentCisoReportHours: 24, nationalCentreNoticeHours: 72, contractErasureDays: 30 } }, changedBy: 'boss', at: NOW },
  }])
  const [changed] = first
  if (!changed) throw new Error('no event')
  const second = agency(changed).when(cmd('ChangeAgencySettings', ChangeAgencySettingsInput.parse({ selfCheck: { perFiscalYear: 2 }, education: { trainingsPerFiscalYear: 2 } })))
  t.same(second[0]?.data, {
    settings: { education: { trainingsPerFiscalYear: 2, newcomerWithinMonths: 6 }, selfCheck: { perFiscalYear: 2 }, deadlines: { planGraceDays: 30, incidentTriageHours: 24, incidentCisoReportHours: 24, nationalCentreNoticeHours: 72, contractErasureDays: 30 } }, changedBy: 'boss', at: NOW,
  }, 'the earlier change (6 months) survives a later change of other fields')
  t.same(agency(changed).state().settings.education, { trainingsPerFiscalYear: 1, newcomerWithinMonths: 6 })
  t.throws(() => given(agencyDecider).when(cmd('ChangeAgencySettings', { education: { newcomerWithinMonths: 1 } })), { code: 'UnknownAgency' })
})

t.test('settings input: at least one setting, within range', async (t) => {
  t.notOk(ChangeAgencySettingsInput.safeParse({}).success, 'an empty change is refused')
  t.notOk(ChangeAgencySettingsInput.safeParse({ education: { trainingsPerFiscalYear: 0 } }).success)
  t.notOk(ChangeAgencySettingsInput.safeParse({ education: { newcomerWithinMonths: 25 } }).success)
  t.notOk(ChangeAgencySettingsInput.safeParse({ selfCheck: { perFiscalYear: 1.5 } }).success)
  t.ok(ChangeAgencySettingsInput.safeParse({ education: { newcomerWithinMonths: 0 } }).success, '0 switches the newcomer rule off')
  t.ok(ChangeAgencySettingsInput.safeParse({ deadlines: { incidentTriageHours: 4 } }).success, 'a deadline alone is a change')
  t.notOk(ChangeAgencySettingsInput.safeParse({ deadlines: { incidentTriageHours: 0 } }).success, 'an incident deadline is at least an hour')
  t.notOk(ChangeAgencySettingsInput.safeParse({ deadlines: { planGraceDays: 366 } }).success)
})

t.test('settings recorded before the deadlines existed read with the default deadlines, and a change keeps them', async (t) => {
  const { deadlines: _none, ...older } = defaultAgencySettings
  const old = { type: 'AgencySettingsChanged', data: { settings: { ...older, education: { trainingsPerFiscalYear: 2, newcomerWithinMonths: 3 } }, changedBy: 'boss', at: NOW } } as AgencyEvent
  t.same(agency(old).state().settings, { ...defaultAgencySettings, education: { trainingsPerFiscalYear: 2, newcomerWithinMonths: 3 } })
  const [changed] = agency(old).when(cmd('ChangeAgencySettings', ChangeAgencySettingsInput.parse({ deadlines: { incidentTriageHours: 4 } })))
  t.same(changed?.data, {
    settings: { education: { trainingsPerFiscalYear: 2, newcomerWithinMonths: 3 }, selfCheck: { perFiscalYear: 1 }, deadlines: { ...defaultAgencySettings.deadlines, incidentTriageHours: 4 } },
    changedBy: 'boss', at: NOW,
  })
})

// Agencies: registration with the parent rule of Art. 4 §4–5, the units and controlled areas people
// and roles are attached to, and the agency's settings.
import { DomainError } from '../shared/errors.js'
import type { Decider } from '../shared/decider.js'
import type { AgencyKind } from '../shared/roles.js'
import { applySettingsPatch, defaultAgencySettings, settingsOf, type AgencySettings } from '../shared/settings.js'
import type { AgencyCommand, ChangeAgencySettings, CreateUnit, DefineArea, RecordAreaMeasures, RegisterAgency } from './commands.js'
import type { AgencyEvent } from './events.js'

export interface AgencyState {
  registered: boolean
  kind?: AgencyKind | undefined
  /** The national organ it sits under (IAAs and designated corporations). */
  parentId?: string | undefined
  units: ReadonlySet<string>
  areas: ReadonlySet<string>
  settings: AgencySettings
}

const initialState = (): AgencyState => ({ registered: false, units: new Set(), areas: new Set(), settings: defaultAgencySettings })

function evolve(state: AgencyState, event: AgencyEvent): AgencyState {
  switch (event.type) {
    case 'AgencyRegistered': return { ...state, registered: true, kind: event.data.kind, parentId: event.data.parentId }
    case 'UnitCreated': return { ...state, units: new Set([...state.units, event.data.unitId]) }
    case 'AreaDefined': return { ...state, areas: new Set([...state.areas, event.data.areaId]) }
    case 'AreaMeasuresRecorded': return state
    case 'AgencySettingsChanged': return { ...state, settings: settingsOf(event.data.settings) }
  }
}

function register(command: RegisterAgency, state: AgencyState): AgencyEvent[] {
  const { agencyId, name, kind, parentId, parent } = command.data
  if (state.registered) throw new DomainError('AgencyAlreadyExists', `agency ${agencyId} is already registered`)
  if (kind === 'NATIONAL_ADMINISTRATIVE_ORGAN' && parentId !== undefined) {
    throw new DomainError('ParentNotAllowed', 'a national administrative organ has no parent; leave out the parent')
  }
  if (kind !== 'NATIONAL_ADMINISTRATIVE_ORGAN') {
    if (parentId === undefined) throw new DomainError('ParentRequired', `a ${kind} sits under a national administrative organ; give its id as the parent`)
    if (!parent) throw new DomainError('ParentNotFound', `parent agency ${parentId} is not registered; register it first`)
    if (parent.kind !== 'NATIONAL_ADMINISTRATIVE_ORGAN') {
      throw new DomainError('ParentNotNationalOrgan', `parent ${parentId} is a ${parent.kind}; the parent must be a national administrative organ`)
    }
  }
  return [{ type: 'AgencyRegistered', data: { agencyId, name, kind, parentId, registeredAt: command.metadata.now } }]
}

function requireRegistered(command: AgencyCommand, state: AgencyState): void {
  if (!state.registered) throw new DomainError('UnknownAgency', `agency ${command.metadata.agencyId} is not registered`)
}

function createUnit(command: CreateUnit, state: AgencyState): AgencyEvent[] {
  requireRegistered(command, state)
  const { unitId, name, parentUnitId } = command.data
  if (state.units.has(unitId)) throw new DomainError('UnitAlreadyExists', `unit ${unitId} already exists; choose another code`)
  if (parentUnitId !== undefined && !state.units.has(parentUnitId)) throw new DomainError('UnknownUnit', `parent unit ${parentUnitId} does not exist in this agency; create it first`, { unitId: parentUnitId })
  return [{ type: 'UnitCreated', data: { unitId, name, parentUnitId, createdBy: command.metadata.actor.id, at: command.metadata.now } }]
}

function defineArea(command: DefineArea, state: AgencyState): AgencyEvent[] {
  requireRegistered(command, state)
  const { areaId, name, unitId, measures } = command.data
  if (state.areas.has(areaId)) throw new DomainError('AreaAlreadyExists', `area ${areaId} already exists; record new measures on it instead`)
  if (unitId !== undefined && !state.units.has(unitId)) throw new DomainError('UnknownUnit', `unit ${unitId} does not exist in this agency`, { unitId })
  return [{ type: 'AreaDefined', data: { areaId, name, unitId, measures, definedBy: command.metadata.actor.id, at: command.metadata.now } }]
}

function recordAreaMeasures(command: RecordAreaMeasures, state: AgencyState): AgencyEvent[] {
  requireRegistered(command, state)
  const { areaId, measures } = command.data
  if (!state.areas.has(areaId)) throw new DomainError('UnknownArea', `area ${areaId} does not exist in this agency; define it first`, { areaId })
  return [{ type: 'AreaMeasuresRecorded', data: { areaId, measures, recordedBy: command.metadata.actor.id, at: command.metadata.now } }]
}

function changeSettings(command: ChangeAgencySettings, state: AgencyState): AgencyEvent[] {
  requireRegistered(command, state)
  const settings = applySettingsPatch(state.settings, command.data)
  return [{ type: 'AgencySettingsChanged', data: { settings, changedBy: command.metadata.actor.id, at: command.metadata.now } }]
}

export const agencyDecider: Decider<AgencyCommand, AgencyEvent, AgencyState> = {
  streamType: 'agency',
  initialState,
  evolve,
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterAgency': return register(command, state)
      case 'CreateUnit': return createUnit(command, state)
      case 'DefineArea': return defineArea(command, state)
      case 'RecordAreaMeasures': return recordAreaMeasures(command, state)
      case 'ChangeAgencySettings': return changeSettings(command, state)
    }
  },
}

export const agencyStreamId = (agencyId: string) => `agency-${agencyId}`

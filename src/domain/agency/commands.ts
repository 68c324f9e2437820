// Agency commands: registration (Art. 2; Art. 4 §4–5: IAAs and designated corporations sit under a
// national organ), organisational units, controlled areas (Art. 15) and settings.
import { z } from 'zod'
import type { Command } from '../shared/decider.js'
import { AgencyKind } from '../shared/roles.js'
import { AgencySettingsPatch } from '../shared/settings.js'
import { localId, text } from '../shared/values.js'

export const AgencyId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lowercase letters, digits and hyphens, 2–63 characters, e.g. "mic" or "ipa"')

export const RegisterAgencyInput = z.object({
  agencyId: AgencyId,
  name: z.string().trim().min(1).max(200),
  kind: AgencyKind,
  parentId: AgencyId.optional(),
})
export const CreateUnitInput = z.object({
  unitId: localId.describe('the unit code, e.g. "cyber-div"'),
  name: text(200),
  parentUnitId: localId.optional().describe('the unit it sits in, if any'),
})
export const DefineAreaInput = z.object({
  areaId: localId,
  name: text(200),
  unitId: localId.optional().describe('the unit that manages the area'),
  measures: z.array(text(500)).max(100).default([]).describe('entry control, locks, camera... (Art. 15)'),
})
export const RecordAreaMeasuresInput = z.object({
  measures: z.array(text(500)).min(1).max(100),
})
export const ChangeAgencySettingsInput = AgencySettingsPatch

/** `parent` is the parent's current state, looked up by the application (it lives in another log). */
export type RegisterAgency = Command<'RegisterAgency', z.output<typeof RegisterAgencyInput> & {
  parent?: { kind: AgencyKind } | undefined
}>
export type CreateUnit = Command<'CreateUnit', z.output<typeof CreateUnitInput>>
export type DefineArea = Command<'DefineArea', z.output<typeof DefineAreaInput>>
export type RecordAreaMeasures = Command<'RecordAreaMeasures', z.output<typeof RecordAreaMeasuresInput> & { areaId: string }>
export type ChangeAgencySettings = Command<'ChangeAgencySettings', z.output<typeof ChangeAgencySettingsInput>>
export type AgencyCommand = RegisterAgency | CreateUnit | DefineArea | RecordAreaMeasures | ChangeAgencySettings

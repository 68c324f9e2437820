// Agency registration (Art. 2; Art. 4 §4–5: IAAs and designated corporations sit under a national organ).
import { z } from 'zod'
import type { Command } from '../shared/decider.js'
import { AgencyKind } from '../shared/roles.js'

export const AgencyId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lowercase letters, digits and hyphens, 2–63 characters, e.g. "mic" or "ipa"')

export const RegisterAgencyInput = z.object({
  agencyId: AgencyId,
  name: z.string().trim().min(1).max(200),
  kind: AgencyKind,
  parentId: AgencyId.optional(),
})

/** `parent` is the parent's current state, looked up by the application (it lives in another log). */
export type RegisterAgency = Command<'RegisterAgency', z.output<typeof RegisterAgencyInput> & {
  parent?: { kind: AgencyKind } | undefined
}>
export type AgencyCommand = RegisterAgency

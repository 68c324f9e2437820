// Agency settings: the fiscal-year rules of domain.md §9 are recalled defaults [R], so each agency can
// correct them without a code change. Stored by AgencySettingsChanged on the agency's stream.
import { z } from 'zod'

export const EducationRules = z.object({
  trainingsPerFiscalYear: z.number().int().min(1).max(12).describe('trainings every employee completes each fiscal year'),
  newcomerWithinMonths: z.number().int().min(0).max(24).describe('months after joining or a transfer within which training is due (0 = no such rule)'),
})
export const SelfCheckRules = z.object({
  perFiscalYear: z.number().int().min(1).max(12).describe('self-checks each employee does per fiscal year'),
})
export const AgencySettings = z.object({
  education: EducationRules,
  selfCheck: SelfCheckRules,
})
export type AgencySettings = z.infer<typeof AgencySettings>

export const defaultAgencySettings: AgencySettings = {
  education: { trainingsPerFiscalYear: 1, newcomerWithinMonths: 3 },
  selfCheck: { perFiscalYear: 1 },
}

/** A change names only what changes. */
export const AgencySettingsPatch = z.object({
  education: EducationRules.partial().optional(),
  selfCheck: SelfCheckRules.partial().optional(),
}).refine((p) => p.education !== undefined || p.selfCheck !== undefined, 'name at least one setting to change')

export function applySettingsPatch(current: AgencySettings, patch: z.output<typeof AgencySettingsPatch>): AgencySettings {
  return {
    education: { ...current.education, ...patch.education },
    selfCheck: { ...current.selfCheck, ...patch.selfCheck },
  }
}

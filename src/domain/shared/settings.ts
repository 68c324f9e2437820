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
/** Deadlines of the time-driven duties (src/domain/compliance/duties.ts); the Standards say "promptly", so each is a recalled default [R]. */
export const DeadlineRules = z.object({
  planGraceDays: z.number().int().min(0).max(365).describe('days after the fiscal year starts (or the agency registered, if later) within which its promotion plan is established'),
  incidentTriageHours: z.number().int().min(1).max(720).describe('hours after a report within which the CSIRT triages it'),
  incidentCisoReportHours: z.number().int().min(1).max(720).describe('hours after an incident is assessed within which the CSIRT head reports it to the CISO'),
  nationalCentreNoticeHours: z.number().int().min(1).max(720).describe('hours after an incident is assessed within which the national centre is notified'),
  contractErasureDays: z.number().int().min(0).max(365).describe("days after a contract ends within which the return or erasure of the agency's information is confirmed"),
})
export type DeadlineRules = z.infer<typeof DeadlineRules>
const defaultDeadlines: DeadlineRules = { planGraceDays: 30, incidentTriageHours: 24, incidentCisoReportHours: 24, nationalCentreNoticeHours: 72, contractErasureDays: 30 }

export const AgencySettings = z.object({
  education: EducationRules,
  selfCheck: SelfCheckRules,
  // Settings stored before the deadlines existed lack them: they read as the defaults.
  deadlines: DeadlineRules.default(defaultDeadlines),
})
export type AgencySettings = z.infer<typeof AgencySettings>

export const defaultAgencySettings: AgencySettings = {
  education: { trainingsPerFiscalYear: 1, newcomerWithinMonths: 3 },
  selfCheck: { perFiscalYear: 1 },
  deadlines: defaultDeadlines,
}

/** Settings as stored (the agencies read model, an event), each group completed with the defaults (a group added later is absent from older ones). */
export function settingsOf(stored: unknown): AgencySettings {
  const s = (typeof stored === 'object' && stored !== null ? stored : {}) as Partial<AgencySettings>
  return {
    education: { ...defaultAgencySettings.education, ...s.education },
    selfCheck: { ...defaultAgencySettings.selfCheck, ...s.selfCheck },
    deadlines: { ...defaultAgencySettings.deadlines, ...s.deadlines },
  }
}

/** A change names only what changes. */
export const AgencySettingsPatch = z.object({
  education: EducationRules.partial().optional(),
  selfCheck: SelfCheckRules.partial().optional(),
  deadlines: DeadlineRules.partial().optional(),
}).refine((p) => p.education !== undefined || p.selfCheck !== undefined || p.deadlines !== undefined, 'name at least one setting to change')

export function applySettingsPatch(current: AgencySettings, patch: z.output<typeof AgencySettingsPatch>): AgencySettings {
  return {
    education: { ...current.education, ...patch.education },
    selfCheck: { ...current.selfCheck, ...patch.selfCheck },
    deadlines: { ...current.deadlines, ...patch.deadlines },
  }
}

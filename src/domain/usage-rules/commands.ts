// System use (Art. 22): the rules employees follow when using the agency's information systems,
// published in versions (each supersedes the ones before once it takes effect), and each employee's
// acknowledgement of the version in force or of an upcoming one. Acknowledgements live on one stream per
// employee, so no stream grows with the staff.
import { z } from 'zod'
import type { Command } from '../shared/decider.js'
import { calendarDate, text } from '../shared/values.js'

const Version = text(50).describe('the version as the agency names it, e.g. 2026.1')

export const PublishUsageRulesInput = z.object({
  version: Version,
  title: text(200),
  summary: text(5000),
  documentRef: text(500).optional().describe('where the full text is (document number, intranet address)'),
  effectiveFrom: calendarDate,
})
export const AcknowledgeUsageRulesInput = z.object({
  version: Version.describe('the version in force, or a published version taking effect later (acknowledging it again changes nothing)'),
})

/** A published version: its name and the day it takes effect. */
export interface PublishedUsageRules { version: string; effectiveFrom: string }

/** What the application looked up: the acknowledging employee and the agency's published versions. */
export interface AcknowledgementFacts {
  employee: { exists: boolean; unitId?: string | undefined; departedOn?: string | undefined }
  /** Every published version, in the order published (which is effective-date order). */
  published: readonly PublishedUsageRules[]
}

export type PublishUsageRules = Command<'PublishUsageRules', z.output<typeof PublishUsageRulesInput>>
export type AcknowledgeUsageRules = Command<'AcknowledgeUsageRules', z.output<typeof AcknowledgeUsageRulesInput> & AcknowledgementFacts>

// Handling restrictions (Art. 13; domain.md §4): an open list of codes, some with a parameter, plus
// agency-defined custom codes. Each entry is a strict object, so a parameter given to a code that
// takes none (or the wrong one) is refused rather than silently dropped.
import { z } from 'zod'
import { calendarDate, localId, text } from '../shared/values.js'

export const simpleRestrictionCodes = [
  'NO_COPY', 'COPY_NEEDS_PERMISSION', 'NO_TAKE_OUT', 'NO_DISTRIBUTION', 'DISTRIBUTION_NEEDS_PERMISSION', 'ENCRYPTION_REQUIRED',
  'DESTROY_AFTER_READING', 'NO_FORWARD', 'NO_SEND', 'NO_REUSE', 'NO_REWRITE', 'NO_DELETE',
] as const
export const restrictionCodes = [...simpleRestrictionCodes, 'AUDIENCE_LIMITED', 'RETAIN_UNTIL', 'RECOVER_WITHIN', 'STORE_AT', 'CUSTOM'] as const
export const RestrictionCode = z.enum(restrictionCodes)
export type RestrictionCode = z.infer<typeof RestrictionCode>

/** What the lifecycle rules check (src/domain/information/rules.ts); the others are recorded and shown, and travel with the information. */
export const checkedRestrictions = 'Checked when a step is recorded: NO_COPY and COPY_NEEDS_PERMISSION (copy), NO_TAKE_OUT and ENCRYPTION_REQUIRED (carry), '
  + 'NO_DISTRIBUTION and DISTRIBUTION_NEEDS_PERMISSION (provide; send outside the government), AUDIENCE_LIMITED (provide, send), ENCRYPTION_REQUIRED (save, send), '
  + 'NO_SEND and NO_FORWARD (send), NO_DELETE and RETAIN_UNTIL (delete). DESTROY_AFTER_READING, NO_REUSE, NO_REWRITE, RECOVER_WITHIN, STORE_AT and CUSTOM '
  + 'are recorded and shown (and travel with the information); they are not checked.'

const Simple = z.strictObject({ code: z.enum(simpleRestrictionCodes) })
const AudienceLimited = z.strictObject({
  code: z.literal('AUDIENCE_LIMITED'),
  audience: z.array(text(200)).min(1).max(100)
    .describe('関係者限り: who may receive it: agency ids (provided to an agency), recipient names (provided outside the government bodies, or sent); compared trimmed and case-insensitively'),
})
const RetainUntil = z.strictObject({ code: z.literal('RETAIN_UNTIL'), date: calendarDate.describe('kept until this day (deleting it on or before the day is refused)') })
const RecoverWithin = z.strictObject({ code: z.literal('RECOVER_WITHIN'), duration: z.iso.duration().describe('ISO-8601 duration, e.g. PT4H or P1D; recorded and shown, not checked') })
const StoreAt = z.strictObject({ code: z.literal('STORE_AT'), location: text(200).describe('where it is kept; recorded and shown, not checked') })
const Custom = z.strictObject({
  code: z.literal('CUSTOM'),
  label: text(200).describe("the agency's wording of the restriction (recorded and shown, not checked)"),
  customCode: localId.optional().describe("the agency's own code for it, e.g. X-NO-PRINT"),
})

export const HandlingRestriction = z.discriminatedUnion('code', [Simple, AudienceLimited, RetainUntil, RecoverWithin, StoreAt, Custom]).describe(checkedRestrictions)
export type HandlingRestriction = z.output<typeof HandlingRestriction>

const keyOf = (r: HandlingRestriction) => (r.code === 'CUSTOM' ? `CUSTOM:${r.customCode ?? r.label}` : r.code)

/** Restrictions as a list where each code appears once (custom ones once per code or label). */
export const HandlingRestrictions = z.array(HandlingRestriction).max(50).superRefine((list, ctx) => {
  const seen = new Set<string>()
  list.forEach((r, i) => {
    const key = keyOf(r)
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'code'], message: `${key} is listed twice` })
    seen.add(key)
  })
})

/** A stored restriction (plain JSON). */
export type StoredRestriction = {
  code: RestrictionCode
  audience?: string[] | undefined
  date?: string | undefined
  duration?: string | undefined
  location?: string | undefined
  label?: string | undefined
  customCode?: string | undefined
}

/** Restrictions as stored: absent members left out, in the order given. */
export const storedRestrictions = (list: readonly HandlingRestriction[]): StoredRestriction[] => list.map((r) => ({ ...r }))

export const hasRestriction = (list: readonly StoredRestriction[], code: RestrictionCode): boolean => list.some((r) => r.code === code)

export function restriction<C extends RestrictionCode>(list: readonly StoredRestriction[], code: C): StoredRestriction | undefined {
  return list.find((r) => r.code === code)
}

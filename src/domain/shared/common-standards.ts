// The Common Standards (統一基準) items as data, by edition (domain.md §11). Pure: no I/O.
// Items 1.1–2.2.2 are confirmed in public sources [C]; the rest follow the order agency rulebooks
// use [P]. Keeping them as data means a later edition (or a correction) is a new table, not new code.
import { z } from 'zod'

export const standardsEditions = ['R3', 'R5'] as const
export const StandardsEdition = z.enum(standardsEditions)
export type StandardsEdition = z.infer<typeof StandardsEdition>

/** When each edition was decided by the Cybersecurity Strategic Headquarters [C]. */
export const editionPublishedOn: Readonly<Record<StandardsEdition, string>> = {
  R3: '2021-07-07',
  R5: '2023-07-04',
}

export type Confidence = 'C' | 'P'

export interface StandardsItem {
  /** Section code as the Standards number it, e.g. '2.1.1(3)'. */
  readonly code: string
  readonly chapter: number
  readonly title: string
  readonly confidence: Confidence
}

type Row = readonly [code: string, title: string, confidence: Confidence]

const r3Rows: readonly Row[] = [
  ['1.1', 'Purpose and scope', 'C'],
  ['1.2', 'Classification and handling restrictions', 'C'],
  ['1.3', 'Terms', 'C'],
  ['2.1.1(1)', 'Organisation: CISO and deputy CISO', 'C'],
  ['2.1.1(2)', 'Organisation: information security committee', 'C'],
  ['2.1.1(3)', 'Organisation: audit officer', 'C'],
  ['2.1.1(4)', 'Organisation: general and unit security officers', 'C'],
  ['2.1.1(5)', 'Organisation: chief security advisor', 'C'],
  ['2.1.1(6)', 'Organisation: promotion body', 'C'],
  ['2.1.1(7)', 'Organisation: incident readiness (CSIRT)', 'C'],
  ['2.1.1(8)', 'Organisation: roles that must not be combined', 'C'],
  ['2.1.2', 'Own standards and promotion plan', 'C'],
  ['2.2.1', 'Operating the rules and handling violations', 'C'],
  ['2.2.2', 'Exceptional actions (procedure, operation)', 'C'],
  ['2.2.3', 'Education', 'P'],
  ['2.2.4', 'Incident handling', 'P'],
  ['2.3.1', 'Self-check', 'P'],
  ['2.3.2', 'Audit', 'P'],
  ['2.4.1', 'Review', 'P'],
  ['3.1.1', 'Handling of information (rules, purpose, classify and mark, use and save, provide and publish, carry and send, erase, back up)', 'P'],
  ['3.2.1', 'Controlled areas', 'P'],
  ['4.1', 'Contracted work (general; information-system work)', 'P'],
  ['4.2', 'Cloud services', 'P'],
  ['4.3', 'Procurement of equipment', 'P'],
  ['5.1', 'System documents and ledger', 'P'],
  ['5.2', 'Planning and requirements', 'P'],
  ['5.3', 'Procurement and construction', 'P'],
  ['5.4', 'Operation and maintenance', 'P'],
  ['5.5', 'Renewal and disposal', 'P'],
  ['5.6', 'Review of information systems', 'P'],
  ['5.7', 'Operational continuity plan', 'P'],
  ['6.1', 'Authentication', 'P'],
  ['6.2', 'Access control', 'P'],
  ['6.3', 'Privilege management', 'P'],
  ['6.4', 'Logging', 'P'],
  ['6.5', 'Cryptography and electronic signatures', 'P'],
  ['6.6', 'Monitoring', 'P'],
  ['6.7', 'Vulnerability management', 'P'],
  ['6.8', 'Malware', 'P'],
  ['6.9', 'Denial of service', 'P'],
  ['6.10', 'Targeted attacks', 'P'],
  ['6.11', 'Applications and content', 'P'],
  ['7.1', 'Terminals', 'P'],
  ['7.2', 'Servers', 'P'],
  ['7.3', 'Multifunction and special-purpose devices', 'P'],
  ['7.4', 'E-mail', 'P'],
  ['7.5', 'Web', 'P'],
  ['7.6', 'DNS', 'P'],
  ['7.7', 'Databases', 'P'],
  ['7.8', 'Networks', 'P'],
  ['7.9', 'Network devices', 'P'],
  ['7.10', 'Wireless LAN', 'P'],
  ['7.11', 'IPv6', 'P'],
  ['8.1', 'Use of information systems by employees', 'P'],
  ['8.2', 'Social media', 'P'],
]

/** R5 kept R3's structure and added the shared government systems item under chapter 8 [P]. */
const r5Rows: readonly Row[] = [...r3Rows, ['8.3', 'Shared government systems', 'P']]

const toItem = ([code, title, confidence]: Row): StandardsItem =>
  Object.freeze({ code, chapter: Number(code.split('.')[0]), title, confidence })

const itemsByEdition: Readonly<Record<StandardsEdition, readonly StandardsItem[]>> = {
  R3: Object.freeze(r3Rows.map(toItem)),
  R5: Object.freeze(r5Rows.map(toItem)),
}

const codesByEdition: Readonly<Record<StandardsEdition, ReadonlySet<string>>> = {
  R3: new Set(itemsByEdition.R3.map((i) => i.code)),
  R5: new Set(itemsByEdition.R5.map((i) => i.code)),
}

/**
 * The baseline every agency's own standards must cover: the chapter 2–8 items [P]. Chapter 1
 * (purpose, classification scheme, terms) frames the Standards rather than asking for measures,
 * so an agency's rulebook may restate it but need not map it.
 */
const baselineByEdition: Readonly<Record<StandardsEdition, readonly string[]>> = {
  R3: Object.freeze(itemsByEdition.R3.filter((i) => i.chapter >= 2).map((i) => i.code)),
  R5: Object.freeze(itemsByEdition.R5.filter((i) => i.chapter >= 2).map((i) => i.code)),
}

const isEdition = (edition: string): edition is StandardsEdition =>
  (standardsEditions as readonly string[]).includes(edition)

/** Every item of an edition, in the Standards' order. */
export function standardsItems(edition: StandardsEdition): readonly StandardsItem[] {
  return itemsByEdition[edition]
}

/** Whether `code` names an item of `edition`; false for an unknown edition. */
export function isKnownStandardsItem(edition: string, code: string): boolean {
  return isEdition(edition) && codesByEdition[edition].has(code)
}

/** The item codes an agency's own standards must cover for `edition` (example: '2.2.3'). */
export function baselineItems(edition: StandardsEdition): readonly string[] {
  return baselineByEdition[edition]
}

/** One item by code, or undefined. */
export function findStandardsItem(edition: StandardsEdition, code: string): StandardsItem | undefined {
  return itemsByEdition[edition].find((i) => i.code === code)
}

/** An edition as one document: its date, items and baseline (what the read APIs publish). */
export function commonStandardsEdition(edition: StandardsEdition) {
  return { edition, publishedOn: editionPublishedOn[edition], items: standardsItems(edition), baseline: baselineItems(edition) }
}

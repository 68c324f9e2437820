// Classification of information (Art. 12; domain.md §3): three axes, a medium, the label and the
// derived flags. Flags and label are computed here from the stored classes and never stored.
import { z } from 'zod'
import { text } from '../shared/values.js'

export const media = ['ELECTRONIC', 'PAPER'] as const
export const Medium = z.enum(media)
export type Medium = z.infer<typeof Medium>

export const Confidentiality = z.number().int().min(1).max(3).describe('機密性 1–3 (C3: equal to secret documents)')
export const Integrity = z.number().int().min(1).max(2).describe('完全性 1–2 (electronic records only)')
export const Availability = z.number().int().min(1).max(2).describe('可用性 1–2 (electronic records only)')
/** An agency's subdivision of a level (e.g. 2A/2B): kept beside the base class, never instead of it. */
export const SubLevel = text(20).describe("the agency's sub-level code, e.g. 2A")

/** The classes as given: integrity and availability only for electronic records (checked by the decider). */
export const ClassesInput = z.object({
  confidentiality: Confidentiality,
  integrity: Integrity.optional(),
  availability: Availability.optional(),
  subLevel: SubLevel.optional(),
})
export type ClassesInput = z.output<typeof ClassesInput>

/** Stored classes: electronic records carry all three axes, paper confidentiality only. */
export type Classes = {
  confidentiality: number
  integrity?: number | undefined
  availability?: number | undefined
  subLevel?: string | undefined
}

export const informationFlags = ['CONFIDENTIALITY_REQUIRED', 'INTEGRITY_REQUIRED', 'AVAILABILITY_REQUIRED', 'PROTECTION_REQUIRED'] as const
export const InformationFlag = z.enum(informationFlags)
export type InformationFlag = z.infer<typeof InformationFlag>
/** The Japanese names of the flags (domain.md §3), accepted wherever a flag is named. */
export const flagNames: Readonly<Record<InformationFlag, string>> = {
  CONFIDENTIALITY_REQUIRED: '要機密', INTEGRITY_REQUIRED: '要保全', AVAILABILITY_REQUIRED: '要安定', PROTECTION_REQUIRED: '要保護',
}

export interface Flags { needsConfidentiality: boolean; needsIntegrity: boolean; needsAvailability: boolean; needsProtection: boolean }

/** 要機密 = C≥2; 要保全 = I2; 要安定 = A2; 要保護 = any of them. */
export function flagsOf(classes: Pick<Classes, 'confidentiality' | 'integrity' | 'availability'>): Flags {
  const needsConfidentiality = classes.confidentiality >= 2
  const needsIntegrity = classes.integrity === 2
  const needsAvailability = classes.availability === 2
  return { needsConfidentiality, needsIntegrity, needsAvailability, needsProtection: needsConfidentiality || needsIntegrity || needsAvailability }
}

/** The flags that are set, by code (for lists and filters). */
export function flagCodes(classes: Pick<Classes, 'confidentiality' | 'integrity' | 'availability'>): InformationFlag[] {
  const f = flagsOf(classes)
  const set: [InformationFlag, boolean][] = [
    ['CONFIDENTIALITY_REQUIRED', f.needsConfidentiality], ['INTEGRITY_REQUIRED', f.needsIntegrity],
    ['AVAILABILITY_REQUIRED', f.needsAvailability], ['PROTECTION_REQUIRED', f.needsProtection],
  ]
  return set.filter(([, on]) => on).map(([code]) => code)
}

/** `C3I2A2` for an electronic record, `C2` for paper (domain.md §3). */
export function labelOf(classes: Pick<Classes, 'confidentiality' | 'integrity' | 'availability'>): string {
  return `C${classes.confidentiality}${classes.integrity === undefined ? '' : `I${classes.integrity}`}${classes.availability === undefined ? '' : `A${classes.availability}`}`
}

/** What the given classes are missing or carry too much for the medium, as a problem to report (or undefined). */
export function classesProblem(medium: Medium, classes: ClassesInput): { code: 'ClassNotApplicableToPaper' | 'ClassMissing'; message: string } | undefined {
  const hasIA = classes.integrity !== undefined || classes.availability !== undefined
  if (medium === 'PAPER' && hasIA) {
    return { code: 'ClassNotApplicableToPaper', message: 'paper carries a confidentiality class only; leave out integrity and availability' }
  }
  if (medium === 'ELECTRONIC' && (classes.integrity === undefined || classes.availability === undefined)) {
    return { code: 'ClassMissing', message: 'an electronic record is classified on all three axes; give integrity (1–2) and availability (1–2)' }
  }
  return undefined
}

/** The classes as stored, without absent members (so events compare and hash the same). */
export function storedClasses(classes: ClassesInput): Classes {
  const { confidentiality, integrity, availability, subLevel } = classes
  return {
    confidentiality,
    ...(integrity === undefined ? {} : { integrity }),
    ...(availability === undefined ? {} : { availability }),
    ...(subLevel === undefined ? {} : { subLevel }),
  }
}

/** The classes of a copy on another medium: paper keeps confidentiality only; electronic needs I and A. */
export function classesForMedium(classes: Classes, medium: Medium, given: { integrity?: number | undefined; availability?: number | undefined }): ClassesInput {
  if (medium === 'PAPER') return { confidentiality: classes.confidentiality, subLevel: classes.subLevel }
  return {
    confidentiality: classes.confidentiality, subLevel: classes.subLevel,
    integrity: classes.integrity ?? given.integrity, availability: classes.availability ?? given.availability,
  }
}

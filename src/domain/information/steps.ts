// What a caller says about each lifecycle step (Art. 14): one input per step, so GraphQL has typed
// inputs. The details recorded in the step's event are these inputs, tagged with the step.
import { z } from 'zod'
import { AgencyId } from '../agency/commands.js'
import { localId, text } from '../shared/values.js'
import { Availability, Integrity, Medium } from './classification.js'

export const UseInformationInput = z.object({
  areaId: localId.optional().describe('the controlled area (要管理対策区域) it is used in; leave out when used outside any controlled area'),
  purpose: text(500),
})

export const saveMedia = ['SERVER', 'TERMINAL', 'EXTERNAL_MEDIA', 'CLOUD', 'CABINET'] as const
export const SaveInformationInput = z.object({
  medium: z.enum(saveMedia).describe('where it is saved; CABINET for paper'),
  encrypted: z.boolean().default(false),
  location: text(200).optional(),
})

export const PublishInformationInput = z.object({
  channel: text(200).describe('where it is published, e.g. the agency website'),
})

export const ProvideInformationInput = z.object({
  toAgencyId: AgencyId.optional().describe('the registered agency it is provided to; leave out when provided outside the government bodies'),
  recipient: text(200).describe('who receives it (a division of the agency, or the outside body); AUDIENCE_LIMITED compares it only when no toAgencyId is given'),
  purpose: text(500),
})

export const carryMethods = ['REMOVABLE_MEDIA', 'MOBILE_DEVICE', 'PAPER'] as const
export const CarryInformationInput = z.object({
  method: z.enum(carryMethods),
  encrypted: z.boolean().default(false).describe('electronic media or device encrypted'),
  sealed: z.boolean().default(false).describe('paper carried sealed'),
  destination: text(200),
})

export const sendChannels = ['EMAIL', 'FILE_TRANSFER', 'MESSAGING', 'FAX', 'POST', 'OTHER'] as const
export const SendInformationInput = z.object({
  channel: z.enum(sendChannels),
  recipient: text(200).describe('who receives it (AUDIENCE_LIMITED compares this name with the audience)'),
  toOutsideGovernment: z.boolean().describe('the recipient is outside the government bodies (then NO_DISTRIBUTION and DISTRIBUTION_NEEDS_PERMISSION apply)'),
  encrypted: z.boolean().default(false),
  forwarding: z.boolean().default(false).describe('forwarding information this agency received; information taken in from another agency (and its copies) is always forwarded, whatever this says'),
})

export const deleteMethods = ['FILE_DELETION', 'OVERWRITE', 'CRYPTO_ERASE', 'PHYSICAL_DESTRUCTION', 'SHREDDING', 'DISSOLUTION'] as const
export const DeleteInformationInput = z.object({
  method: z.enum(deleteMethods),
  irrecoverable: z.boolean().describe('the erasure leaves nothing that can be recovered'),
  mediaDisposal: text(500).optional().describe('how the media were disposed of (and any certificate); required for paper and for PHYSICAL_DESTRUCTION, SHREDDING or DISSOLUTION (MediaDisposalMissing)'),
})

export const CopyInformationInput = z.object({
  title: text(300).optional().describe('default: the source title'),
  ownerUnitId: localId.optional().describe("default: the source's owner unit"),
  medium: Medium.optional().describe("default: the source's medium"),
  integrity: Integrity.optional().describe('only for an electronic copy of paper, which has no integrity class'),
  availability: Availability.optional().describe('only for an electronic copy of paper, which has no availability class'),
})

type Out<S extends z.ZodType> = z.output<S>
/** A copy's details: its id, where it goes, and the classes the source lacks for the copy's medium. */
export type CopyDetails = {
  step: 'COPY'; copyAssetId: string; title: string; ownerUnitId: string; medium: Medium
  integrity?: number | undefined; availability?: number | undefined
}
export type UseDetails = { step: 'USE' } & Out<typeof UseInformationInput>
export type SaveDetails = { step: 'SAVE' } & Out<typeof SaveInformationInput>
export type PublishDetails = { step: 'PUBLISH' } & Out<typeof PublishInformationInput>
export type ProvideDetails = { step: 'PROVIDE' } & Out<typeof ProvideInformationInput>
export type CarryDetails = { step: 'CARRY' } & Out<typeof CarryInformationInput>
export type SendDetails = { step: 'SEND' } & Out<typeof SendInformationInput>
export type DeleteDetails = { step: 'DELETE' } & Out<typeof DeleteInformationInput>

/** A checked step: its kind and what the caller said about it. (CREATE and OBTAIN are ClassifyInformation.) */
export type StepDetails = CopyDetails | UseDetails | SaveDetails | PublishDetails | ProvideDetails | CarryDetails | SendDetails | DeleteDetails
export type CheckedStep = StepDetails['step']

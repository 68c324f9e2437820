// Information assets (Art. 12–14) as commands: classify, reclassify, hand over, restrictions, copy, the
// checked lifecycle steps (information-steps.ts), and taking in what another agency provided. Facts
// from other streams are looked up here and handed to the pure decider.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import {
  AcceptProvidedInformationInput, assetStreamId, CarryInformationInput, ClassifyInformationInput, CopyInformationInput, DeleteInformationInput,
  HandOverClassificationInput, informationDecider, ProvideInformationInput, provisionTo, PublishInformationInput, ReclassifyInformationInput,
  SaveInformationInput, SendInformationInput, SetHandlingRestrictionsInput, UseInformationInput,
  type AssetRecord, type CreateCopy, type InformationCommand, type InformationEvent, type StepCommandType, type StepDetails, type StepFacts,
} from '../domain/information/index.js'
import { handleCommand, toDomainEvent } from '../eventstore/handle-command.js'
import { defineCommand, metadataFor, newRecordId, runCommand, type CommandOutcome, type CommandSpec, type Services } from './command-runner.js'
import type { Principal, RequestContext } from './context.js'
import { loadAsset, runStep } from './information-steps.js'
import { loadAgency, loadEmployeeFacts } from './lookups.js'

const tag = 'information'
const none = z.object({})
const AssetParams = z.object({ assetId: z.uuid().describe('the information asset') })

async function assetCommand(s: Services, p: Principal, ctx: RequestContext, assetId: string, command: Omit<InformationCommand, 'metadata'>, fingerprint: unknown): Promise<CommandOutcome> {
  const result = await runCommand(s, p, ctx, { decider: informationDecider, streamId: assetStreamId(assetId), command: command as never, fingerprint })
  return { ...result, id: assetId }
}

/**
 * The receiver's asset for a provision is derived from the provision (receiver, provider, asset, the PROVIDE
 * step), so taking the same provision in twice finds the stream taken and answers AlreadyAccepted, while a
 * later provision of the same asset (a revised text) is taken in as an asset of its own.
 */
export function acceptedAssetId(agencyId: string, fromAgencyId: string, assetId: string, provisionStepId: string): string {
  const h = createHash('sha256').update(JSON.stringify(['accepted', agencyId, fromAgencyId, assetId, provisionStepId])).digest()
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x80
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80
  const hex = h.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** References a step names in other streams: a controlled area, a recipient agency, a copy's unit. */
const stepReferences = (s: Services, agencyId: string) => async (details: StepDetails): Promise<Omit<StepFacts, 'covered'>> => {
  if (details.step === 'USE' && details.areaId !== undefined) return { areaDefined: (await loadAgency(s.store, agencyId)).areas.has(details.areaId) }
  if (details.step === 'PROVIDE' && details.toAgencyId !== undefined) return { recipientRegistered: (await loadAgency(s.store, details.toAgencyId)).registered }
  if (details.step === 'COPY') return { unitExists: (await loadAgency(s.store, agencyId)).units.has(details.ownerUnitId) }
  return {}
}

/** A lifecycle step mutation: its input becomes the step's details. */
function stepCommand<I extends z.ZodObject>(type: Exclude<StepCommandType, 'CopyInformation'>, mutation: string, path: string, summary: string, input: I, step: Exclude<StepDetails['step'], 'COPY'>): CommandSpec {
  return defineCommand({
    type, tag, summary, path: `/information/assets/:assetId/${path}`, mutation, params: AssetParams, input,
    run: async (s, p, { assetId }, given, ctx) => {
      const stepId = newRecordId(p, ctx, 'step')
      const details = () => ({ step, ...(given as object) }) as StepDetails
      const { result } = await runStep(s, p, ctx, { type, assetId, stepId, details, references: stepReferences(s, p.agencyId), fingerprint: { assetId, input: given } })
      return { ...result, id: assetId }
    },
  })
}

/** After the COPY step on the source is recorded, the copy's own stream starts with what it inherited. */
async function copyInformation(s: Services, p: Principal, ctx: RequestContext, assetId: string, input: z.output<typeof CopyInformationInput>): Promise<CommandOutcome> {
  const details = (a: AssetRecord): StepDetails => ({
    step: 'COPY', copyAssetId: newRecordId(p, ctx, 'copy'), title: input.title ?? a.title, ownerUnitId: input.ownerUnitId ?? a.ownerUnitId,
    medium: input.medium ?? a.medium, integrity: input.integrity, availability: input.availability,
  })
  const stepId = newRecordId(p, ctx, 'step')
  const { event } = await runStep(s, p, ctx, { type: 'CopyInformation', assetId, stepId, details, references: stepReferences(s, p.agencyId), fingerprint: { assetId, input } })
  const recorded = event && toDomainEvent<InformationEvent>(event)
  if (recorded?.type !== 'InformationStepRecorded' || recorded.data.details.step !== 'COPY' || !recorded.data.marking) throw new Error(`copy step of ${assetId} was not recorded`)
  const { copyAssetId, ownerUnitId } = recorded.data.details
  const command: CreateCopy = { type: 'CreateCopy', data: { assetId: copyAssetId, sourceAssetId: assetId, ownerUnitId, marking: recorded.data.marking }, metadata: metadataFor(p, ctx, s.clock) }
  // Its own key (a space never occurs in a client's key), so a retry completes a copy whose second append failed.
  const key = ctx.idempotencyKey === undefined ? undefined : `${ctx.idempotencyKey} copy`
  const result = await handleCommand(s.store, informationDecider, assetStreamId(copyAssetId), command, { idempotencyKey: key, fingerprint: { type: 'CreateCopy', copyAssetId } })
  return { ...result, id: copyAssetId }
}

export const informationCommands = [
  defineCommand({
    type: 'ClassifyInformation', tag, summary: 'Classify information created or obtained (Art. 12): confidentiality, integrity and availability (paper: confidentiality only), handling restrictions; you are recorded as its decider',
    path: '/information/assets', mutation: 'classifyInformation', params: none, input: ClassifyInformationInput, creates: true,
    run: async (s, p, _params, input, ctx) => {
      const assetId = newRecordId(p, ctx, 'asset')
      const unitExists = (await loadAgency(s.store, p.agencyId)).units.has(input.ownerUnitId)
      return assetCommand(s, p, ctx, assetId, { type: 'ClassifyInformation', data: { ...input, assetId, unitExists } }, input)
    },
  }),
  defineCommand({
    type: 'ReclassifyInformation', tag, summary: "Change an asset's classes (only its decider, or the decider's successor; received information never below the classes that travelled with it)",
    path: '/information/assets/:assetId/reclassification', mutation: 'reclassifyInformation', params: AssetParams, input: ReclassifyInformationInput,
    run: (s, p, { assetId }, input, ctx) => assetCommand(s, p, ctx, assetId, { type: 'ReclassifyInformation', data: { ...input, assetId } }, { assetId, input }),
  }),
  defineCommand({
    type: 'HandOverClassification', tag, summary: "Name the decider's successor (by the decider; once the decider has left, by the CISO, the general security officer or a security officer of the asset's unit)",
    path: '/information/assets/:assetId/handover', mutation: 'handOverClassification', params: AssetParams, input: HandOverClassificationInput,
    run: async (s, p, { assetId }, input, ctx) => {
      const decider = (await loadAsset(s.store, p.agencyId, assetId)).asset?.decider
      const employees = await loadEmployeeFacts(s.store, p.agencyId, decider === undefined ? [input.successorId] : [input.successorId, decider])
      return assetCommand(s, p, ctx, assetId, { type: 'HandOverClassification', data: { ...input, assetId, employees } }, { assetId, input })
    },
  }),
  defineCommand({
    type: 'SetHandlingRestrictions', tag, summary: "Set an asset's handling restrictions (Art. 13), the full list (only its decider, or the decider's successor; received information keeps the restrictions that travelled with it)",
    path: '/information/assets/:assetId/restrictions', mutation: 'setHandlingRestrictions', params: AssetParams, input: SetHandlingRestrictionsInput,
    run: (s, p, { assetId }, input, ctx) => assetCommand(s, p, ctx, assetId, { type: 'SetHandlingRestrictions', data: { ...input, assetId } }, { assetId, input }),
  }),
  defineCommand({
    type: 'CopyInformation', tag, summary: 'Copy an asset (checked: NO_COPY, COPY_NEEDS_PERMISSION); the copy inherits its classes, restrictions and decider',
    path: '/information/assets/:assetId/copies', mutation: 'copyInformation', params: AssetParams, input: CopyInformationInput, creates: true,
    run: (s, p, { assetId }, input, ctx) => copyInformation(s, p, ctx, assetId, input),
  }),
  stepCommand('UseInformation', 'useInformation', 'uses', 'Record a use, inside a controlled area or outside (checked: C3 outside a controlled area)', UseInformationInput, 'USE'),
  stepCommand('SaveInformation', 'saveInformation', 'saves', 'Record where it is saved (checked: encryption of 要機密 on external media, ENCRYPTION_REQUIRED)', SaveInformationInput, 'SAVE'),
  stepCommand('PublishInformation', 'publishInformation', 'publications', 'Record a publication (checked: only C1)', PublishInformationInput, 'PUBLISH'),
  stepCommand('ProvideInformation', 'provideInformation', 'provisions', 'Provide it to another agency or outside (checked: NO_DISTRIBUTION, DISTRIBUTION_NEEDS_PERMISSION, AUDIENCE_LIMITED); classes and restrictions travel with it', ProvideInformationInput, 'PROVIDE'),
  stepCommand('CarryInformation', 'carryInformation', 'carry-outs', 'Record carrying it out (checked: NO_TAKE_OUT, a safe method for 要機密)', CarryInformationInput, 'CARRY'),
  stepCommand('SendInformation', 'sendInformation', 'sendings', 'Record sending it (checked: NO_SEND, NO_FORWARD (received information is always forwarded), encryption, AUDIENCE_LIMITED; outside the government also NO_DISTRIBUTION, DISTRIBUTION_NEEDS_PERMISSION)', SendInformationInput, 'SEND'),
  stepCommand('DeleteInformation', 'deleteInformation', 'deletion', 'Record its deletion (checked: NO_DELETE, RETAIN_UNTIL, irrecoverable erasure; paper or a destroyed medium needs mediaDisposal); a deleted asset takes no further steps', DeleteInformationInput, 'DELETE'),
  defineCommand({
    type: 'AcceptProvidedInformation', tag, summary: "Take the latest provision of information another agency provided into your agency's record: it inherits the classes and restrictions that travelled with it, which you may add to but not lower or lift (Art. 13 §3)",
    path: '/information/received/acceptance', mutation: 'acceptProvidedInformation', params: none, input: AcceptProvidedInformationInput, creates: true,
    run: async (s, p, _params, input, ctx) => {
      const [stream, agency] = await Promise.all([s.store.readStream(input.fromAgencyId, assetStreamId(input.assetId)), loadAgency(s.store, p.agencyId)])
      const provision = provisionTo(stream.events.map((e) => toDomainEvent<InformationEvent>(e)), input.fromAgencyId, input.assetId, p.agencyId)
      // Without a provision the decider refuses (ProvidedInformationNotFound) before the stream matters.
      const newAssetId = acceptedAssetId(p.agencyId, input.fromAgencyId, input.assetId, provision?.stepId ?? '')
      return assetCommand(s, p, ctx, newAssetId, { type: 'AcceptProvidedInformation', data: { ...input, newAssetId, provision, unitExists: agency.units.has(input.ownerUnitId) } }, input)
    },
  }),
]

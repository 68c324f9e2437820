// Information systems (Art. 17–21) as commands: the ledger entry, its documents and lifecycle, reviews,
// and the measures recorded per system. Every command acts on one system, which is also the target of
// the role check (a system's security officer acts for that system only). Facts from other streams (the
// owner unit, the security officer) are looked up here and handed to the pure decider.
import { z } from 'zod'
import { localId } from '../domain/shared/values.js'
import {
  ApproveSecurityRequirementsInput, ChangeSystemStageInput, ConfirmSystemDataErasureInput, RecordContinuityExerciseInput, RecordContinuityPlanInput,
  RecordInternetServiceMeasuresInput, RecordSystemDocumentInput, RecordSystemReviewInput, RegisterInformationSystemInput, SetCryptoPolicyInput,
  systemDecider, systemStreamId, UpdateInformationSystemLedgerInput, type LedgerFacts, type SystemCommand,
} from '../domain/system/index.js'
import { defineCommand, runCommand, type CommandOutcome, type Services } from './command-runner.js'
import type { Principal, RequestContext } from './context.js'
import { loadAgency, loadEmployeeFacts } from './lookups.js'

const tag = 'systems'
const none = z.object({})
const SystemParams = z.object({ systemId: localId.describe("the system's number in your agency's ledger") })

async function systemCommand(s: Services, p: Principal, ctx: RequestContext, systemId: string, command: Omit<SystemCommand, 'metadata'>, fingerprint: unknown): Promise<CommandOutcome> {
  const result = await runCommand(s, p, ctx, { decider: systemDecider, streamId: systemStreamId(systemId), command: command as never, fingerprint, target: { systemId } })
  return { ...result, id: systemId }
}

/** Whether the owner unit named exists and who the security officer named is (only what the command names). */
async function ledgerFacts(s: Services, agencyId: string, ownerUnitId: string | undefined, securityOfficerId: string | undefined): Promise<LedgerFacts> {
  const [agency, employees] = await Promise.all([
    ownerUnitId === undefined ? undefined : loadAgency(s.store, agencyId),
    securityOfficerId === undefined ? undefined : loadEmployeeFacts(s.store, agencyId, [securityOfficerId]),
  ])
  return {
    ownerUnitExists: ownerUnitId === undefined ? undefined : agency?.units.has(ownerUnitId) === true,
    securityOfficer: securityOfficerId === undefined ? undefined : employees?.[securityOfficerId],
  }
}

type OnSystem = Exclude<SystemCommand['type'], 'RegisterInformationSystem' | 'UpdateInformationSystemLedger'>
const onSystem = (type: OnSystem) => (s: Services, p: Principal, { systemId }: { systemId: string }, input: object, ctx: RequestContext) =>
  systemCommand(s, p, ctx, systemId, { type, data: { ...input, systemId } } as Omit<SystemCommand, 'metadata'>, { systemId, input })

export const systemCommands = [
  defineCommand({
    type: 'RegisterInformationSystem', tag, path: '/systems', mutation: 'registerInformationSystem', params: none, input: RegisterInformationSystemInput, creates: true,
    summary: 'Register an information system in the ledger (Art. 17): purpose, owner unit, security officer, classes of information handled, hosting (cloud: ISMAP), contractors, internet-facing, criticality, documents; in PLANNING, or in OPERATION for a system already running whose entry is complete',
    run: async (s, p, _params, input, ctx) => {
      const facts = await ledgerFacts(s, p.agencyId, input.ownerUnitId, input.securityOfficerId)
      return systemCommand(s, p, ctx, input.systemId, { type: 'RegisterInformationSystem', data: { ...input, ...facts } }, input)
    },
  }),
  defineCommand({
    type: 'UpdateInformationSystemLedger', tag, path: '/systems/:systemId/ledger', mutation: 'updateInformationSystemLedger', params: SystemParams, input: UpdateInformationSystemLedgerInput,
    summary: "Replace fields of a system's ledger entry (the event names the fields changed, with their previous values)",
    run: async (s, p, { systemId }, input, ctx) => {
      const facts = await ledgerFacts(s, p.agencyId, input.ownerUnitId, input.securityOfficerId)
      return systemCommand(s, p, ctx, systemId, { type: 'UpdateInformationSystemLedger', data: { ...input, ...facts, systemId } }, { systemId, input })
    },
  }),
  defineCommand({
    type: 'RecordSystemDocument', tag, path: '/systems/:systemId/documents', mutation: 'recordSystemDocument', params: SystemParams, input: RecordSystemDocumentInput, creates: true,
    summary: 'Record a document of the system (design, operation manual, security requirements, other) or a new version of one; every version is kept',
    run: onSystem('RecordSystemDocument'),
  }),
  defineCommand({
    type: 'ChangeSystemStage', tag, path: '/systems/:systemId/stage', mutation: 'changeSystemStage', params: SystemParams, input: ChangeSystemStageInput,
    summary: 'Move the system to its next lifecycle stage (Art. 18); procurement needs approved security requirements, operation a complete ledger entry, retirement confirmed data erasure',
    run: onSystem('ChangeSystemStage'),
  }),
  defineCommand({
    type: 'ApproveSecurityRequirements', tag, path: '/systems/:systemId/security-requirements/approval', mutation: 'approveSecurityRequirements', params: SystemParams, input: ApproveSecurityRequirementsInput,
    summary: 'Approve a version of the security requirements (CISO or general security officer; never whoever recorded that version)',
    run: onSystem('ApproveSecurityRequirements'),
  }),
  defineCommand({
    type: 'ConfirmSystemDataErasure', tag, path: '/systems/:systemId/data-erasure', mutation: 'confirmSystemDataErasure', params: SystemParams, input: ConfirmSystemDataErasureInput,
    summary: "Confirm that the system's data was erased (during disposal): method, date, evidence",
    run: onSystem('ConfirmSystemDataErasure'),
  }),
  defineCommand({
    type: 'RecordSystemReview', tag, path: '/systems/:systemId/reviews', mutation: 'recordSystemReview', params: SystemParams, input: RecordSystemReviewInput,
    summary: 'Record a review of the system at any stage, with its findings and the next review date (absent: none scheduled)',
    run: onSystem('RecordSystemReview'),
  }),
  defineCommand({
    type: 'SetCryptoPolicy', tag, path: '/systems/:systemId/crypto-policy', mutation: 'setCryptoPolicy', params: SystemParams, input: SetCryptoPolicyInput,
    summary: 'Set the algorithms the system uses (Art. 20), the full list; each is checked against the CRYPTREC list when read',
    run: onSystem('SetCryptoPolicy'),
  }),
  defineCommand({
    type: 'RecordContinuityPlan', tag, path: '/systems/:systemId/continuity-plan', mutation: 'recordContinuityPlan', params: SystemParams, input: RecordContinuityPlanInput,
    summary: 'Record a version of the operational continuity plan of the system (Art. 19)',
    run: onSystem('RecordContinuityPlan'),
  }),
  defineCommand({
    type: 'RecordContinuityExercise', tag, path: '/systems/:systemId/continuity-exercises', mutation: 'recordContinuityExercise', params: SystemParams, input: RecordContinuityExerciseInput, creates: true,
    summary: 'Record a continuity exercise and whether the security measures held up; findings (or measures that did not hold) make the promotion plan due for review',
    run: onSystem('RecordContinuityExercise'),
  }),
  defineCommand({
    type: 'RecordInternetServiceMeasures', tag, path: '/systems/:systemId/internet-services', mutation: 'recordInternetServiceMeasures', params: SystemParams, input: RecordInternetServiceMeasuresInput,
    summary: 'Record the measures of an internet service of an internet-facing system (Art. 21): TLS, domain authenticity, no insecure content; shortfalls are shown when read',
    run: onSystem('RecordInternetServiceMeasures'),
  }),
]

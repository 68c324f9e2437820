// Running a checked lifecycle step (Art. 14): find the rules the step would break (pure domain
// function), ask for an approved exception covering each (Art. 7), decide and append. A refused step is
// recorded (InformationStepBlocked) and THEN answered as LifecycleRefusedError (409, code = the first
// rule), so refusals are in the log and in the blocked-steps read model.
import { informationDecider, assetStreamId, requireActive, violations, type AssetRecord, type AssetState, type InformationCommand, type InformationEvent, type StepCommandType, type StepDetails, type StepFacts } from '../domain/information/index.js'
import { DomainError } from '../domain/shared/errors.js'
import { tokyoDate } from '../domain/shared/fiscal-year.js'
import { lifecycleRules, type LifecycleRuleCode } from '../domain/shared/lifecycle.js'
import { toDomainEvent } from '../eventstore/handle-command.js'
import type { EventStore, StoredEvent } from '../eventstore/types.js'
import { runCommand, type Services } from './command-runner.js'
import type { Principal, RequestContext } from './context.js'
import { coveringException } from './exception-coverage.js'

/** A step refused by lifecycle rules no exception covers. The refusal is already recorded at `position`. */
export class LifecycleRefusedError extends DomainError {
  override name = 'LifecycleRefusedError'
  constructor(readonly rules: readonly LifecycleRuleCode[], readonly position: number, where: { assetId: string; step: string; stepId: string }) {
    super(
      rules[0] ?? 'LifecycleRefused',
      `${where.step} of asset ${where.assetId} is refused: ${rules.map((r) => `${r} (${lifecycleRules[r].text})`).join('; ')}. The refusal is recorded; an approved exception naming the rule permits the step`,
      { rules: [...rules], position, ...where },
    )
  }
}

export async function loadAsset(store: EventStore, agencyId: string, assetId: string): Promise<AssetState> {
  const stream = await store.readStream(agencyId, assetStreamId(assetId))
  return stream.events.map((e) => toDomainEvent<InformationEvent>(e)).reduce(informationDecider.evolve, informationDecider.initialState())
}

/** For each rule the step breaks, the approved exception covering it for this asset (or its sources, or its unit) at `at`. */
async function coverage(s: Services, agencyId: string, actorId: string, asset: AssetRecord, details: StepDetails, at: string): Promise<StepFacts['covered']> {
  const rules = violations(asset, details, { today: tokyoDate(at) })
  const found = await Promise.all(rules.map(async (rule) => [rule, await coveringException(s, {
    agencyId, actorId, assetIds: [asset.assetId, ...asset.lineage], unitId: asset.ownerUnitId, step: details.step, rule, at,
  })] as const))
  return Object.fromEntries(found.filter(([, id]) => id !== undefined))
}

export interface StepRequest {
  type: StepCommandType
  assetId: string
  stepId: string
  /** The step's details, which may depend on the asset (a copy's defaults). */
  details: (asset: AssetRecord) => StepDetails
  /** References in other streams (an area, an agency, a unit). */
  references?: (details: StepDetails) => Promise<Omit<StepFacts, 'covered'>>
  fingerprint: unknown
}

/** The event the command wrote (or, for a replay, the one its first run wrote). */
async function writtenEvent(store: EventStore, agencyId: string, position: number): Promise<StoredEvent | undefined> {
  return (await store.readAgency(agencyId, position - 1, 1))[0]
}

/** Records a checked step; resolves with the recorded event, or throws LifecycleRefusedError after recording the refusal. */
export async function runStep(s: Services, p: Principal, ctx: RequestContext, req: StepRequest) {
  // One instant for the exception check and the event: an exception ending this second covers exactly what it says.
  const instant = s.clock.now()
  const services = { ...s, clock: { now: () => instant } }
  const asset = requireActive(await loadAsset(s.store, p.agencyId, req.assetId), req.assetId)
  const details = req.details(asset)
  const [references, covered] = await Promise.all([req.references?.(details) ?? {}, coverage(s, p.agencyId, p.actorId, asset, details, instant.toISOString())])
  const command = { type: req.type, data: { assetId: req.assetId, stepId: req.stepId, details, facts: { ...references, covered } } } satisfies Omit<InformationCommand, 'metadata'>
  const result = await runCommand(services, p, ctx, { decider: informationDecider, streamId: assetStreamId(req.assetId), command: command as never, fingerprint: req.fingerprint })
  const written = await writtenEvent(s.store, p.agencyId, result.position)
  if (written?.type === 'InformationStepBlocked') {
    const blocked = toDomainEvent<Extract<InformationEvent, { type: 'InformationStepBlocked' }>>(written)
    throw new LifecycleRefusedError(blocked.data.rules, written.position, { assetId: blocked.data.assetId, step: blocked.data.step, stepId: blocked.data.stepId })
  }
  return { result, event: written }
}

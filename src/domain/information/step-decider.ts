// Deciding a lifecycle step (Art. 14): references first (422 before anything is recorded), then the
// rules. Every broken rule needs the exception the application found for it; if one is missing the
// step is REFUSED, and the refusal is itself the outcome (InformationStepBlocked), not an error: the
// application records it and then answers 409 with the rule code.
import { DomainError } from '../shared/errors.js'
import { tokyoDate } from '../shared/fiscal-year.js'
import { classesForMedium, classesProblem, storedClasses } from './classification.js'
import type { RecordStep, StepFacts } from './commands.js'
import type { ExceptionLink, InformationEvent, Marking } from './events.js'
import { violations } from './rules.js'
import { requireActive, type AssetRecord, type AssetState } from './state.js'
import type { CopyDetails, StepDetails } from './steps.js'

function checkReferences(details: StepDetails, facts: StepFacts, agencyId: string): void {
  if (details.step === 'USE' && details.areaId !== undefined && facts.areaDefined !== true) {
    throw new DomainError('UnknownArea', `area ${details.areaId} is not a controlled area of your agency; define it first, or leave out areaId for use outside any controlled area`, { areaId: details.areaId })
  }
  if (details.step === 'PROVIDE' && details.toAgencyId !== undefined) {
    if (details.toAgencyId === agencyId) throw new DomainError('OwnAgencyRecipient', 'information is provided to another agency; within your agency record a USE or a SEND instead')
    if (facts.recipientRegistered !== true) throw new DomainError('UnknownAgency', `agency ${details.toAgencyId} is not registered; leave out toAgencyId to provide it outside the government bodies`, { agencyId: details.toAgencyId })
  }
  if (details.step === 'COPY' && facts.unitExists !== true) {
    throw new DomainError('UnknownUnit', `unit ${details.ownerUnitId} does not exist in your agency`, { unitId: details.ownerUnitId })
  }
}

/** Methods that dispose of the medium itself (paper is always disposed of with its information). */
const disposingMethods: readonly string[] = ['PHYSICAL_DESTRUCTION', 'SHREDDING', 'DISSOLUTION']

/** A deletion that disposes of a medium records how (domain.md §5: media disposal recorded); it is input, not a rule an exception lifts. */
function checkDisposal(asset: AssetRecord, details: StepDetails): void {
  if (details.step !== 'DELETE' || details.mediaDisposal !== undefined) return
  if (asset.medium === 'PAPER' || disposingMethods.includes(details.method)) {
    throw new DomainError('MediaDisposalMissing', `deleting ${asset.medium === 'PAPER' ? 'paper' : `by ${details.method}`} disposes of the medium: say how it was disposed of (mediaDisposal, with any certificate)`, { method: details.method, medium: asset.medium })
  }
}

/** The copy inherits the source's classes; only an electronic copy of paper adds integrity and availability. */
function copyMarking(asset: AssetRecord, details: CopyDetails): Marking {
  const addsClasses = details.integrity !== undefined || details.availability !== undefined
  if (addsClasses && !(asset.medium === 'PAPER' && details.medium === 'ELECTRONIC')) {
    throw new DomainError('ClassInherited', 'a copy inherits the classes of its source; give integrity and availability only for an electronic copy of paper (reclassify through the decider otherwise)')
  }
  const classes = classesForMedium(asset.classes, details.medium, details)
  const problem = classesProblem(details.medium, classes)
  if (problem) throw new DomainError(problem.code, `${problem.message} (the source is ${asset.medium.toLowerCase()})`)
  return {
    title: details.title, medium: details.medium, classes: storedClasses(classes), restrictions: asset.restrictions, decider: asset.decider, lineage: [asset.assetId, ...asset.lineage],
    ...(asset.received ? { received: asset.received } : {}),
  }
}

/** What travels with the information (Art. 12 §2, 13 §3), or what a copy inherits. */
function markingFor(asset: AssetRecord, details: StepDetails): Marking | undefined {
  switch (details.step) {
    case 'COPY': return copyMarking(asset, details)
    case 'PROVIDE': case 'CARRY': case 'SEND':
      return { title: asset.title, medium: asset.medium, classes: asset.classes, restrictions: asset.restrictions, decider: asset.decider, lineage: asset.lineage }
    case 'USE': case 'SAVE': case 'PUBLISH': case 'DELETE': return undefined
  }
}

export function recordStep(command: RecordStep, state: AssetState): InformationEvent[] {
  const { assetId, stepId, details, facts } = command.data
  const { actor, now, agencyId } = command.metadata
  const asset = requireActive(state, assetId)
  checkReferences(details, facts, agencyId)
  checkDisposal(asset, details)
  const marking = markingFor(asset, details)
  const rules = violations(asset, details, { today: tokyoDate(now) })
  const exceptions: ExceptionLink[] = rules.flatMap((rule) => {
    const exceptionId = facts.covered[rule]
    return exceptionId === undefined ? [] : [{ rule, exceptionId }]
  })
  const uncovered = rules.filter((rule) => facts.covered[rule] === undefined)
  const base = { assetId, stepId, step: details.step, details, ownerUnitId: asset.ownerUnitId, exceptions, by: actor.id, at: now }
  if (uncovered.length > 0) return [{ type: 'InformationStepBlocked', data: { ...base, rules: uncovered } }]
  return [{ type: 'InformationStepRecorded', data: { ...base, exceptionIds: [...new Set(exceptions.map((e) => e.exceptionId))], marking } }]
}

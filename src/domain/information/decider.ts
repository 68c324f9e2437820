// Information assets (Art. 12–14), one stream per asset: classified at creation or obtainment, classes
// and restrictions changed only by their decider (or the decider's successor), lifecycle steps checked
// (step-decider.ts), copies and assets received from another agency inheriting classes and restrictions.
import type { Actor, Decider } from '../shared/decider.js'
import { DomainError } from '../shared/errors.js'
import { tokyoDate } from '../shared/fiscal-year.js'
import type { Role } from '../shared/roles.js'
import { classesProblem, storedClasses, type Classes, type ClassesInput, type Medium } from './classification.js'
import type {
  AcceptProvidedInformation, ClassifyInformation, CreateCopy, HandOverClassification, InformationCommand, ReclassifyInformation, SetHandlingRestrictions,
} from './commands.js'
import type { InformationEvent } from './events.js'
import { storedRestrictions } from './restrictions.js'
import { evolve, requireActive, type AssetRecord, type AssetState } from './state.js'
import { recordStep } from './step-decider.js'
import { requireClassesKept, requireRestrictionsKept } from './travelled.js'

function checkClasses(medium: Medium, classes: ClassesInput): Classes {
  const problem = classesProblem(medium, classes)
  if (problem) throw new DomainError(problem.code, problem.message, { medium })
  return storedClasses(classes)
}

function requireNew(state: AssetState, assetId: string, code = 'AssetAlreadyExists'): void {
  if (state.asset) throw new DomainError(code, `information asset ${assetId} already exists in your agency`, { assetId })
}

function classify(command: ClassifyInformation, state: AssetState): InformationEvent[] {
  const { assetId, title, ownerUnitId, medium, confidentiality, integrity, availability, subLevel, restrictions, how, source, unitExists } = command.data
  requireNew(state, assetId)
  if (!unitExists) throw new DomainError('UnknownUnit', `unit ${ownerUnitId} does not exist in your agency`, { unitId: ownerUnitId })
  const classes = checkClasses(medium, { confidentiality, integrity, availability, subLevel })
  const { actor, now } = command.metadata
  return [{
    type: 'InformationClassified',
    data: {
      assetId, title, ownerUnitId, medium, classes, restrictions: storedRestrictions(restrictions),
      origin: how === 'CREATE' ? { how } : { how, source: source ?? '' }, decider: actor.id, lineage: [], by: actor.id, at: now,
    },
  }]
}

/** Reclassification and restrictions go back to the decider (domain.md §3), whatever roles the actor holds. */
function requireDecider(asset: AssetRecord, actor: Actor, what: string): void {
  if (actor.id !== asset.decider) {
    throw new DomainError('NotClassificationDecider', `only ${asset.decider}, who decides the classification of asset ${asset.assetId}, ${what}; ask them (or have the classification handed over)`, { decider: asset.decider })
  }
}

const sameClasses = (a: Classes, b: Classes) => JSON.stringify(storedClasses(a)) === JSON.stringify(storedClasses(b))

function reclassify(command: ReclassifyInformation, state: AssetState): InformationEvent[] {
  const { assetId, reason, ...given } = command.data
  const asset = requireActive(state, assetId)
  requireDecider(asset, command.metadata.actor, 'may reclassify it')
  const classes = checkClasses(asset.medium, given)
  requireClassesKept(asset.received, classes)
  if (sameClasses(classes, asset.classes)) return []
  return [{ type: 'InformationReclassified', data: { assetId, classes, previous: asset.classes, reason, by: command.metadata.actor.id, at: command.metadata.now } }]
}

function setRestrictions(command: SetHandlingRestrictions, state: AssetState): InformationEvent[] {
  const { assetId, restrictions, reason } = command.data
  const asset = requireActive(state, assetId)
  requireDecider(asset, command.metadata.actor, 'may change its handling restrictions')
  const next = storedRestrictions(restrictions)
  requireRestrictionsKept(asset.received, next)
  if (JSON.stringify(next) === JSON.stringify(asset.restrictions)) return []
  return [{ type: 'HandlingRestrictionsSet', data: { assetId, restrictions: next, previous: asset.restrictions, reason, by: command.metadata.actor.id, at: command.metadata.now } }]
}

const agencyOfficers: readonly Role[] = ['CISO', 'GENERAL_SECURITY_OFFICER']
const unitOfficers: readonly Role[] = ['SECURITY_OFFICER', 'DIVISION_SECURITY_OFFICER']

/** The CISO, the general security officer, or a security officer of the asset's owner unit. */
function isOfficerFor(actor: Actor, unitId: string): boolean {
  if (actor.assignments === undefined) return actor.roles.some((r) => agencyOfficers.includes(r))
  return actor.assignments.some((a) => agencyOfficers.includes(a.role) || (unitOfficers.includes(a.role) && a.scope.kind === 'UNIT' && a.scope.unitId === unitId))
}

/**
 * The decider hands over at any time; when the decider has left the agency (or is not an employee here),
 * an officer responsible for the owner unit names the successor, so the decision never becomes orphaned.
 */
function handOver(command: HandOverClassification, state: AssetState): InformationEvent[] {
  const { assetId, successorId, reason, employees } = command.data
  const { actor, now } = command.metadata
  const asset = requireActive(state, assetId)
  const today = tokyoDate(now)
  const successor = employees[successorId]
  if (!successor) throw new DomainError('UnknownEmployee', `employee ${successorId} is not registered in your agency`, { employeeId: successorId })
  if (successor.departedOn !== undefined && successor.departedOn < today) throw new DomainError('EmployeeDeparted', `employee ${successorId} left on ${successor.departedOn}`, { employeeId: successorId })
  if (successorId === asset.decider) throw new DomainError('AlreadyDecider', `${successorId} already decides the classification of asset ${assetId}`, { decider: asset.decider })
  const byOfficer = actor.id !== asset.decider
  if (byOfficer) {
    if (!isOfficerFor(actor, asset.ownerUnitId)) requireDecider(asset, actor, 'may hand it over (or, once they have left, a security officer of its unit)')
    const decider = employees[asset.decider]
    const left = decider === undefined || (decider.departedOn !== undefined && decider.departedOn < today)
    if (!left) throw new DomainError('DeciderStillEmployed', `${asset.decider} still works here and hands the classification over themselves`, { decider: asset.decider })
  }
  return [{ type: 'ClassificationHandedOver', data: { assetId, from: asset.decider, to: successorId, reason, byOfficer, by: actor.id, at: now } }]
}

function createCopy(command: CreateCopy, state: AssetState): InformationEvent[] {
  const { assetId, sourceAssetId, ownerUnitId, marking } = command.data
  requireNew(state, assetId)
  const { title, medium, classes, restrictions, decider, lineage, received } = marking
  return [{
    type: 'InformationClassified',
    data: {
      assetId, title, ownerUnitId, medium, classes, restrictions, origin: { how: 'COPY', sourceAssetId }, decider, lineage,
      ...(received ? { received } : {}), by: command.metadata.actor.id, at: command.metadata.now,
    },
  }]
}

/**
 * Taking provided information into the receiver's record: it inherits what travelled (a floor from now on,
 * see travelled.ts); the receiver's obtainer decides from now on.
 */
function accept(command: AcceptProvidedInformation, state: AssetState): InformationEvent[] {
  const { newAssetId, fromAgencyId, assetId, ownerUnitId, provision, unitExists } = command.data
  const { actor, now } = command.metadata
  if (!provision) throw new DomainError('ProvidedInformationNotFound', `agency ${fromAgencyId} has not provided an asset ${assetId} to your agency`, { fromAgencyId, assetId })
  requireNew(state, newAssetId, 'AlreadyAccepted')
  if (!unitExists) throw new DomainError('UnknownUnit', `unit ${ownerUnitId} does not exist in your agency`, { unitId: ownerUnitId })
  const { title, medium, classes, restrictions, stepId, providedBy, providedAt } = provision
  return [{
    type: 'InformationClassified',
    data: {
      assetId: newAssetId, title, ownerUnitId, medium, classes, restrictions,
      origin: { how: 'RECEIVE', fromAgencyId, fromAssetId: assetId, provisionStepId: stepId, providedBy, providedAt },
      decider: actor.id, lineage: [], by: actor.id, at: now,
    },
  }]
}

export const informationDecider: Decider<InformationCommand, InformationEvent, AssetState> = {
  streamType: 'asset',
  initialState: () => ({}),
  evolve,
  decide: (command, state) => {
    switch (command.type) {
      case 'ClassifyInformation': return classify(command, state)
      case 'ReclassifyInformation': return reclassify(command, state)
      case 'HandOverClassification': return handOver(command, state)
      case 'SetHandlingRestrictions': return setRestrictions(command, state)
      case 'AcceptProvidedInformation': return accept(command, state)
      case 'CreateCopy': return createCopy(command, state)
      case 'CopyInformation': case 'UseInformation': case 'SaveInformation': case 'PublishInformation':
      case 'ProvideInformation': case 'CarryInformation': case 'SendInformation': case 'DeleteInformation':
        return recordStep(command, state)
    }
  },
}

export const assetStreamId = (assetId: string) => `asset-${assetId}`

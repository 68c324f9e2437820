// The policy documents of one agency (Art. 4), one stream per agency: versions are unique and adopted
// in date order, standards cover the baseline of their Common Standards edition, and a subordinate
// body's basic policy follows an adopted policy of its parent national organ (Art. 4 §4–5).
import { baselineItems, isKnownStandardsItem } from '../shared/common-standards.js'
import type { Decider } from '../shared/decider.js'
import { DomainError } from '../shared/errors.js'
import { tokyoDate } from '../shared/fiscal-year.js'
import type { AdoptBasicPolicy, AdoptStandards, PolicyAgencyFacts, PolicyCommand, ReviewPolicy } from './commands.js'
import type { PolicyEvent } from './events.js'

interface Adopted { version: string; adoptedOn: string; parentPolicyVersion?: string | undefined }
export interface PolicyState {
  basicPolicyVersions: ReadonlySet<string>
  standardsVersions: ReadonlySet<string>
  /** The basic policy in force: the last one adopted. */
  basicPolicy?: Adopted | undefined
  standards?: Adopted | undefined
}

function evolve(state: PolicyState, event: PolicyEvent): PolicyState {
  switch (event.type) {
    case 'BasicPolicyAdopted': {
      const { version, adoptedOn, parentPolicyVersion } = event.data
      return { ...state, basicPolicyVersions: new Set([...state.basicPolicyVersions, version]), basicPolicy: { version, adoptedOn, parentPolicyVersion } }
    }
    case 'StandardsAdopted': {
      const { version, adoptedOn } = event.data
      return { ...state, standardsVersions: new Set([...state.standardsVersions, version]), standards: { version, adoptedOn } }
    }
    case 'PolicyReviewed': return state
  }
}

const kindLabel = (kind: string) => kind.toLowerCase().replaceAll('_', ' ')

/** Adoption dates: not in the future, and not before the document (or basic policy) in force. */
function checkAdoptionDate(adoptedOn: string, now: string, notBefore: Adopted | undefined, what: string): void {
  const today = tokyoDate(now)
  if (adoptedOn > today) throw new DomainError('AdoptionDateInFuture', `adoptedOn ${adoptedOn} is after today (${today}); record an adoption once it has happened`, { adoptedOn, today })
  if (notBefore && adoptedOn < notBefore.adoptedOn) {
    throw new DomainError('AdoptionOutOfOrder', `adoptedOn ${adoptedOn} is before ${what} ${notBefore.version} (adopted ${notBefore.adoptedOn}); versions are adopted in date order`, { adoptedOn, inForce: notBefore })
  }
}

/** Art. 4 §4–5: a subordinate body names the parent's adopted policy it follows; a national organ names none. */
function checkParentReference(agency: PolicyAgencyFacts, parentPolicyVersion: string | undefined): void {
  if (agency.kind === 'NATIONAL_ADMINISTRATIVE_ORGAN') {
    if (parentPolicyVersion !== undefined) throw new DomainError('ParentPolicyNotAllowed', 'a national administrative organ follows no parent policy; leave out parentPolicyVersion')
    return
  }
  if (parentPolicyVersion === undefined) {
    throw new DomainError('ParentPolicyRequired', `a ${kindLabel(agency.kind)} follows the basic policy of its national organ ${agency.parentId ?? ''}; give parentPolicyVersion`, { parentId: agency.parentId ?? null })
  }
  if (!agency.parentPolicyVersions.includes(parentPolicyVersion)) {
    throw new DomainError('UnknownParentPolicy', `the national organ ${agency.parentId ?? ''} has not adopted a basic policy version ${parentPolicyVersion}${agency.parentPolicyVersions.length ? `; adopted versions: ${agency.parentPolicyVersions.join(', ')}` : '; it has adopted none yet'}`, {
      parentId: agency.parentId ?? null, parentPolicyVersion, adoptedVersions: [...agency.parentPolicyVersions],
    })
  }
}

function adoptBasicPolicy(command: AdoptBasicPolicy, state: PolicyState): PolicyEvent[] {
  const { version, title, summary, adoptedOn, parentPolicyVersion, agency } = command.data
  if (state.basicPolicyVersions.has(version)) throw new DomainError('VersionAlreadyAdopted', `basic policy version ${version} is already adopted; give the new version another name`, { document: 'BASIC_POLICY', version })
  checkAdoptionDate(adoptedOn, command.metadata.now, state.basicPolicy, 'the basic policy')
  checkParentReference(agency, parentPolicyVersion)
  return [{
    type: 'BasicPolicyAdopted',
    data: { version, title, summary, adoptedOn, parentId: parentPolicyVersion === undefined ? undefined : agency.parentId, parentPolicyVersion, by: command.metadata.actor.id, at: command.metadata.now },
  }]
}

/** The mapping's codes that name no item of the edition, with the own item that names each. */
function unknownCodes(command: AdoptStandards): { itemId: string; code: string }[] {
  const { edition, items } = command.data
  return items.flatMap((item) => item.covers.filter((code) => !isKnownStandardsItem(edition, code)).map((code) => ({ itemId: item.itemId, code })))
}

function adoptStandards(command: AdoptStandards, state: PolicyState): PolicyEvent[] {
  const { version, edition, adoptedOn, items } = command.data
  const policy = state.basicPolicy
  if (!policy) throw new DomainError('BasicPolicyRequired', 'adopt the basic policy first: the standards implement it (Art. 4)')
  if (state.standardsVersions.has(version)) throw new DomainError('VersionAlreadyAdopted', `standards version ${version} is already adopted; give the new version another name`, { document: 'STANDARDS', version })
  checkAdoptionDate(adoptedOn, command.metadata.now, state.standards, 'the standards')
  checkAdoptionDate(adoptedOn, command.metadata.now, policy, 'the basic policy')
  const unknown = unknownCodes(command)
  if (unknown.length > 0) {
    throw new DomainError('UnknownStandardsItem', `${unknown.map((u) => `${u.code} (in item ${u.itemId})`).join(', ')} ${unknown.length === 1 ? 'is not an item' : 'are not items'} of the Common Standards ${edition}; see GET /api/common-standards/${edition}`, { edition, unknown })
  }
  const covered = new Set(items.flatMap((i) => i.covers))
  const missing = baselineItems(edition).filter((code) => !covered.has(code))
  if (missing.length > 0) {
    throw new DomainError('BaselineNotCovered', `the standards must cover every baseline item of the Common Standards ${edition}; not covered: ${missing.join(', ')}`, { edition, missing })
  }
  return [{
    type: 'StandardsAdopted',
    data: {
      version, edition, adoptedOn, items: items.map((i) => ({ itemId: i.itemId, title: i.title, covers: [...new Set(i.covers)] })),
      basicPolicyVersion: policy.version, parentPolicyVersion: policy.parentPolicyVersion, by: command.metadata.actor.id, at: command.metadata.now,
    },
  }]
}

function reviewPolicy(command: ReviewPolicy, state: PolicyState): PolicyEvent[] {
  const { reviewId, outcome, notes } = command.data
  if (!state.basicPolicy) throw new DomainError('BasicPolicyRequired', 'there is no basic policy to review yet; adopt one first')
  return [{
    type: 'PolicyReviewed',
    data: { reviewId, outcome, notes, basicPolicyVersion: state.basicPolicy.version, standardsVersion: state.standards?.version, by: command.metadata.actor.id, at: command.metadata.now },
  }]
}

export const policyDecider: Decider<PolicyCommand, PolicyEvent, PolicyState> = {
  streamType: 'policy',
  initialState: () => ({ basicPolicyVersions: new Set(), standardsVersions: new Set() }),
  evolve,
  decide: (command, state) => {
    switch (command.type) {
      case 'AdoptBasicPolicy': return adoptBasicPolicy(command, state)
      case 'AdoptStandards': return adoptStandards(command, state)
      case 'ReviewPolicy': return reviewPolicy(command, state)
    }
  },
}

/** One policy stream per agency (in that agency's log), so a child reads its parent's as (parentId, 'policy'). */
export const policyStreamId = 'policy'

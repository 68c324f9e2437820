// Two streams: `usage-rules` (one per agency: the published versions, in effective-date order) and
// `usage-rules-ack-<employeeId>` (the versions one employee acknowledged). The version in force on a day
// is the latest published whose effectiveFrom is on or before it (Japan date); a version published to
// take effect later is upcoming until then. An employee acknowledges the version in force or an upcoming
// one (ahead of its effective date); acknowledging it again records nothing.
import type { Decider } from '../shared/decider.js'
import { DomainError } from '../shared/errors.js'
import { tokyoDate } from '../shared/fiscal-year.js'
import type { AcknowledgeUsageRules, PublishedUsageRules, PublishUsageRules } from './commands.js'
import type { UsageRulesAckEvent, UsageRulesEvent } from './events.js'

export interface UsageRulesState {
  /** Every published version, in the order published. */
  published: readonly PublishedUsageRules[]
}

/** The latest published version (whether or not in force yet): a new one supersedes it. */
export const latestPublished = (state: UsageRulesState): PublishedUsageRules | undefined => state.published.at(-1)

/**
 * On `today` (a Japan date): the version in force (the latest published with effectiveFrom on or before
 * today; undefined while none is) and the upcoming ones (published, effectiveFrom after today).
 */
export function usageRulesOn(published: readonly PublishedUsageRules[], today: string): { inForce?: PublishedUsageRules | undefined; upcoming: PublishedUsageRules[] } {
  return {
    inForce: published.filter((v) => v.effectiveFrom <= today).at(-1),
    upcoming: published.filter((v) => v.effectiveFrom > today),
  }
}

export const usageRulesDecider: Decider<PublishUsageRules, UsageRulesEvent, UsageRulesState> = {
  streamType: 'usage-rules',
  initialState: () => ({ published: [] }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'UsageRulesPublished': {
        const { version, effectiveFrom } = event.data
        return { published: [...state.published, { version, effectiveFrom }] }
      }
    }
  },
  decide: (command, state) => {
    const { version, title, summary, documentRef, effectiveFrom } = command.data
    if (state.published.some((v) => v.version === version)) throw new DomainError('UsageRulesVersionExists', `usage rules version ${version} is already published; give the new version another name`, { version })
    const latest = latestPublished(state)
    if (latest && effectiveFrom < latest.effectiveFrom) {
      throw new DomainError('UsageRulesOutOfOrder', `version ${version} would take effect (${effectiveFrom}) before the latest published version ${latest.version} (${latest.effectiveFrom}); a new version takes effect on or after the one it supersedes`, {
        effectiveFrom, current: latest,
      })
    }
    return [{
      type: 'UsageRulesPublished',
      data: { version, title, summary, documentRef, effectiveFrom, supersedes: latest?.version, publishedBy: command.metadata.actor.id, at: command.metadata.now },
    }]
  },
}

export interface UsageRulesAckState { acknowledged: ReadonlySet<string> }

export const usageRulesAckDecider: Decider<AcknowledgeUsageRules, UsageRulesAckEvent, UsageRulesAckState> = {
  streamType: 'usage-rules-ack',
  initialState: () => ({ acknowledged: new Set() }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'UsageRulesAcknowledged': return { acknowledged: new Set([...state.acknowledged, event.data.version]) }
    }
  },
  decide: (command, state) => {
    const { version, employee, published } = command.data
    const { actor, now } = command.metadata
    if (!employee.exists || employee.unitId === undefined) {
      throw new DomainError('UnknownEmployee', `you (${actor.id}) are not registered as an employee of this agency; employees acknowledge the usage rules for themselves`, { employeeId: actor.id })
    }
    const today = tokyoDate(now)
    if (employee.departedOn !== undefined && employee.departedOn < today) throw new DomainError('EmployeeDeparted', `employee ${actor.id} left on ${employee.departedOn}`, { employeeId: actor.id })
    const { inForce, upcoming } = usageRulesOn(published, today)
    if (version !== inForce?.version && !upcoming.some((v) => v.version === version)) {
      const acceptable = [
        ...(inForce ? [`version ${inForce.version} (in force since ${inForce.effectiveFrom})`] : []),
        ...upcoming.map((v) => `version ${v.version} (in force from ${v.effectiveFrom})`),
      ]
      const what = published.some((v) => v.version === version)
        ? `version ${version} of the usage rules is superseded`
        : `version ${version} of the usage rules is not published`
      throw new DomainError('NotCurrentUsageRules', acceptable.length === 0
        ? 'no usage rules are published in this agency yet; acknowledge them once they are'
        : `${what}; acknowledge ${acceptable.join(' or ')}`, {
        version, currentVersion: inForce?.version ?? null, upcomingVersions: upcoming.map((v) => v.version),
      })
    }
    if (state.acknowledged.has(version)) return []
    return [{ type: 'UsageRulesAcknowledged', data: { employeeId: actor.id, unitId: employee.unitId, version, at: now } }]
  },
}

export const usageRulesStreamId = 'usage-rules'
export const usageRulesAckStreamId = (employeeId: string) => `usage-rules-ack-${employeeId}`

// Policy documents (Art. 4) and risk assessments (Art. 3) as commands. The agency's kind and its parent
// organ's adopted basic policies are read from the log here and handed to the pure decider.
import { z } from 'zod'
import {
  AdoptBasicPolicyInput, AdoptStandardsInput, policyDecider, policyStreamId, ReviewPolicyInput,
  type PolicyAgencyFacts, type PolicyCommand, type PolicyEvent,
} from '../domain/policy/index.js'
import { AssessRiskInput, ReassessRiskInput, RetireRiskInput, riskDecider, riskStreamId, type RiskCommand } from '../domain/risk/index.js'
import { DomainError } from '../domain/shared/errors.js'
import { toDomainEvent } from '../eventstore/handle-command.js'
import type { EventStore } from '../eventstore/types.js'
import { defineCommand, newRecordId, runCommand, type CommandOutcome, type Services } from './command-runner.js'
import type { Principal, RequestContext } from './context.js'
import { loadAgency } from './lookups.js'

const none = z.object({})
const RiskParams = z.object({ riskId: z.uuid().describe('risk id') })

/** The basic policy versions an agency has adopted, from its policy stream. */
export async function adoptedBasicPolicyVersions(store: EventStore, agencyId: string): Promise<string[]> {
  const stream = await store.readStream(agencyId, policyStreamId)
  const state = stream.events.map((e) => toDomainEvent<PolicyEvent>(e)).reduce(policyDecider.evolve, policyDecider.initialState())
  return [...state.basicPolicyVersions]
}

async function agencyFacts(store: EventStore, agencyId: string): Promise<PolicyAgencyFacts> {
  const agency = await loadAgency(store, agencyId)
  if (!agency.registered || agency.kind === undefined) throw new DomainError('UnknownAgency', `agency ${agencyId} is not registered`)
  const parentPolicyVersions = agency.parentId === undefined ? [] : await adoptedBasicPolicyVersions(store, agency.parentId)
  return { kind: agency.kind, parentId: agency.parentId, parentPolicyVersions }
}

async function policyCommand(s: Services, p: Principal, ctx: RequestContext, command: Omit<PolicyCommand, 'metadata'>, fingerprint: unknown, id: string): Promise<CommandOutcome> {
  const result = await runCommand(s, p, ctx, { decider: policyDecider, streamId: policyStreamId, command: command as never, fingerprint })
  return { ...result, id }
}

async function riskCommand(s: Services, p: Principal, ctx: RequestContext, riskId: string, command: Omit<RiskCommand, 'metadata'>, fingerprint: unknown): Promise<CommandOutcome> {
  const result = await runCommand(s, p, ctx, { decider: riskDecider, streamId: riskStreamId(riskId), command: command as never, fingerprint })
  return { ...result, id: riskId }
}

export const policyCommands = [
  defineCommand({
    type: 'AdoptBasicPolicy', tag: 'policy', summary: "Adopt a version of the agency's basic policy (Art. 4); a subordinate body names the parent organ's policy it follows",
    path: '/policy/basic-policy', mutation: 'adoptBasicPolicy', params: none, input: AdoptBasicPolicyInput, creates: true,
    run: async (s, p, _params, input, ctx) => {
      const agency = await agencyFacts(s.store, p.agencyId)
      return policyCommand(s, p, ctx, { type: 'AdoptBasicPolicy', data: { ...input, agency } }, input, input.version)
    },
  }),
  defineCommand({
    type: 'AdoptStandards', tag: 'policy', summary: 'Adopt a version of the own standards, mapped to the Common Standards items it covers (the whole baseline of its edition)',
    path: '/policy/standards', mutation: 'adoptStandards', params: none, input: AdoptStandardsInput, creates: true,
    run: (s, p, _params, input, ctx) => policyCommand(s, p, ctx, { type: 'AdoptStandards', data: input }, input, input.version),
  }),
  defineCommand({
    type: 'ReviewPolicy', tag: 'policy', summary: 'Record a review of the policy documents (Art. 4 §6); clears the "due for review" flag',
    path: '/policy/reviews', mutation: 'reviewPolicy', params: none, input: ReviewPolicyInput, creates: true,
    run: async (s, p, _params, input, ctx) => {
      const reviewId = newRecordId(p, ctx, 'review')
      return policyCommand(s, p, ctx, { type: 'ReviewPolicy', data: { ...input, reviewId } }, input, reviewId)
    },
  }),
  defineCommand({
    type: 'AssessRisk', tag: 'risk', summary: 'Record a risk assessment (Art. 3): threat, likelihood, impact, measures, review date',
    path: '/risks', mutation: 'assessRisk', params: none, input: AssessRiskInput, creates: true,
    run: async (s, p, _params, input, ctx) => {
      const riskId = newRecordId(p, ctx, 'risk')
      return riskCommand(s, p, ctx, riskId, { type: 'AssessRisk', data: { ...input, riskId } }, input)
    },
  }),
  defineCommand({
    type: 'ReassessRisk', tag: 'risk', summary: 'Reassess a risk: what changed and why (marks the policy and the promotion plan due for review)',
    path: '/risks/:riskId/reassessment', mutation: 'reassessRisk', params: RiskParams, input: ReassessRiskInput,
    run: (s, p, { riskId }, input, ctx) => riskCommand(s, p, ctx, riskId, { type: 'ReassessRisk', data: { ...input, riskId } }, { riskId, input }),
  }),
  defineCommand({
    type: 'RetireRisk', tag: 'risk', summary: 'Retire a risk that no longer applies',
    path: '/risks/:riskId/retirement', mutation: 'retireRisk', params: RiskParams, input: RetireRiskInput,
    run: (s, p, { riskId }, input, ctx) => riskCommand(s, p, ctx, riskId, { type: 'RetireRisk', data: { ...input, riskId } }, { riskId, input }),
  }),
]

// System use (Art. 22) as commands: publishing a version of the usage rules, and an employee's own
// acknowledgement of the version in force or an upcoming one (the employee and the published versions
// are read from the log; the decider tells which is in force on today's Japan date).
import { z } from 'zod'
import {
  AcknowledgeUsageRulesInput, PublishUsageRulesInput, usageRulesAckDecider, usageRulesAckStreamId, usageRulesDecider, usageRulesStreamId,
  type UsageRulesEvent, type UsageRulesState,
} from '../domain/usage-rules/index.js'
import { defineCommand, runCommand } from './command-runner.js'
import { foldStream, loadEmployee } from './lookups.js'

const tag = 'usage-rules'
const none = z.object({})

export const usageRulesCommands = [
  defineCommand({
    type: 'PublishUsageRules', tag, summary: 'Publish a version of the rules employees follow when using the information systems (Art. 22); from its effectiveFrom (Japan date) it is in force and supersedes the earlier ones',
    path: '/usage-rules', mutation: 'publishUsageRules', params: none, input: PublishUsageRulesInput, creates: true,
    run: async (s, p, _params, input, ctx) => {
      const result = await runCommand(s, p, ctx, { decider: usageRulesDecider, streamId: usageRulesStreamId, command: { type: 'PublishUsageRules', data: input }, fingerprint: input })
      return { ...result, id: input.version }
    },
  }),
  defineCommand({
    type: 'AcknowledgeUsageRules', tag, summary: 'Acknowledge the usage rules for yourself: the version in force, or an upcoming published version ahead of its effective date (again: nothing changes)',
    path: '/usage-rules/acknowledgements', mutation: 'acknowledgeUsageRules', params: none, input: AcknowledgeUsageRulesInput,
    run: async (s, p, _params, input, ctx) => {
      const [employee, rules] = await Promise.all([
        loadEmployee(s.store, p.agencyId, p.actorId),
        foldStream<UsageRulesEvent, UsageRulesState>(s.store, p.agencyId, usageRulesStreamId, usageRulesDecider),
      ])
      const facts = {
        employee: { exists: employee.registered, unitId: employee.unitId, departedOn: employee.departedOn },
        published: rules.published,
      }
      const result = await runCommand(s, p, ctx, {
        decider: usageRulesAckDecider, streamId: usageRulesAckStreamId(p.actorId), command: { type: 'AcknowledgeUsageRules', data: { ...input, ...facts } }, fingerprint: input,
      })
      return { ...result, id: input.version }
    },
  }),
]

// Promotion plan use cases (Art. 6): the owners named by items are looked up in their employee
// streams and handed to the pure decider with the command.
import { z } from 'zod'
import { AddPlanItemInput, EstablishPlanInput, planDecider, planStreamId, RecordPlanProgressInput, ReviewPlanInput, type PlanCommand } from '../domain/plan/index.js'
import { localId } from '../domain/shared/values.js'
import { defineCommand, runCommand, type CommandOutcome, type Services } from './command-runner.js'
import type { Principal, RequestContext } from './context.js'
import { loadEmployeeFacts } from './lookups.js'

const tag = 'plans'

/** REST path segments are strings: the fiscal year is coerced, then checked like the input's. */
export const FiscalYearParam = z.coerce.number().int().min(2000).max(2200).describe('fiscal year, e.g. 2026 for 2026-04-01 – 2027-03-31')
const PlanParams = z.object({ fiscalYear: FiscalYearParam })
const ItemParams = z.object({ fiscalYear: FiscalYearParam, itemId: localId })

async function planCommand(s: Services, p: Principal, ctx: RequestContext, fiscalYear: number, command: Omit<PlanCommand, 'metadata'>, fingerprint: unknown, id: string): Promise<CommandOutcome> {
  const result = await runCommand(s, p, ctx, { decider: planDecider, streamId: planStreamId(fiscalYear), command: command as never, fingerprint })
  return { ...result, id }
}

export const planCommands = [
  defineCommand({
    type: 'EstablishPlan', tag, summary: 'Establish the promotion plan (Art. 6) of a fiscal year, with its items', path: '/plans', mutation: 'establishPlan',
    params: z.object({}), input: EstablishPlanInput, creates: true,
    run: async (s, p, _params, input, ctx) => {
      const employees = await loadEmployeeFacts(s.store, p.agencyId, input.items.map((i) => i.ownerId))
      return planCommand(s, p, ctx, input.fiscalYear, { type: 'EstablishPlan', data: { ...input, employees } }, input, String(input.fiscalYear))
    },
  }),
  defineCommand({
    type: 'AddPlanItem', tag, summary: 'Add an item (owner, due date) to the promotion plan', path: '/plans/:fiscalYear/items', mutation: 'addPlanItem',
    params: PlanParams, input: AddPlanItemInput, creates: true,
    run: async (s, p, { fiscalYear }, input, ctx) => {
      const employees = await loadEmployeeFacts(s.store, p.agencyId, [input.ownerId])
      return planCommand(s, p, ctx, fiscalYear, { type: 'AddPlanItem', data: { ...input, fiscalYear, employees } }, { fiscalYear, input }, input.itemId)
    },
  }),
  defineCommand({
    type: 'RecordPlanProgress', tag, summary: "Record the progress of a plan item (the keepers, or the item's owner)", path: '/plans/:fiscalYear/items/:itemId/progress', mutation: 'recordPlanProgress',
    params: ItemParams, input: RecordPlanProgressInput,
    run: (s, p, { fiscalYear, itemId }, input, ctx) =>
      planCommand(s, p, ctx, fiscalYear, { type: 'RecordPlanProgress', data: { ...input, fiscalYear, itemId } }, { fiscalYear, itemId, input }, itemId),
  }),
  defineCommand({
    type: 'ReviewPlan', tag, summary: 'Review the promotion plan (Art. 6 §3: also when the risk picture changes)', path: '/plans/:fiscalYear/review', mutation: 'reviewPlan',
    params: PlanParams, input: ReviewPlanInput,
    run: (s, p, { fiscalYear }, input, ctx) =>
      planCommand(s, p, ctx, fiscalYear, { type: 'ReviewPlan', data: { ...input, fiscalYear } }, { fiscalYear, input }, String(fiscalYear)),
  }),
]

// Compliance status queries (issue 7 §1): the same reads and visibility as REST (src/http/compliance.ts).
// The subscription complianceStatusChanged is in subscriptions.ts (its feed is built in plugin.ts).
import { z } from 'zod'
import { complianceReads, dutyKindTable, rulesTable } from '../http/compliance.js'
import { connection } from './connection.js'
import { principalOf, type GraphqlContext } from './context.js'
import { parseOrFail } from './errors.js'
import type { GraphqlOptions } from './plugin.js'
import { withoutNulls } from './scalars.js'

const MinPosition = z.number().int().min(0).optional()
const Instant = z.iso.datetime({ offset: true })
const AsOf = Instant.optional()
const StatusArgs = z.object({ agencyId: z.string().max(63).optional(), asOf: AsOf, minPosition: MinPosition })
const RollupArgs = z.object({ asOf: AsOf, minPosition: MinPosition })
const HistoryArgs = z.object({
  agencyId: z.string().max(63).optional(), article: z.number().int().min(3).max(22).optional(), from: Instant.optional(), to: Instant.optional(),
  first: z.number().int().min(1).max(200).default(50), after: z.string().max(40).optional(),
})

export function complianceResolvers(opts: GraphqlOptions) {
  const reads = complianceReads({ services: opts.services, reads: opts.reads, readWaitMs: opts.readWaitMs })
  const parse = <S extends z.ZodType>(schema: S, args: unknown) => parseOrFail(schema, withoutNulls(args), 'arguments')
  return {
    Query: {
      complianceStatus: async (_root: unknown, raw: unknown, ctx: GraphqlContext) =>
        reads.status(principalOf(ctx), parse(StatusArgs, raw), { agencyId: 'arguments.agencyId', asOf: 'arguments.asOf' }),
      complianceRollup: async (_root: unknown, raw: unknown, ctx: GraphqlContext) =>
        reads.rollup(principalOf(ctx), parse(RollupArgs, raw), { asOf: 'arguments.asOf' }),
      complianceHistory: async (_root: unknown, raw: unknown, ctx: GraphqlContext) =>
        connection(await reads.history(principalOf(ctx), parse(HistoryArgs, raw), { agencyId: 'arguments.agencyId' })),
      complianceRules: (_root: unknown, _args: unknown, ctx: GraphqlContext) => {
        principalOf(ctx)
        return rulesTable()
      },
      complianceDutyKinds: (_root: unknown, _args: unknown, ctx: GraphqlContext) => {
        principalOf(ctx)
        return dutyKindTable()
      },
    },
  }
}

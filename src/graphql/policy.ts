// Policy and risk queries (Art. 3–4): the policy in force, its history, risks, what is due for review,
// and the Common Standards. (Mutations come from the command catalogue, src/graphql/commands.ts.)
import { z } from 'zod'
import type { Principal } from '../application/context.js'
import { RiskRating } from '../domain/risk/commands.js'
import { commonStandardsEdition, StandardsEdition } from '../domain/shared/common-standards.js'
import { tokyoDate } from '../domain/shared/fiscal-year.js'
import { awaitPosition, readableAgencies, readableAgency } from '../http/reads.js'
import { policyHistory, policyOverview, reviewsDue } from '../projections/policy-queries.js'
import { getRisk, listRisks, toRiskDto } from '../projections/risk-queries.js'
import { principalOf, type GraphqlContext } from './context.js'
import { parseOrFail } from './errors.js'
import type { GraphqlOptions } from './plugin.js'
import { withoutNulls } from './scalars.js'
import { connection } from './connection.js'

const AgencyArgs = { agencyId: z.string().max(63).optional(), minPosition: z.number().int().min(0).optional() }
const Paging = { first: z.number().int().min(1).max(200).default(50), after: z.string().max(500).optional() }
const HistoryArgs = z.object({ ...AgencyArgs, ...Paging })
const RiskArgs = z.object({ id: z.string().max(100), minPosition: AgencyArgs.minPosition })
const RisksArgs = z.object({
  ...Paging, minPosition: AgencyArgs.minPosition,
  filter: z.object({
    agencyId: z.string().max(63).optional(), level: z.array(RiskRating).optional(), overdue: z.boolean().optional(),
    retired: z.boolean().optional(), systemId: z.string().max(100).optional(),
  }).default({}),
})
const StandardsArgs = z.object({ edition: StandardsEdition })


export function policyResolvers(opts: GraphqlOptions) {
  const { pool, clock } = opts.services
  const reads = { services: opts.services, reads: opts.reads, readWaitMs: opts.readWaitMs }
  const today = () => tokyoDate(clock.now().toISOString())
  const parse = <S extends z.ZodType>(schema: S, args: unknown) => parseOrFail(schema, withoutNulls(args), 'arguments')
  const wait = async (principal: Principal, projections: string[], minPosition: number | undefined) => {
    for (const p of projections) await awaitPosition(reads, p, principal.agencyId, minPosition)
  }
  const agencyOf = async (ctx: GraphqlContext, args: { agencyId?: string | undefined; minPosition?: number | undefined }, projections: string[]) => {
    const principal = principalOf(ctx)
    await wait(principal, projections, args.minPosition)
    return readableAgency(reads, principal, args.agencyId, 'arguments.agencyId')
  }

  return {
    Query: {
      policy: async (_root: unknown, raw: unknown, ctx: GraphqlContext) =>
        policyOverview(pool, await agencyOf(ctx, parse(z.object(AgencyArgs), raw), ['policy', 'reviews-due'])),
      policyHistory: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const args = parse(HistoryArgs, raw)
        return connection(await policyHistory(pool, await agencyOf(ctx, args, ['policy']), args.first, args.after))
      },
      reviewsDue: async (_root: unknown, raw: unknown, ctx: GraphqlContext) =>
        reviewsDue(pool, await agencyOf(ctx, parse(z.object(AgencyArgs), raw), ['reviews-due'])),
      risks: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const { filter, first, after, minPosition } = parse(RisksArgs, raw)
        const principal = principalOf(ctx)
        await wait(principal, ['risks'], minPosition)
        const agencies = await readableAgencies(reads, principal, filter.agencyId, 'arguments.filter.agencyId')
        const now = today()
        const page = await listRisks(pool, agencies, filter, now, first, after)
        return connection({ ...page, items: page.items.map((r) => toRiskDto(r, now)) })
      },
      risk: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const { id, minPosition } = parse(RiskArgs, raw)
        const principal = principalOf(ctx)
        await wait(principal, ['risks'], minPosition)
        const row = await getRisk(pool, await readableAgencies(reads, principal, undefined, 'arguments.id'), id)
        return row ? toRiskDto(row, today()) : null
      },
      commonStandards: (_root: unknown, raw: unknown) => commonStandardsEdition(parse(StandardsArgs, raw).edition),
    },
  }
}

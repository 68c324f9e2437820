// Promotion plan (Art. 6) and education (Art. 8) queries: the same read models and visibility rule as
// REST (src/http/plans.ts). (Their mutations come from the command catalogue, src/graphql/commands.ts.)
import { z } from 'zod'
import type { Principal } from '../application/context.js'
import { FiscalYear, tokyoDate } from '../domain/shared/fiscal-year.js'
import { calendarDate, localId } from '../domain/shared/values.js'
import { awaitPosition, readableAgencies, readableAgency } from '../http/reads.js'
import { getPlan, listPlans } from '../projections/plans-queries.js'
import { getTrainingPlan, trainingCoverage, uncoveredEmployees } from '../projections/training-queries.js'
import { principalOf, type GraphqlContext } from './context.js'
import { parseOrFail } from './errors.js'
import type { GraphqlOptions } from './plugin.js'
import { withoutNulls } from './scalars.js'
import { connection } from './connection.js'

const AgencyArgs = { agencyId: z.string().max(63).optional(), minPosition: z.number().int().min(0).optional() }
const Paging = { first: z.number().int().min(1).max(200).default(50), after: z.string().max(500).optional() }
const YearArgs = z.object({ fiscalYear: FiscalYear, ...AgencyArgs })
const PlansArgs = z.object({
  minPosition: AgencyArgs.minPosition, ...Paging,
  filter: z.object({ agencyId: AgencyArgs.agencyId, fiscalYear: FiscalYear.optional(), ownerId: localId.optional() }).default({}),
})
const CoverageArgs = YearArgs.extend({ asOf: calendarDate.optional() })
const UncoveredArgs = CoverageArgs.extend({ ...Paging, filter: z.object({ unitId: localId.optional(), newcomerOverdue: z.boolean().optional() }).default({}) })


export function planResolvers(opts: GraphqlOptions) {
  const { pool, clock } = opts.services
  const reads = { services: opts.services, reads: opts.reads, readWaitMs: opts.readWaitMs }
  const today = () => tokyoDate(clock.now().toISOString())
  const parse = <S extends z.ZodType>(schema: S, args: unknown) => parseOrFail(schema, withoutNulls(args), 'arguments')
  /** Waits for the read models the answer comes from, then picks the one agency asked about. */
  const agencyOf = async (principal: Principal, args: { agencyId?: string | undefined; minPosition?: number | undefined }, projections: string[]) => {
    for (const projection of projections) await awaitPosition(reads, projection, principal.agencyId, args.minPosition)
    return readableAgency(reads, principal, args.agencyId, 'arguments.agencyId')
  }

  return {
    Query: {
      promotionPlan: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const args = parse(YearArgs, raw)
        return (await getPlan(pool, await agencyOf(principalOf(ctx), args, ['plans']), args.fiscalYear, today())) ?? null
      },
      promotionPlans: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const { filter, first, after, minPosition } = parse(PlansArgs, raw)
        const principal = principalOf(ctx)
        await awaitPosition(reads, 'plans', principal.agencyId, minPosition)
        const agencies = await readableAgencies(reads, principal, filter.agencyId, 'arguments.filter.agencyId')
        const page = await listPlans(pool, agencies, filter, today(), first, after)
        // A listed plan's items are loaded only when asked for (one query per plan; `first` bounds them).
        return connection({ ...page, items: page.items.map((p) => ({ ...p, items: async () => (await getPlan(pool, p.agencyId, p.fiscalYear, today()))?.items ?? [] })) })
      },
      trainingPlan: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const args = parse(YearArgs, raw)
        return (await getTrainingPlan(pool, await agencyOf(principalOf(ctx), args, ['training']), args.fiscalYear)) ?? null
      },
      trainingCoverage: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const args = parse(CoverageArgs, raw)
        const agencyId = await agencyOf(principalOf(ctx), args, ['training', 'organisation', 'agencies'])
        return trainingCoverage(pool, { agencyId, fiscalYear: args.fiscalYear, asOf: args.asOf ?? today() })
      },
      uncoveredEmployees: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const args = parse(UncoveredArgs, raw)
        const agencyId = await agencyOf(principalOf(ctx), args, ['training', 'organisation', 'agencies'])
        return connection(await uncoveredEmployees(pool, { agencyId, fiscalYear: args.fiscalYear, asOf: args.asOf ?? today() }, args.filter, args.first, args.after))
      },
    },
  }
}

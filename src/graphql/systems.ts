// Information system queries (Art. 17–21): the same read models, derivations and visibility rule as REST
// (src/http/systems.ts); lists are Relay connections. Mutations come from the command catalogue.
import { z } from 'zod'
import type { Principal } from '../application/context.js'
import { cryptrecEditions, currentCryptrecEdition } from '../domain/shared/cryptrec.js'
import { tokyoDate } from '../domain/shared/fiscal-year.js'
import { localId } from '../domain/shared/values.js'
import { criticalities, systemStages } from '../domain/system/index.js'
import { awaitPosition, readableAgencies, readableAgency } from '../http/reads.js'
import { InvalidCursorError, toTimelineDto } from '../projections/incident-queries.js'
import { cryptoShortfalls, getSystem, listSystems, systemHistory, toSystemDto, type SystemDto } from '../projections/system-queries.js'
import { connection } from './connection.js'
import { principalOf, type GraphqlContext } from './context.js'
import { parseOrFail } from './errors.js'
import type { GraphqlOptions } from './plugin.js'
import { withoutNulls } from './scalars.js'

const MinPosition = z.number().int().min(0).optional()
const First = z.number().int().min(1).max(200).default(50)
const AgencyId = z.string().max(63).optional()
const LedgerArgs = z.object({
  first: First, after: z.string().max(500).optional(), minPosition: MinPosition,
  filter: z.object({
    agencyId: AgencyId, criticality: z.array(z.enum(criticalities)).optional(), stage: z.array(z.enum(systemStages)).optional(), internetFacing: z.boolean().optional(),
    handlesC3: z.boolean().optional(), cloudNotIsmapRegistered: z.boolean().optional(), ownerUnitId: localId.optional(), pastReview: z.boolean().optional(), continuityPlanMissing: z.boolean().optional(),
  }).default({}),
})
const PastReviewArgs = z.object({ agencyId: AgencyId, first: First, after: z.string().max(500).optional(), minPosition: MinPosition })
const ShortfallArgs = PastReviewArgs.extend({ includeMissing: z.boolean().default(true) })
const OneArgs = z.object({ id: localId, agencyId: AgencyId, minPosition: MinPosition })
const HistoryArgs = z.object({ first: First, after: z.string().max(20).optional() })

/** History cursors are stream versions. */
function afterVersion(after: string | undefined): number {
  if (after === undefined) return 0
  if (!/^\d{1,9}$/.test(after)) throw new InvalidCursorError('the "after" cursor is not one this service issued; start again without it')
  return Number(after)
}

export function systemResolvers(opts: GraphqlOptions) {
  const { pool, clock } = opts.services
  const reads = { services: opts.services, reads: opts.reads, readWaitMs: opts.readWaitMs }
  const today = () => tokyoDate(clock.now().toISOString())
  const parse = <S extends z.ZodType>(schema: S, args: unknown) => parseOrFail(schema, withoutNulls(args), 'arguments')
  const caught = async (ctx: GraphqlContext, minPosition: number | undefined): Promise<Principal> => {
    const principal = principalOf(ctx)
    await awaitPosition(reads, 'systems', principal.agencyId, minPosition)
    return principal
  }

  return {
    Query: {
      informationSystems: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const { filter: { agencyId, ...filter }, first, after, minPosition } = parse(LedgerArgs, raw)
        const agencies = await readableAgencies(reads, await caught(ctx, minPosition), agencyId, 'arguments.filter.agencyId')
        return connection(await listSystems(pool, agencies, filter, today(), first, after))
      },
      informationSystem: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const args = parse(OneArgs, raw)
        const agency = await readableAgency(reads, await caught(ctx, args.minPosition), args.agencyId, 'arguments.agencyId')
        const row = await getSystem(pool, agency, args.id)
        return row ? toSystemDto(row, today()) : null
      },
      systemsPastReview: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const { agencyId, first, after, minPosition } = parse(PastReviewArgs, raw)
        const agencies = await readableAgencies(reads, await caught(ctx, minPosition), agencyId, 'arguments.agencyId')
        return connection(await listSystems(pool, agencies, { pastReview: true }, today(), first, after))
      },
      systemCryptoShortfalls: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const { agencyId, first, after, minPosition, includeMissing } = parse(ShortfallArgs, raw)
        const agencies = await readableAgencies(reads, await caught(ctx, minPosition), agencyId, 'arguments.agencyId')
        return connection(await cryptoShortfalls(pool, agencies, { includeMissing }, first, after))
      },
      cryptrecEditions: (_root: unknown, _args: unknown, ctx: GraphqlContext) => {
        principalOf(ctx)
        return Object.values(cryptrecEditions).map((e) => ({
          ...e, current: e.id === currentCryptrecEdition, entries: e.entries.map((x) => ({ ...x, aliases: x.aliases ?? [], minKeyLength: x.minKeyLength ?? null })),
        }))
      },
    },
    InformationSystem: {
      // Visible already: the system was found through the caller's agencies.
      history: async (system: SystemDto, raw: unknown) => {
        const args = parse(HistoryArgs, raw)
        const page = await systemHistory(pool, system.agencyId, system.id, args.first, afterVersion(args.after))
        return connection({ ...page, items: page.items.map(toTimelineDto) })
      },
    },
  }
}

// Information asset queries (Art. 12–14): assets with label, flags, restrictions and history, what
// other agencies provided, and refused lifecycle steps. (Mutations come from the command catalogue.)
import { z } from 'zod'
import type { Principal } from '../application/context.js'
import { InformationFlag, Medium } from '../domain/information/index.js'
import { LifecycleRuleCode, LifecycleStep } from '../domain/shared/lifecycle.js'
import { instant, localId } from '../domain/shared/values.js'
import { awaitPosition, readableAgencies } from '../http/reads.js'
import { listBlocked, listReceived } from '../projections/information-flow-queries.js'
import { assetHistory, getAsset, listAssets, toAssetDto, toHistoryDto, type AssetDto } from '../projections/information-queries.js'
import { principalOf, type GraphqlContext } from './context.js'
import { parseOrFail } from './errors.js'
import type { GraphqlOptions } from './plugin.js'
import { withoutNulls } from './scalars.js'
import { connection } from './connection.js'

const Paging = { first: z.number().int().min(1).max(200).default(50), after: z.string().max(500).optional() }
const MinPosition = z.number().int().min(0).optional()
const AgencyId = z.string().max(63).optional()
const AssetsArgs = z.object({
  ...Paging, minPosition: MinPosition,
  filter: z.object({
    agencyId: AgencyId, ownerUnitId: localId.optional(), medium: Medium.optional(), minConfidentiality: z.number().int().min(1).max(3).optional(),
    flags: z.array(InformationFlag).optional(), restriction: localId.optional(), deleted: z.boolean().optional(),
  }).default({}),
})
const AssetArgs = z.object({ id: z.string().max(100), minPosition: MinPosition })
const HistoryArgs = z.object(Paging)
const ReceivedArgs = z.object({
  ...Paging, minPosition: MinPosition,
  filter: z.object({ agencyId: AgencyId, fromAgencyId: z.string().max(63).optional(), accepted: z.boolean().optional() }).default({}),
})
const BlockedArgs = z.object({
  ...Paging, minPosition: MinPosition,
  filter: z.object({
    agencyId: AgencyId, rule: LifecycleRuleCode.optional(), step: LifecycleStep.optional(), unitId: localId.optional(), from: instant.optional(), to: instant.optional(),
  }).default({}),
})


export function informationResolvers(opts: GraphqlOptions) {
  const { pool } = opts.services
  const reads = { services: opts.services, reads: opts.reads, readWaitMs: opts.readWaitMs }
  const parse = <S extends z.ZodType>(schema: S, args: unknown) => parseOrFail(schema, withoutNulls(args), 'arguments')
  const agencies = async (principal: Principal, agencyId: string | undefined, minPosition: number | undefined, path: string) => {
    await awaitPosition(reads, 'information', principal.agencyId, minPosition)
    return readableAgencies(reads, principal, agencyId, path)
  }

  return {
    Query: {
      informationAssets: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const { filter, first, after, minPosition } = parse(AssetsArgs, raw)
        const page = await listAssets(pool, await agencies(principalOf(ctx), filter.agencyId, minPosition, 'arguments.filter.agencyId'), filter, first, after)
        return connection({ ...page, items: page.items.map(toAssetDto) })
      },
      informationAsset: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const { id, minPosition } = parse(AssetArgs, raw)
        const row = await getAsset(pool, await agencies(principalOf(ctx), undefined, minPosition, 'arguments.id'), id)
        return row ? toAssetDto(row) : null
      },
      receivedInformation: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const { filter, first, after, minPosition } = parse(ReceivedArgs, raw)
        return connection(await listReceived(pool, await agencies(principalOf(ctx), filter.agencyId, minPosition, 'arguments.filter.agencyId'), filter, first, after))
      },
      blockedInformationSteps: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const { filter, first, after, minPosition } = parse(BlockedArgs, raw)
        return connection(await listBlocked(pool, await agencies(principalOf(ctx), filter.agencyId, minPosition, 'arguments.filter.agencyId'), filter, first, after))
      },
    },
    InformationAsset: {
      // The asset was found among the caller's visible agencies, so its own agency's stream is readable.
      history: async (asset: AssetDto, raw: unknown) => {
        const { first, after } = parse(HistoryArgs, raw)
        const page = await assetHistory(pool, asset.agencyId, asset.id, first, after)
        return connection({ ...page, items: page.items.map(toHistoryDto) })
      },
    },
  }
}

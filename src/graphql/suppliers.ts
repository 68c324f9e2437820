// Outsourcing (Art. 16) and system use (Art. 22) queries: the same read models and visibility rule as
// REST (src/http/suppliers.ts, src/http/usage-rules.ts); lists are Relay connections. Mutations come
// from the command catalogue.
import { z } from 'zod'
import type { Principal } from '../application/context.js'
import { contractStatuses } from '../domain/contract/state.js'
import { tokyoDate } from '../domain/shared/fiscal-year.js'
import { localId } from '../domain/shared/values.js'
import { awaitPosition, readableAgencies, readableAgency } from '../http/reads.js'
import { EndingWithinDays } from '../http/suppliers.js'
import { InvalidCursorError, toTimelineDto } from '../projections/incident-queries.js'
import { contractHistory, getContract, getContractor, listContractors, listContracts, type ContractDto } from '../projections/supplier-queries.js'
import { listUsageRules, pendingAcknowledgements, usageRulesCoverage } from '../projections/usage-rule-queries.js'
import { connection } from './connection.js'
import { principalOf, type GraphqlContext } from './context.js'
import { parseOrFail } from './errors.js'
import type { GraphqlOptions } from './plugin.js'
import { withoutNulls } from './scalars.js'

const AgencyId = z.string().max(63).optional()
const MinPosition = z.number().int().min(0).optional()
const Paging = { first: z.number().int().min(1).max(200).default(50), after: z.string().max(500).optional() }
const OneArgs = z.object({ id: localId, agencyId: AgencyId, minPosition: MinPosition })
const ContractorsArgs = z.object({ ...Paging, minPosition: MinPosition, filter: z.object({ agencyId: AgencyId, qualified: z.boolean().optional() }).default({}) })
const ContractsArgs = z.object({
  ...Paging, minPosition: MinPosition,
  filter: z.object({
    agencyId: AgencyId, contractorId: localId.optional(), systemId: localId.optional(), ownerUnitId: localId.optional(),
    status: z.array(z.enum(contractStatuses)).optional(), endingWithinDays: EndingWithinDays.optional(),
  }).default({}),
})
const HistoryArgs = z.object({ first: Paging.first, after: z.string().max(20).optional() })
const AgencyArgs = z.object({ agencyId: AgencyId, minPosition: MinPosition })
const RulesArgs = AgencyArgs.extend(Paging)
const PendingArgs = AgencyArgs.extend({ ...Paging, filter: z.object({ unitId: localId.optional() }).default({}) })

/** History cursors are stream versions. */
function afterVersion(after: string | undefined): number {
  if (after === undefined) return 0
  if (!/^\d{1,9}$/.test(after)) throw new InvalidCursorError('the "after" cursor is not one this service issued; start again without it')
  return Number(after)
}

export function supplierResolvers(opts: GraphqlOptions) {
  const { pool, clock } = opts.services
  const reads = { services: opts.services, reads: opts.reads, readWaitMs: opts.readWaitMs }
  const today = () => tokyoDate(clock.now().toISOString())
  const parse = <S extends z.ZodType>(schema: S, args: unknown) => parseOrFail(schema, withoutNulls(args), 'arguments')
  const caught = async (ctx: GraphqlContext, minPosition: number | undefined, projections: string[] = ['suppliers']): Promise<Principal> => {
    const principal = principalOf(ctx)
    for (const projection of projections) await awaitPosition(reads, projection, principal.agencyId, minPosition)
    return principal
  }
  const oneAgency = async (ctx: GraphqlContext, args: { agencyId?: string | undefined; minPosition?: number | undefined }, projections?: string[]) =>
    readableAgency(reads, await caught(ctx, args.minPosition, projections), args.agencyId, 'arguments.agencyId')

  return {
    Query: {
      contractors: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const { filter: { agencyId, ...filter }, first, after, minPosition } = parse(ContractorsArgs, raw)
        const agencies = await readableAgencies(reads, await caught(ctx, minPosition), agencyId, 'arguments.filter.agencyId')
        return connection(await listContractors(pool, agencies, filter, first, after))
      },
      contractor: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const args = parse(OneArgs, raw)
        return (await getContractor(pool, await oneAgency(ctx, args), args.id)) ?? null
      },
      contracts: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const { filter: { agencyId, ...filter }, first, after, minPosition } = parse(ContractsArgs, raw)
        const agencies = await readableAgencies(reads, await caught(ctx, minPosition), agencyId, 'arguments.filter.agencyId')
        return connection(await listContracts(pool, agencies, filter, today(), first, after))
      },
      contract: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const args = parse(OneArgs, raw)
        return (await getContract(pool, await oneAgency(ctx, args), args.id, today())) ?? null
      },
      usageRules: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const args = parse(RulesArgs, raw)
        return connection(await listUsageRules(pool, await oneAgency(ctx, args), today(), args.first, args.after))
      },
      usageRulesCoverage: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const args = parse(AgencyArgs, raw)
        return usageRulesCoverage(pool, await oneAgency(ctx, args, ['suppliers', 'organisation']), today())
      },
      pendingUsageRulesAcknowledgements: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const args = parse(PendingArgs, raw)
        const agencyId = await oneAgency(ctx, args, ['suppliers', 'organisation'])
        return connection(await pendingAcknowledgements(pool, agencyId, today(), args.filter, args.first, args.after))
      },
    },
    Contract: {
      // Visible already: the contract was found through the caller's agencies.
      contractor: async (contract: ContractDto) => (await getContractor(pool, contract.agencyId, contract.contractorId)) ?? null,
      history: async (contract: ContractDto, raw: unknown) => {
        const args = parse(HistoryArgs, raw)
        const page = await contractHistory(pool, contract.agencyId, contract.id, args.first, afterVersion(args.after))
        return connection({ ...page, items: page.items.map(toTimelineDto) })
      },
    },
  }
}

// REST reads of outsourcing (Art. 16): contractors (qualified or not, with the unmet criteria), contracts
// with filters (contractor, system, owner unit, status, ending soon relative to today in Japan from the
// injected clock), one contract with its clauses, checks, end and erasure, and its history from the log.
// Visible to the agency and, read-only, to its national organ. (Commands come from the catalogue.)
import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { FastifyRequest } from 'fastify'
import { contractStatuses } from '../domain/contract/state.js'
import { NotFoundError } from '../domain/shared/errors.js'
import { tokyoDate } from '../domain/shared/fiscal-year.js'
import { localId } from '../domain/shared/values.js'
import { toTimelineDto } from '../projections/incident-queries.js'
import { contractHistory, getContract, getContractor, listContractors, listContracts } from '../projections/supplier-queries.js'
import { principalOf, requireAuth } from './auth.js'
import { awaitPosition, bool, csv, MinPosition, page, Paging, readableAgencies, readableAgency, type ReadRoutesOptions } from './reads.js'

const tags = ['suppliers']
const AgencyId = z.string().max(63).optional().describe('a body under your national organ (default: your agency)')
const OneQuery = z.object({ agencyId: AgencyId, minPosition: MinPosition })
/** How far ahead "ending soon" looks: up to ten years. */
const MAX_ENDING_DAYS = 3650
export const EndingWithinDays = z.number().int().min(0).max(MAX_ENDING_DAYS)

export const supplierReadRoutes: FastifyPluginAsyncZod<ReadRoutesOptions> = async (app, opts) => {
  const { pool, clock } = opts.services
  app.addHook('onRequest', requireAuth(pool, clock))
  const today = () => tokyoDate(clock.now().toISOString())
  const caught = async (request: FastifyRequest, minPosition: number | undefined) => {
    const principal = principalOf(request)
    await awaitPosition(opts, 'suppliers', principal.agencyId, minPosition)
    return principal
  }
  const contractOf = async (request: FastifyRequest, contractId: string, q: z.infer<typeof OneQuery>) => {
    const agencyId = await readableAgency(opts, await caught(request, q.minPosition), q.agencyId, 'querystring/agencyId')
    const found = await getContract(pool, agencyId, contractId, today())
    if (!found) throw new NotFoundError('ContractNotFound', `no contract ${contractId} in agency ${agencyId}`)
    return found
  }

  app.get('/contractors', {
    schema: {
      tags, summary: 'Contractors by id (cursor pagination): qualified when their latest selection meets every required criterion, else the unmet ones',
      querystring: z.object({ agencyId: AgencyId, qualified: bool.optional().describe('only qualified (true) or not qualified (false) contractors'), minPosition: MinPosition, ...Paging }),
    },
  }, async (request) => {
    const { agencyId, qualified, minPosition, first, after } = request.query
    const agencies = await readableAgencies(opts, await caught(request, minPosition), agencyId, 'querystring/agencyId')
    return page(await listContractors(pool, agencies, { qualified }, first, after))
  })

  app.get('/contractors/:contractorId', {
    schema: { tags, summary: 'One contractor with its latest selection (each criterion: met, evidence, required, how sure the requirement is)', params: z.object({ contractorId: localId }), querystring: OneQuery },
  }, async (request) => {
    const q = request.query
    const agencyId = await readableAgency(opts, await caught(request, q.minPosition), q.agencyId, 'querystring/agencyId')
    const found = await getContractor(pool, agencyId, request.params.contractorId)
    if (!found) throw new NotFoundError('ContractorNotFound', `no contractor ${request.params.contractorId} in agency ${agencyId}`)
    return found
  })

  app.get('/contracts', {
    schema: {
      tags, summary: 'Contracts, earliest last day first (cursor pagination); endingWithinDays = active contracts whose last day is within that many days of today (Japan), or already past with no end recorded',
      querystring: z.object({
        agencyId: AgencyId, contractorId: localId.optional(), systemId: localId.optional(), ownerUnitId: localId.optional(),
        status: csv(z.enum(contractStatuses), contractStatuses.join('|')).optional(),
        endingWithinDays: z.coerce.number().int().min(0).max(MAX_ENDING_DAYS).optional().describe('days ahead of today (Japan)'), minPosition: MinPosition, ...Paging,
      }),
    },
  }, async (request) => {
    const { agencyId, minPosition, first, after, ...filter } = request.query
    const agencies = await readableAgencies(opts, await caught(request, minPosition), agencyId, 'querystring/agencyId')
    return page(await listContracts(pool, agencies, filter, today(), first, after))
  })

  app.get('/contracts/:contractId', {
    schema: { tags, summary: 'One contract: clauses, systems, period and extension, supply-chain checks and open findings, end, return or erasure, closure', params: z.object({ contractId: localId }), querystring: OneQuery },
  }, async (request) => contractOf(request, request.params.contractId, request.query))

  app.get('/contracts/:contractId/history', {
    schema: {
      tags, summary: "The contract's events from the log, oldest first (after = a stream version)",
      params: z.object({ contractId: localId }),
      querystring: OneQuery.extend({ first: Paging.first, after: z.coerce.number().int().min(0).max(2_147_483_647).optional() }),
    },
  }, async (request) => {
    const found = await contractOf(request, request.params.contractId, request.query)
    const history = await contractHistory(pool, found.agencyId, found.id, request.query.first, request.query.after)
    return page({ ...history, items: history.items.map(toTimelineDto) })
  })
}

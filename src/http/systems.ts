// REST reads of the information system ledger (Art. 17–21): the ledger with filters, one system with
// everything derived at read time, its history from the log, the systems whose crypto policy falls short,
// and the CRYPTREC list editions. Visible to the agency and, read-only, to its national organ. (Commands
// come from the catalogue.)
import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { cryptrecEditions, currentCryptrecEdition } from '../domain/shared/cryptrec.js'
import { NotFoundError } from '../domain/shared/errors.js'
import { tokyoDate } from '../domain/shared/fiscal-year.js'
import { localId } from '../domain/shared/values.js'
import { criticalities, systemStages } from '../domain/system/index.js'
import { toTimelineDto } from '../projections/incident-queries.js'
import { cryptoShortfalls, getSystem, listSystems, systemHistory, toSystemDto } from '../projections/system-queries.js'
import { principalOf, requireAuth } from './auth.js'
import { awaitPosition, bool, csv, MinPosition, page, Paging, readableAgencies, readableAgency, type ReadRoutesOptions } from './reads.js'

const tags = ['systems']
const AgencyId = z.string().max(63).optional().describe('a body under your national organ (default: your agency)')
const SystemParams = z.object({ systemId: localId })

export const systemReadRoutes: FastifyPluginAsyncZod<ReadRoutesOptions> = async (app, opts) => {
  const { pool, clock } = opts.services
  app.addHook('onRequest', requireAuth(pool, clock))
  const today = () => tokyoDate(clock.now().toISOString())
  const caught = async (request: Parameters<typeof principalOf>[0], minPosition: number | undefined) => {
    const principal = principalOf(request)
    await awaitPosition(opts, 'systems', principal.agencyId, minPosition)
    return principal
  }
  const visibleSystem = async (request: Parameters<typeof principalOf>[0], systemId: string, agencyId: string | undefined, minPosition: number | undefined) => {
    const agency = await readableAgency(opts, await caught(request, minPosition), agencyId, 'querystring/agencyId')
    const found = await getSystem(pool, agency, systemId)
    if (!found) throw new NotFoundError('SystemNotFound', `no information system ${systemId} in the ledger of ${agency}`)
    return found
  }

  app.get('/systems', {
    schema: {
      tags, summary: 'The information system ledger (台帳) in ledger-number order (cursor pagination), with what is derived at read time (highest class, ledger gaps, review overdue, crypto evaluation, internet-service shortfalls)',
      querystring: z.object({
        agencyId: AgencyId, criticality: csv(z.enum(criticalities), criticalities.join('|')).optional(), stage: csv(z.enum(systemStages), systemStages.join('|')).optional(),
        internetFacing: bool.optional(), handlesC3: bool.optional().describe('the highest class handled is C3 (true) or lower (false)'),
        cloudNotIsmapRegistered: bool.optional().describe('hosted on a cloud service (CLOUD or HYBRID) not registered under ISMAP (true), or not (false)'), ownerUnitId: localId.optional(),
        pastReview: bool.optional().describe('not retired and the review date is before today (Japan time)'),
        continuityPlanMissing: bool.optional().describe('HIGH or CRITICAL, not retired, without a continuity plan'), minPosition: MinPosition, ...Paging,
      }),
    },
  }, async (request) => {
    const { agencyId, minPosition, first, after, ...filter } = request.query
    const agencies = await readableAgencies(opts, await caught(request, minPosition), agencyId, 'querystring/agencyId')
    return page(await listSystems(pool, agencies, filter, today(), first, after))
  })

  app.get('/system-crypto-shortfalls', {
    schema: {
      tags, summary: 'Systems (not retired) whose crypto policy falls short of the CRYPTREC e-Government Recommended Ciphers List, with the reasons per algorithm, and those with no policy',
      querystring: z.object({ agencyId: AgencyId, includeMissing: bool.default(true).describe('also list systems without a crypto policy'), minPosition: MinPosition, ...Paging }),
    },
  }, async (request) => {
    const { agencyId, minPosition, first, after, includeMissing } = request.query
    const agencies = await readableAgencies(opts, await caught(request, minPosition), agencyId, 'querystring/agencyId')
    return page(await cryptoShortfalls(pool, agencies, { includeMissing }, first, after))
  })

  app.get('/cryptrec-editions', {
    schema: { tags, summary: 'The editions of the CRYPTREC list the service checks crypto policies against (data, with how sure each entry is)' },
  }, async () => ({ current: currentCryptrecEdition, editions: Object.values(cryptrecEditions) }))

  app.get('/systems/:systemId', {
    schema: { tags, summary: 'One system: its ledger entry, documents (every version), stage and allowed next stages, approvals, erasure, reviews, crypto evaluation, continuity, internet-service shortfalls', params: SystemParams, querystring: z.object({ agencyId: AgencyId, minPosition: MinPosition }) },
  }, async (request) => toSystemDto(await visibleSystem(request, request.params.systemId, request.query.agencyId, request.query.minPosition), today()))

  app.get('/systems/:systemId/history', {
    schema: {
      tags, summary: "The system's events from the log, oldest first (after = a stream version)",
      params: SystemParams,
      querystring: z.object({ agencyId: AgencyId, first: Paging.first, after: z.coerce.number().int().min(0).max(2_147_483_647).optional(), minPosition: MinPosition }),
    },
  }, async (request) => {
    const { agencyId, minPosition, first, after } = request.query
    const found = await visibleSystem(request, request.params.systemId, agencyId, minPosition)
    const history = await systemHistory(pool, found.agency_id, found.system_id, first, after)
    return page({ ...history, items: history.items.map(toTimelineDto) })
  })
}

// REST reads of the exception ledger (Art. 7): the ledger with filters, one exception, its history from
// the log, and the periodic summary for the CISO. Visible to the agency and, read-only, to its national
// organ. Whether an exception is ACTIVE is judged against now from the injected clock. (Commands come
// from the catalogue.)
import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { shownExceptionStatuses } from '../domain/exception/state.js'
import { NotFoundError } from '../domain/shared/errors.js'
import { calendarDate, instant, localId } from '../domain/shared/values.js'
import { toTimelineDto } from '../projections/incident-queries.js'
import { visibleAgencies } from '../projections/agencies.js'
import { exceptionHistory, getException, listExceptions } from '../projections/exception-queries.js'
import { exceptionSummary } from '../projections/exception-summary.js'
import { ValidationError } from '../application/errors.js'
import { principalOf, requireAuth } from './auth.js'
import { awaitPosition, Paging, csv, bool, page, MinPosition, readableAgencies, readableAgency, type ReadRoutesOptions } from './reads.js'

const tags = ['exceptions']
const AgencyId = z.string().max(63).optional().describe('a body under your national organ (default: your agency)')

/** A summary period: Japan dates, `to` not before `from`, at most about two years. */
export function checkSummaryPeriod(from: string, to: string, path: string): void {
  if (to < from) throw new ValidationError('the summary period ends before it starts', [{ path, message: '`to` must not be before `from`' }])
  if (Date.parse(to) - Date.parse(from) > 800 * 24 * 3600 * 1000) throw new ValidationError('the summary period is too long', [{ path, message: 'at most 800 days' }])
}

export const exceptionReadRoutes: FastifyPluginAsyncZod<ReadRoutesOptions> = async (app, opts) => {
  const { pool, clock } = opts.services
  app.addHook('onRequest', requireAuth(pool, clock))
  const now = () => clock.now().toISOString()
  const caught = async (request: Parameters<typeof principalOf>[0], minPosition: number | undefined) => {
    const principal = principalOf(request)
    await awaitPosition(opts, 'exceptions', principal.agencyId, minPosition)
    return principal
  }
  const visibleException = async (request: Parameters<typeof principalOf>[0], exceptionId: string, minPosition: number | undefined) => {
    const principal = await caught(request, minPosition)
    const found = await getException(pool, await visibleAgencies(pool, principal.agencyId), exceptionId, now())
    if (!found) throw new NotFoundError('ExceptionNotFound', `no exception ${exceptionId} in the agencies you can see`)
    return found
  }

  app.get('/exceptions', {
    schema: {
      tags, summary: 'The exception ledger (台帳), newest request first (cursor pagination); ACTIVE = approved and inside its permitted period now',
      querystring: z.object({
        agencyId: AgencyId, status: csv(z.enum(shownExceptionStatuses), shownExceptionStatuses.join('|')).optional(), clause: z.string().max(30).optional(),
        applicantId: localId.optional(), activeAt: instant.optional().describe('only exceptions in force at this instant'),
        overdue: bool.optional().describe('only exceptions that became overdue (true) or never did (false)'), minPosition: MinPosition, ...Paging,
      }),
    },
  }, async (request) => {
    const { agencyId, minPosition, first, after, ...filter } = request.query
    const agencies = await readableAgencies(opts, await caught(request, minPosition), agencyId, 'querystring/agencyId')
    return page(await listExceptions(pool, agencies, filter, now(), first, after))
  })

  app.get('/exceptions/summary', {
    schema: {
      tags, summary: 'Periodic summary for the CISO: counts by status now, requests/approvals/rejections/overdue in the period (Japan dates, inclusive), active now, the overdue list',
      querystring: z.object({ from: calendarDate, to: calendarDate, agencyId: AgencyId, minPosition: MinPosition }),
    },
  }, async (request) => {
    const q = request.query
    checkSummaryPeriod(q.from, q.to, 'querystring/to')
    const agencyId = await readableAgency(opts, await caught(request, q.minPosition), q.agencyId, 'querystring/agencyId')
    return exceptionSummary(pool, agencyId, q.from, q.to, now())
  })

  app.get('/exceptions/:exceptionId', {
    schema: { tags, summary: 'One exception as the ledger has it: request, decisions (who, when, why), end report, overdue flag', params: z.object({ exceptionId: z.uuid() }), querystring: z.object({ minPosition: MinPosition }) },
  }, async (request) => visibleException(request, request.params.exceptionId, request.query.minPosition))

  app.get('/exceptions/:exceptionId/history', {
    schema: {
      tags, summary: "The exception's events from the log, oldest first (after = a stream version)",
      params: z.object({ exceptionId: z.uuid() }),
      querystring: z.object({ first: Paging.first, after: z.coerce.number().int().min(0).max(2_147_483_647).optional(), minPosition: MinPosition }),
    },
  }, async (request) => {
    const found = await visibleException(request, request.params.exceptionId, request.query.minPosition)
    const history = await exceptionHistory(pool, found.agencyId, found.id, request.query.first, request.query.after)
    return page({ ...history, items: history.items.map(toTimelineDto) })
  })
}

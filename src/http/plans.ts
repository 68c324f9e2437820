// REST reads of the promotion plan (Art. 6) and education (Art. 8): plans, training plans, coverage per
// unit, the employees not yet covered. (Their commands come from the catalogue, src/http/commands.ts.)
import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { FastifyRequest } from 'fastify'
import { FiscalYearParam } from '../application/plans.js'
import { NotFoundError } from '../domain/shared/errors.js'
import { tokyoDate } from '../domain/shared/fiscal-year.js'
import { calendarDate, localId } from '../domain/shared/values.js'
import { getPlan, listPlans } from '../projections/plans-queries.js'
import { getTrainingPlan, trainingCoverage, uncoveredEmployees } from '../projections/training-queries.js'
import { principalOf, requireAuth } from './auth.js'
import { awaitPosition, Paging, page, MinPosition, readableAgencies, readableAgency, type ReadRoutesOptions } from './reads.js'

const AgencyQuery = z.object({
  agencyId: z.string().max(63).optional().describe('a body under your national organ (default: your agency)'),
  minPosition: MinPosition,
})
const YearParams = z.object({ fiscalYear: FiscalYearParam })
const AsOf = calendarDate.optional().describe('the day coverage is judged on (default: today in Japan)')

export const planReadRoutes: FastifyPluginAsyncZod<ReadRoutesOptions> = async (app, opts) => {
  const { pool, clock } = opts.services
  app.addHook('onRequest', requireAuth(pool, clock))
  const today = () => tokyoDate(clock.now().toISOString())
  /** Waits for the read models the answer comes from, then picks the one agency asked about. */
  const agencyOf = async (request: FastifyRequest, q: z.infer<typeof AgencyQuery>, projections: string[]) => {
    const principal = principalOf(request)
    for (const projection of projections) await awaitPosition(opts, projection, principal.agencyId, q.minPosition)
    return readableAgency(opts, principal, q.agencyId, 'querystring/agencyId')
  }

  app.get('/plans', {
    schema: {
      tags: ['plans'], summary: 'Promotion plans you can see, newest fiscal year first (paged)',
      querystring: AgencyQuery.extend({ fiscalYear: FiscalYearParam.optional(), ownerId: localId.optional().describe('plans with an item owned by this employee'), ...Paging }),
    },
  }, async (request) => {
    const q = request.query
    const principal = principalOf(request)
    await awaitPosition(opts, 'plans', principal.agencyId, q.minPosition)
    const agencies = await readableAgencies(opts, principal, q.agencyId, 'querystring/agencyId')
    return page(await listPlans(pool, agencies, { fiscalYear: q.fiscalYear, ownerId: q.ownerId }, today(), q.first, q.after))
  })

  app.get('/plans/:fiscalYear', {
    schema: { tags: ['plans'], summary: 'The promotion plan of a fiscal year: items with owners, due dates, progress; reviews', params: YearParams, querystring: AgencyQuery },
  }, async (request) => {
    const { fiscalYear } = request.params
    const plan = await getPlan(pool, await agencyOf(request, request.query, ['plans']), fiscalYear, today())
    if (!plan) throw new NotFoundError('PlanNotFound', `there is no promotion plan for fiscal year ${fiscalYear}`)
    return plan
  })

  app.get('/training/:fiscalYear', {
    schema: { tags: ['education'], summary: 'The training plan of a fiscal year: courses, audiences, completions so far', params: YearParams, querystring: AgencyQuery },
  }, async (request) => {
    const { fiscalYear } = request.params
    const plan = await getTrainingPlan(pool, await agencyOf(request, request.query, ['training']), fiscalYear)
    if (!plan) throw new NotFoundError('TrainingPlanNotFound', `there is no training plan for fiscal year ${fiscalYear}`)
    return plan
  })

  app.get('/training/:fiscalYear/coverage', {
    schema: {
      tags: ['education'], summary: "Training coverage per unit under the agency's rules, and newcomers overdue, as of a day",
      params: YearParams, querystring: AgencyQuery.extend({ asOf: AsOf }),
    },
  }, async (request) => {
    const agencyId = await agencyOf(request, request.query, ['training', 'organisation', 'agencies'])
    return trainingCoverage(pool, { agencyId, fiscalYear: request.params.fiscalYear, asOf: request.query.asOf ?? today() })
  })

  app.get('/training/:fiscalYear/uncovered', {
    schema: {
      tags: ['education'], summary: 'Employees who miss the yearly training rule or are overdue as newcomers (paged by unit, employee)',
      params: YearParams,
      querystring: AgencyQuery.extend({
        asOf: AsOf, unitId: localId.optional(),
        newcomerOverdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('only (true) or no (false) overdue newcomers'),
        ...Paging,
      }),
    },
  }, async (request) => {
    const q = request.query
    const agencyId = await agencyOf(request, q, ['training', 'organisation', 'agencies'])
    const args = { agencyId, fiscalYear: request.params.fiscalYear, asOf: q.asOf ?? today() }
    return page(await uncoveredEmployees(pool, args, { unitId: q.unitId, newcomerOverdue: q.newcomerOverdue }, q.first, q.after))
  })
}

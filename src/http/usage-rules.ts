// REST reads of system use (Art. 22): the usage rules' versions (newest first, the one in force today
// and the upcoming ones flagged), acknowledgement coverage of the version in force per unit, and the
// employees who have not acknowledged it. "Today" (Japan) comes from the injected clock. (Commands come
// from the catalogue.)
import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { FastifyRequest } from 'fastify'
import { tokyoDate } from '../domain/shared/fiscal-year.js'
import { localId } from '../domain/shared/values.js'
import { listUsageRules, pendingAcknowledgements, usageRulesCoverage } from '../projections/usage-rule-queries.js'
import { principalOf, requireAuth } from './auth.js'
import { awaitPosition, MinPosition, page, Paging, readableAgency, type ReadRoutesOptions } from './reads.js'

const tags = ['usage-rules']
const AgencyQuery = z.object({ agencyId: z.string().max(63).optional().describe('a body under your national organ (default: your agency)'), minPosition: MinPosition })

export const usageRuleReadRoutes: FastifyPluginAsyncZod<ReadRoutesOptions> = async (app, opts) => {
  const { pool, clock } = opts.services
  app.addHook('onRequest', requireAuth(pool, clock))
  const today = () => tokyoDate(clock.now().toISOString())
  /** Waits for the read models the answer comes from, then picks the one agency asked about. */
  const agencyOf = async (request: FastifyRequest, q: z.infer<typeof AgencyQuery>, projections: string[]) => {
    const principal = principalOf(request)
    for (const projection of projections) await awaitPosition(opts, projection, principal.agencyId, q.minPosition)
    return readableAgency(opts, principal, q.agencyId, 'querystring/agencyId')
  }

  app.get('/usage-rules', {
    schema: { tags, summary: 'Versions of the usage rules, newest first (cursor pagination); current: in force today (the latest published with effectiveFrom on or before today, Japan); upcoming: taking effect later', querystring: AgencyQuery.extend(Paging) },
  }, async (request) => {
    const q = request.query
    return page(await listUsageRules(pool, await agencyOf(request, q, ['suppliers']), today(), q.first, q.after))
  })

  app.get('/usage-rules/coverage', {
    schema: { tags, summary: 'How many employees in the agency today acknowledged the usage rules in force today, per unit and in all', querystring: AgencyQuery },
  }, async (request) => usageRulesCoverage(pool, await agencyOf(request, request.query, ['suppliers', 'organisation']), today()))

  app.get('/usage-rules/pending', {
    schema: {
      tags, summary: 'Employees in the agency today who have not acknowledged the usage rules in force today (paged by unit, employee)',
      querystring: AgencyQuery.extend({ unitId: localId.optional(), ...Paging }),
    },
  }, async (request) => {
    const q = request.query
    const agencyId = await agencyOf(request, q, ['suppliers', 'organisation'])
    return page(await pendingAcknowledgements(pool, agencyId, today(), { unitId: q.unitId }, q.first, q.after))
  })
}

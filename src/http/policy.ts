// REST reads of policy documents and risk (Art. 3–4): the policy in force with its coverage of the
// Common Standards, its history, risks, what is due for review, and the Common Standards themselves.
// (The commands are published from the catalogue, src/http/commands.ts.)
import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { FastifyRequest } from 'fastify'
import { RiskRating } from '../domain/risk/commands.js'
import { commonStandardsEdition, editionPublishedOn, StandardsEdition, standardsEditions } from '../domain/shared/common-standards.js'
import { NotFoundError } from '../domain/shared/errors.js'
import { tokyoDate } from '../domain/shared/fiscal-year.js'
import { policyHistory, policyOverview, reviewsDue } from '../projections/policy-queries.js'
import { getRisk, listRisks, toRiskDto } from '../projections/risk-queries.js'
import { principalOf, requireAuth } from './auth.js'
import { awaitPosition, Paging, page, MinPosition, readableAgencies, readableAgency, type ReadRoutesOptions } from './reads.js'

const AgencyQuery = z.object({
  agencyId: z.string().max(63).optional().describe('a body under your national organ (default: your agency)'),
  minPosition: MinPosition,
})
const Flag = z.enum(['true', 'false']).transform((v) => v === 'true')
const Levels = z.string().transform((s, c) => {
  const parsed = z.array(RiskRating).safeParse(s.split(',').map((v) => v.trim()).filter(Boolean))
  if (parsed.success) return parsed.data
  c.addIssue({ code: 'custom', message: 'expected a comma-separated list of LOW, MEDIUM, HIGH' })
  return z.NEVER
}).describe('comma-separated LOW|MEDIUM|HIGH')

export const policyReadRoutes: FastifyPluginAsyncZod<ReadRoutesOptions> = async (app, opts) => {
  const { pool, clock } = opts.services
  app.addHook('onRequest', requireAuth(pool, clock))
  const today = () => tokyoDate(clock.now().toISOString())
  /** Waits for the named read models to reach the caller's position, then picks the agency to read. */
  const agencyOf = async (request: FastifyRequest, q: z.infer<typeof AgencyQuery>, projections: string[]) => {
    const principal = principalOf(request)
    for (const p of projections) await awaitPosition(opts, p, principal.agencyId, q.minPosition)
    return readableAgency(opts, principal, q.agencyId, 'querystring/agencyId')
  }

  app.get('/policy', {
    schema: { tags: ['policy'], summary: 'The basic policy and standards in force, every version, coverage of the Common Standards and baseline gaps, and whether a review is due', querystring: AgencyQuery },
  }, async (request) => policyOverview(pool, await agencyOf(request, request.query, ['policy', 'reviews-due'])))

  app.get('/policy/history', {
    schema: { tags: ['policy'], summary: 'Adoptions and reviews of the policy documents, newest first (paged)', querystring: AgencyQuery.extend(Paging) },
  }, async (request) => {
    const q = request.query
    return page(await policyHistory(pool, await agencyOf(request, q, ['policy']), q.first, q.after))
  })

  app.get('/reviews-due', {
    schema: { tags: ['policy'], summary: 'Whether the policy and the promotion plan are due for review (Art. 3 §2, 4 §6, 6 §3), and why', querystring: AgencyQuery },
  }, async (request) => reviewsDue(pool, await agencyOf(request, request.query, ['reviews-due'])))

  app.get('/risks', {
    schema: {
      tags: ['risk'], summary: 'Risk assessments visible to you, soonest review first (paged)',
      querystring: AgencyQuery.extend({
        level: Levels.optional(), overdue: Flag.optional().describe('true: only active risks past their review date'),
        retired: Flag.optional().describe('true: only retired risks; false: only active ones'), systemId: z.string().max(100).optional(), ...Paging,
      }),
    },
  }, async (request) => {
    const q = request.query
    const principal = principalOf(request)
    await awaitPosition(opts, 'risks', principal.agencyId, q.minPosition)
    const agencies = await readableAgencies(opts, principal, q.agencyId, 'querystring/agencyId')
    const now = today()
    const result = await listRisks(pool, agencies, { level: q.level, overdue: q.overdue, retired: q.retired, systemId: q.systemId }, now, q.first, q.after)
    return page({ ...result, items: result.items.map((r) => toRiskDto(r, now)) })
  })

  app.get('/risks/:id', {
    schema: { tags: ['risk'], summary: 'One risk assessment of your agency (or of a body under your national organ)', params: z.object({ id: z.uuid() }), querystring: z.object({ minPosition: MinPosition }) },
  }, async (request) => {
    const principal = principalOf(request)
    await awaitPosition(opts, 'risks', principal.agencyId, request.query.minPosition)
    const row = await getRisk(pool, await readableAgencies(opts, principal, undefined, 'path/id'), request.params.id)
    if (!row) throw new NotFoundError('RiskNotFound', `no risk ${request.params.id} in the agencies you can see`)
    return toRiskDto(row, today())
  })

  app.get('/common-standards', {
    schema: { tags: ['policy'], summary: 'The Common Standards editions this service knows' },
  }, async () => ({ items: standardsEditions.map((e) => ({ edition: e, publishedOn: editionPublishedOn[e] })) }))

  app.get('/common-standards/:edition', {
    schema: { tags: ['policy'], summary: 'The items of a Common Standards edition ([C] confirmed, [P] common practice) and its baseline', params: z.object({ edition: StandardsEdition }) },
  }, async (request) => commonStandardsEdition(request.params.edition))
}

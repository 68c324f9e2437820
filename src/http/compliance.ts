// Compliance status reads (issue 7 §1): an agency's status per article now or as of an instant, the
// national organ's roll-up, the history of changes, and the rules and duty kinds as data. Any employee of
// the agency reads its status; a national organ also reads the bodies under it. The GraphQL resolvers
// (src/graphql/compliance.ts) use the same functions.
import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { Principal } from '../application/context.js'
import { ValidationError } from '../application/errors.js'
import { dutyKinds } from '../domain/compliance/duties.js'
import { complianceRules } from '../domain/compliance/rules.js'
import { COMPLIANCE } from '../projections/compliance.js'
import { agencyCompliance, complianceHistory, complianceRollup, type HistoryFilter } from '../projections/compliance-queries.js'
import { principalOf, requireAuth } from './auth.js'
import { awaitPosition, MinPosition, page, Paging, readableAgencies, readableAgency, type ReadRoutesOptions } from './reads.js'

const tags = ['compliance']
const AgencyId = z.string().max(63).optional().describe('a body under your national organ (default: your agency)')
const AsOf = z.iso.datetime({ offset: true }).optional().describe('an instant (ISO-8601 with offset): the status exactly as it was then; default now')
const Article = z.coerce.number().int().min(3).max(22)

/** The rules and duty kinds as data (README table, GraphQL complianceRules). */
export const rulesTable = () => complianceRules.map(({ evaluate: _e, ...r }) => r)
export const dutyKindTable = () => Object.entries(dutyKinds).map(([kind, k]) => ({ kind, article: k.article, confidence: k.confidence, text: k.text }))

/** What REST and GraphQL share: visibility, read-your-writes, and the asOf check. */
export function complianceReads(opts: ReadRoutesOptions) {
  const { pool, clock } = opts.services
  const checkAsOf = (asOf: string | undefined, path: string): string | undefined => {
    if (asOf === undefined) return undefined
    const instant = new Date(asOf).toISOString()
    if (instant > clock.now().toISOString()) throw new ValidationError(`asOf ${asOf} is in the future; give an instant up to now`, [{ path, message: 'in the future' }])
    return instant
  }
  const caught = async (principal: Principal, minPosition: number | undefined) => {
    await awaitPosition(opts, COMPLIANCE, principal.agencyId, minPosition)
    return principal
  }
  return {
    async status(principal: Principal, args: { agencyId?: string | undefined; asOf?: string | undefined; minPosition?: number | undefined }, path: { agencyId: string; asOf: string }) {
      const asOf = checkAsOf(args.asOf, path.asOf)
      const agency = await readableAgency(opts, await caught(principal, args.minPosition), args.agencyId, path.agencyId)
      return agencyCompliance(pool, agency, clock.now().toISOString(), asOf)
    },
    async rollup(principal: Principal, args: { asOf?: string | undefined; minPosition?: number | undefined }, path: { asOf: string }) {
      const asOf = checkAsOf(args.asOf, path.asOf)
      const agencies = await readableAgencies(opts, await caught(principal, args.minPosition), undefined, 'agencyId')
      return complianceRollup(pool, agencies, clock.now().toISOString(), asOf)
    },
    async history(principal: Principal, args: HistoryFilter & { agencyId?: string | undefined; first: number; after?: string | undefined }, path: { agencyId: string }) {
      const agency = await readableAgency(opts, principal, args.agencyId, path.agencyId)
      const { agencyId: _a, first, after, ...filter } = args
      return complianceHistory(pool, agency, filter, first, after)
    },
  }
}

export const complianceReadRoutes: FastifyPluginAsyncZod<ReadRoutesOptions> = async (app, opts) => {
  const { pool, clock } = opts.services
  app.addHook('onRequest', requireAuth(pool, clock))
  const reads = complianceReads(opts)

  app.get('/compliance', {
    schema: {
      tags, summary: "An agency's compliance status per article of the Common Model (3–22) and per own-standards item, now or exactly as it was at asOf, with each reason and the evidence missing or overdue",
      querystring: z.object({ agencyId: AgencyId, asOf: AsOf, minPosition: MinPosition }),
    },
  }, async (request) => reads.status(principalOf(request), request.query, { agencyId: 'querystring/agencyId', asOf: 'querystring/asOf' }))

  app.get('/compliance/rollup', {
    schema: {
      tags, summary: 'Your agency and, for a national organ, every body under it (Art. 4 §4–5), with a summary per article (counts per status and the agencies not compliant)',
      querystring: z.object({ asOf: AsOf, minPosition: MinPosition }),
    },
  }, async (request) => reads.rollup(principalOf(request), request.query, { asOf: 'querystring/asOf' }))

  app.get('/compliance/history', {
    schema: {
      tags, summary: "Changes of an agency's compliance statuses in log order (cursor pagination): each with the event that caused it",
      querystring: z.object({
        agencyId: AgencyId, article: Article.optional(), from: z.iso.datetime({ offset: true }).optional().describe('recorded at or after'),
        to: z.iso.datetime({ offset: true }).optional().describe('recorded before'), ...Paging,
      }),
    },
  }, async (request) => page(await reads.history(principalOf(request), request.query, { agencyId: 'querystring/agencyId' })))

  app.get('/compliance/rules', {
    schema: { tags, summary: 'The compliance rules (one per article: evidence, when not compliant, when not applicable or unknown) and the time-driven duty kinds the scheduler checks' },
  }, async () => ({ rules: rulesTable(), dutyKinds: dutyKindTable() }))
}

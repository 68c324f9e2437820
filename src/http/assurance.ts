// REST reads of the self-check (Art. 10) and audits (Art. 11): a fiscal year's self-check, audits,
// one audit with its findings, open findings across audits, and the assurance status of a fiscal
// year. Visible to the agency and, read-only, to its national organ. (Commands come from the catalogue.)
import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { auditStatuses } from '../domain/audit/decider.js'
import { findingSeverities } from '../domain/audit/commands.js'
import { NotFoundError } from '../domain/shared/errors.js'
import { FiscalYear, fiscalYearOf, tokyoDate } from '../domain/shared/fiscal-year.js'
import { localId } from '../domain/shared/values.js'
import { visibleAgencies } from '../projections/agencies.js'
import { assuranceStatus } from '../projections/assurance-queries.js'
import { findingsOfAudit, getAudit, listAudits, listOpenFindings } from '../projections/audit-queries.js'
import { getSelfCheck } from '../projections/self-check-queries.js'
import { principalOf, requireAuth } from './auth.js'
import { awaitPosition, Paging, csv, bool, page, MinPosition, readableAgencies, readableAgency, type ReadRoutesOptions } from './reads.js'

const tags = ['assurance']
const AgencyId = z.string().max(63).optional().describe('a body under your national organ (default: your agency)')
const Year = z.coerce.number().pipe(FiscalYear)



export const assuranceReadRoutes: FastifyPluginAsyncZod<ReadRoutesOptions> = async (app, opts) => {
  const { pool, clock } = opts.services
  app.addHook('onRequest', requireAuth(pool, clock))
  const today = () => tokyoDate(clock.now().toISOString())
  const caught = async (request: Parameters<typeof principalOf>[0], minPosition: number | undefined) => {
    const principal = principalOf(request)
    await awaitPosition(opts, ['assurance', 'organisation', 'agencies'], principal.agencyId, minPosition)
    return principal
  }

  app.get('/self-checks/:fiscalYear', {
    schema: {
      tags, summary: 'The self-check of a fiscal year: status, participation per unit, non-compliant items, fixes (status NOT_PLANNED when none)',
      params: z.object({ fiscalYear: Year }), querystring: z.object({ agencyId: AgencyId, minPosition: MinPosition }),
    },
  }, async (request) => {
    const principal = await caught(request, request.query.minPosition)
    const agencyId = await readableAgency(opts, principal, request.query.agencyId, 'querystring/agencyId')
    return getSelfCheck(pool, agencyId, request.params.fiscalYear, today())
  })

  app.get('/audits', {
    schema: {
      tags, summary: 'Audits you can see, newest plan first (cursor pagination)',
      querystring: z.object({
        agencyId: AgencyId, fiscalYear: Year.optional(), status: csv(z.enum(auditStatuses), auditStatuses.join('|')).optional(), minPosition: MinPosition, ...Paging,
      }),
    },
  }, async (request) => {
    const q = request.query
    const agencies = await readableAgencies(opts, await caught(request, q.minPosition), q.agencyId, 'querystring/agencyId')
    return page(await listAudits(pool, agencies, { fiscalYear: q.fiscalYear, status: q.status }, today(), q.first, q.after))
  })

  app.get('/audits/:auditId', {
    schema: { tags, summary: 'One audit with its findings and their follow-ups', params: z.object({ auditId: z.uuid() }), querystring: z.object({ minPosition: MinPosition }) },
  }, async (request) => {
    const principal = await caught(request, request.query.minPosition)
    const audit = await getAudit(pool, await visibleAgencies(pool, principal.agencyId), request.params.auditId, today())
    if (!audit) throw new NotFoundError('AuditNotFound', `no audit ${request.params.auditId} in the agencies you can see`)
    return { ...audit, findings: await findingsOfAudit(pool, audit.agencyId, audit.id, today()) }
  })

  app.get('/findings', {
    schema: {
      tags, summary: 'Open (not closed) audit findings across audits, earliest due date first; overdue is judged against today',
      querystring: z.object({
        agencyId: AgencyId, auditId: z.uuid().optional(), unitId: localId.optional(), severity: csv(z.enum(findingSeverities), findingSeverities.join('|')).optional(),
        overdue: bool.optional(), fiscalYear: Year.optional(), minPosition: MinPosition, ...Paging,
      }),
    },
  }, async (request) => {
    const { agencyId, minPosition, first, after, ...filter } = request.query
    const agencies = await readableAgencies(opts, await caught(request, minPosition), agencyId, 'querystring/agencyId')
    return page(await listOpenFindings(pool, agencies, filter, today(), first, after))
  })

  app.get('/assurance/status', {
    schema: {
      tags, summary: 'Self-check and audit status of a fiscal year (default: the current one) for the agency and, for a national organ, each body under it',
      querystring: z.object({ fiscalYear: Year.optional(), agencyId: AgencyId, minPosition: MinPosition }),
    },
  }, async (request) => {
    const principal = await caught(request, request.query.minPosition)
    const agencyId = await readableAgency(opts, principal, request.query.agencyId, 'querystring/agencyId')
    const asOf = today()
    return assuranceStatus(pool, await visibleAgencies(pool, agencyId), request.query.fiscalYear ?? fiscalYearOf(asOf), asOf)
  })
}

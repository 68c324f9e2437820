// Self-check and audit queries (Art. 10–11): the same read models and visibility rule as REST
// (src/http/assurance.ts); lists are Relay connections. Mutations come from the command catalogue.
import { z } from 'zod'
import type { Principal } from '../application/context.js'
import { auditStatuses } from '../domain/audit/decider.js'
import { findingSeverities } from '../domain/audit/commands.js'
import { FiscalYear, fiscalYearOf, tokyoDate } from '../domain/shared/fiscal-year.js'
import { localId } from '../domain/shared/values.js'
import { awaitPosition, readableAgencies, readableAgency } from '../http/reads.js'
import { visibleAgencies } from '../projections/agencies.js'
import { assuranceStatus } from '../projections/assurance-queries.js'
import { findingsOfAudit, getAudit, listAudits, listOpenFindings, type AuditDto, type FindingDto } from '../projections/audit-queries.js'
import { getSelfCheck } from '../projections/self-check-queries.js'
import { principalOf, type GraphqlContext } from './context.js'
import { parseOrFail } from './errors.js'
import type { GraphqlOptions } from './plugin.js'
import { withoutNulls } from './scalars.js'
import { connection } from './connection.js'

const Common = { agencyId: z.string().max(63).optional(), minPosition: z.number().int().min(0).optional() }
const Paging = { first: z.number().int().min(1).max(200).default(50), after: z.string().max(500).optional(), minPosition: Common.minPosition }
const SelfCheckArgs = z.object({ ...Common, fiscalYear: FiscalYear })
const StatusArgs = z.object({ ...Common, fiscalYear: FiscalYear.optional() })
const AuditArgs = z.object({ id: z.string().max(100), minPosition: Common.minPosition })
const AuditsArgs = z.object({
  ...Paging,
  filter: z.object({ agencyId: Common.agencyId, fiscalYear: FiscalYear.optional(), status: z.array(z.enum(auditStatuses)).optional() }).default({}),
})
const FindingsArgs = z.object({
  ...Paging,
  filter: z.object({
    agencyId: Common.agencyId, auditId: z.string().max(100).optional(), unitId: localId.optional(), severity: z.array(z.enum(findingSeverities)).optional(),
    overdue: z.boolean().optional(), fiscalYear: FiscalYear.optional(),
  }).default({}),
})


export function assuranceResolvers(opts: GraphqlOptions) {
  const { pool, clock } = opts.services
  const reads = { services: opts.services, reads: opts.reads, readWaitMs: opts.readWaitMs }
  const today = () => tokyoDate(clock.now().toISOString())
  const parse = <S extends z.ZodType>(schema: S, args: unknown) => parseOrFail(schema, withoutNulls(args), 'arguments')
  const caught = async (ctx: GraphqlContext, minPosition: number | undefined): Promise<Principal> => {
    const principal = principalOf(ctx)
    await awaitPosition(reads, ['assurance', 'organisation', 'agencies'], principal.agencyId, minPosition)
    return principal
  }

  return {
    Query: {
      selfCheck: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const args = parse(SelfCheckArgs, raw)
        const agencyId = await readableAgency(reads, await caught(ctx, args.minPosition), args.agencyId, 'arguments.agencyId')
        return getSelfCheck(pool, agencyId, args.fiscalYear, today())
      },
      audits: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const { filter, first, after, minPosition } = parse(AuditsArgs, raw)
        const agencies = await readableAgencies(reads, await caught(ctx, minPosition), filter.agencyId, 'arguments.filter.agencyId')
        return connection(await listAudits(pool, agencies, filter, today(), first, after))
      },
      audit: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const args = parse(AuditArgs, raw)
        const principal = await caught(ctx, args.minPosition)
        return (await getAudit(pool, await visibleAgencies(pool, principal.agencyId), args.id, today())) ?? null
      },
      openFindings: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const { filter: { agencyId, ...filter }, first, after, minPosition } = parse(FindingsArgs, raw)
        const agencies = await readableAgencies(reads, await caught(ctx, minPosition), agencyId, 'arguments.filter.agencyId')
        return connection(await listOpenFindings(pool, agencies, filter, today(), first, after))
      },
      assuranceStatus: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const args = parse(StatusArgs, raw)
        const agencyId = await readableAgency(reads, await caught(ctx, args.minPosition), args.agencyId, 'arguments.agencyId')
        const asOf = today()
        return assuranceStatus(pool, await visibleAgencies(pool, agencyId), args.fiscalYear ?? fiscalYearOf(asOf), asOf)
      },
    },
    Audit: {
      findings: (audit: AuditDto & { findings?: FindingDto[] }) => audit.findings ?? findingsOfAudit(pool, audit.agencyId, audit.id, today()),
    },
  }
}

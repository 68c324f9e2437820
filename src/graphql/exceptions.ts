// Exception ledger queries (Art. 7): the same read models and visibility rule as REST
// (src/http/exceptions.ts); lists are Relay connections. Mutations come from the command catalogue.
import { z } from 'zod'
import type { Principal } from '../application/context.js'
import { shownExceptionStatuses } from '../domain/exception/state.js'
import { calendarDate, instant, localId } from '../domain/shared/values.js'
import { checkSummaryPeriod } from '../http/exceptions.js'
import { awaitPosition, readableAgencies, readableAgency } from '../http/reads.js'
import { visibleAgencies } from '../projections/agencies.js'
import { exceptionHistory, getException, listExceptions, type ExceptionDto } from '../projections/exception-queries.js'
import { exceptionSummary } from '../projections/exception-summary.js'
import { InvalidCursorError, toTimelineDto } from '../projections/incident-queries.js'
import { principalOf, type GraphqlContext } from './context.js'
import { parseOrFail } from './errors.js'
import type { GraphqlOptions } from './plugin.js'
import { withoutNulls } from './scalars.js'
import { connection } from './connection.js'

const MinPosition = z.number().int().min(0).optional()
const First = z.number().int().min(1).max(200).default(50)
const LedgerArgs = z.object({
  first: First, after: z.string().max(500).optional(), minPosition: MinPosition,
  filter: z.object({
    agencyId: z.string().max(63).optional(), status: z.array(z.enum(shownExceptionStatuses)).optional(), clause: z.string().max(30).optional(),
    applicantId: localId.optional(), activeAt: instant.optional(), overdue: z.boolean().optional(),
  }).default({}),
})
const OneArgs = z.object({ id: z.string().max(100), minPosition: MinPosition })
const SummaryArgs = z.object({ from: calendarDate, to: calendarDate, agencyId: z.string().max(63).optional(), minPosition: MinPosition })
const HistoryArgs = z.object({ first: First, after: z.string().max(20).optional() })


/** History cursors are stream versions. */
function afterVersion(after: string | undefined): number {
  if (after === undefined) return 0
  if (!/^\d{1,9}$/.test(after)) throw new InvalidCursorError('the "after" cursor is not one this service issued; start again without it')
  return Number(after)
}

export function exceptionResolvers(opts: GraphqlOptions) {
  const { pool, clock } = opts.services
  const reads = { services: opts.services, reads: opts.reads, readWaitMs: opts.readWaitMs }
  const now = () => clock.now().toISOString()
  const parse = <S extends z.ZodType>(schema: S, args: unknown) => parseOrFail(schema, withoutNulls(args), 'arguments')
  const caught = async (ctx: GraphqlContext, minPosition: number | undefined): Promise<Principal> => {
    const principal = principalOf(ctx)
    await awaitPosition(reads, 'exceptions', principal.agencyId, minPosition)
    return principal
  }

  return {
    Query: {
      exceptionLedger: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const { filter: { agencyId, ...filter }, first, after, minPosition } = parse(LedgerArgs, raw)
        const agencies = await readableAgencies(reads, await caught(ctx, minPosition), agencyId, 'arguments.filter.agencyId')
        return connection(await listExceptions(pool, agencies, filter, now(), first, after))
      },
      exception: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const args = parse(OneArgs, raw)
        const principal = await caught(ctx, args.minPosition)
        return (await getException(pool, await visibleAgencies(pool, principal.agencyId), args.id, now())) ?? null
      },
      exceptionSummary: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const args = parse(SummaryArgs, raw)
        checkSummaryPeriod(args.from, args.to, 'arguments.to')
        const agencyId = await readableAgency(reads, await caught(ctx, args.minPosition), args.agencyId, 'arguments.agencyId')
        return exceptionSummary(pool, agencyId, args.from, args.to, now())
      },
    },
    Exception: {
      // Visible already: the exception was found through the caller's agencies.
      history: async (exception: ExceptionDto, raw: unknown) => {
        const args = parse(HistoryArgs, raw)
        const page = await exceptionHistory(pool, exception.agencyId, exception.id, args.first, afterVersion(args.after))
        return connection({ ...page, items: page.items.map(toTimelineDto) })
      },
    },
  }
}

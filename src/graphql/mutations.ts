// Mutation resolvers: one per incident command, validated by the command's zod schema and run
// through IncidentService, exactly as the REST routes do.
import { z } from 'zod'
import type { FollowUpType, IncidentResult, IncidentService } from '../application/incidents.js'
import { incidentCommandInputs } from '../domain/incident/commands.js'
import { commandContext, principalOf, type GraphqlContext } from './context.js'
import { parseOrFail } from './errors.js'
import { severityFromGraphql, withoutNulls } from './scalars.js'

/** The mutation field of each follow-up command (typed as a Record, so a new command must be added here). */
const followUpFields: Record<FollowUpType, string> = {
  TriageIncident: 'triageIncident',
  ReportIncidentToCiso: 'reportIncidentToCiso',
  RecordContainment: 'recordContainment',
  NotifyNationalCentre: 'notifyNationalCentre',
  RecordRecovery: 'recordRecovery',
  RecordRootCause: 'recordRootCause',
  ShareLessons: 'shareLessons',
  CloseIncident: 'closeIncident',
  RecordIncidentAction: 'recordIncidentAction',
}

const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,255}$/, '1–255 visible ASCII characters').nullish().transform((v) => v ?? undefined)
const ReportArgs = z.object({ idempotencyKey: IdempotencyKey })
const FollowUpArgs = z.object({ id: z.uuid(), idempotencyKey: IdempotencyKey })

interface MutationArgs {
  id?: string
  input?: Record<string, unknown> | null
  idempotencyKey?: string | null
}

/** GraphQL spelling to domain spelling: nulls mean absent, severities are lowercase. */
function domainInput(input: MutationArgs['input']): unknown {
  const clean = withoutNulls(input ?? {})
  if (typeof clean !== 'object' || clean === null || Array.isArray(clean)) return clean
  const fields: Record<string, unknown> = { ...clean }
  for (const key of ['severity', 'initialSeverity']) {
    const value = fields[key]
    if (typeof value === 'string') fields[key] = severityFromGraphql(value)
  }
  return fields
}

const toCommandResult = (r: IncidentResult) => ({ id: r.incidentId, incidentId: r.incidentId, streamVersion: r.streamVersion, position: r.position, replayed: r.replayed })

type Resolver = (root: unknown, args: MutationArgs, ctx: GraphqlContext) => Promise<ReturnType<typeof toCommandResult>>

export function mutationResolvers(incidents: IncidentService): { Mutation: Record<string, Resolver> } {
  const Mutation: Record<string, Resolver> = {
    reportIncident: async (_root, args, ctx) => {
      const principal = principalOf(ctx)
      const { idempotencyKey } = parseOrFail(ReportArgs, { idempotencyKey: args.idempotencyKey }, 'arguments')
      const input = parseOrFail(incidentCommandInputs.ReportIncident, domainInput(args.input), 'input')
      return toCommandResult(await incidents.report(principal, input, commandContext(ctx, idempotencyKey)))
    },
  }
  for (const [type, field] of Object.entries(followUpFields) as [FollowUpType, string][]) {
    Mutation[field] = async (_root, args, ctx) => {
      const principal = principalOf(ctx)
      const { id, idempotencyKey } = parseOrFail(FollowUpArgs, { id: args.id, idempotencyKey: args.idempotencyKey }, 'arguments')
      const input = parseOrFail(incidentCommandInputs[type], domainInput(args.input), 'input')
      return toCommandResult(await incidents.execute(principal, type, id, input as never, commandContext(ctx, idempotencyKey)))
    }
  }
  return { Mutation }
}

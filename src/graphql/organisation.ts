// Organisation queries: the chart, who may do what, employees, role assignments, delegations.
// (Its mutations come from the command catalogue, src/graphql/commands.ts.)
import { z } from 'zod'
import type { Principal } from '../application/context.js'
import { tokyoDate } from '../domain/shared/fiscal-year.js'
import { Role } from '../domain/shared/roles.js'
import { calendarDate } from '../domain/shared/values.js'
import { awaitPosition, readableAgency } from '../http/reads.js'
import { authorityOn, listDelegations, listEmployees, listRoleAssignments, organisationChart } from '../projections/organisation-queries.js'
import { principalOf, type GraphqlContext } from './context.js'
import { parseOrFail } from './errors.js'
import type { GraphqlOptions } from './plugin.js'
import { withoutNulls } from './scalars.js'
import { connection } from './connection.js'

const AgencyArgs = { agencyId: z.string().max(63).optional(), minPosition: z.number().int().min(0).optional() }
const Paging = { first: z.number().int().min(1).max(200).default(50), after: z.string().max(500).optional() }
const ChartArgs = z.object({ ...AgencyArgs, on: calendarDate.optional() })
const AuthorityArgs = z.object({ ...AgencyArgs, command: z.string().max(100).optional(), on: calendarDate.optional() })
const EmployeeArgs = z.object({ ...AgencyArgs, ...Paging, filter: z.object({ unitId: z.string().max(100).optional(), activeOn: calendarDate.optional() }).default({}) })
const DelegationArgs = z.object({ ...AgencyArgs, ...Paging, filter: z.object({ delegateId: z.string().max(100).optional(), delegatorId: z.string().max(100).optional(), activeOn: calendarDate.optional() }).default({}) })
const AssignmentArgs = z.object({ ...AgencyArgs, ...Paging, filter: z.object({ role: z.array(Role).optional(), employeeId: z.string().max(100).optional(), activeOn: calendarDate.optional() }).default({}) })


export function organisationResolvers(opts: GraphqlOptions) {
  const { pool, clock } = opts.services
  const reads = { services: opts.services, reads: opts.reads, readWaitMs: opts.readWaitMs }
  const today = () => tokyoDate(clock.now().toISOString())
  const agencyOf = async (principal: Principal, args: { agencyId?: string | undefined; minPosition?: number | undefined }) => {
    await awaitPosition(reads, ['organisation', 'agencies'], principal.agencyId, args.minPosition)
    return readableAgency(reads, principal, args.agencyId, 'arguments.agencyId')
  }
  const parse = <S extends z.ZodType>(schema: S, args: unknown) => parseOrFail(schema, withoutNulls(args), 'arguments')

  return {
    Query: {
      organisation: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const args = parse(ChartArgs, raw)
        const chart = await organisationChart(pool, await agencyOf(principalOf(ctx), args), args.on ?? today())
        return chart ?? null
      },
      authority: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const args = parse(AuthorityArgs, raw)
        const items = await authorityOn(pool, await agencyOf(principalOf(ctx), args), args.on ?? today(), args.command)
        return items.map((a) => ({ ...a, roles: a.roles === 'ANY' ? [] : a.roles, anyone: a.roles === 'ANY' }))
      },
      employees: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const args = parse(EmployeeArgs, raw)
        return connection(await listEmployees(pool, await agencyOf(principalOf(ctx), args), args.filter, args.first, args.after))
      },
      roleAssignments: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const args = parse(AssignmentArgs, raw)
        return connection(await listRoleAssignments(pool, await agencyOf(principalOf(ctx), args), args.filter, args.first, args.after))
      },
      delegations: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const args = parse(DelegationArgs, raw)
        return connection(await listDelegations(pool, await agencyOf(principalOf(ctx), args), args.filter, args.first, args.after))
      },
    },
  }
}

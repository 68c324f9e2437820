// REST reads of the organisation: the chart with today's role holders, who may do what, employees,
// role assignments and delegations. (Its commands are published from the catalogue, src/http/commands.ts.)
import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { NotFoundError } from '../domain/shared/errors.js'
import { tokyoDate } from '../domain/shared/fiscal-year.js'
import { Role } from '../domain/shared/roles.js'
import { calendarDate, localId } from '../domain/shared/values.js'
import { authorityOn, listDelegations, listEmployees, listRoleAssignments, organisationChart } from '../projections/organisation-queries.js'
import { principalOf, requireAuth } from './auth.js'
import { awaitPosition, page, Paging, MinPosition, readableAgency, type ReadRoutesOptions } from './reads.js'

const tags = ['organisation']
const AgencyQuery = z.object({
  agencyId: z.string().max(63).optional().describe('a body under your national organ (default: your agency)'),
  minPosition: MinPosition,
})

export const organisationReadRoutes: FastifyPluginAsyncZod<ReadRoutesOptions> = async (app, opts) => {
  const { pool, clock } = opts.services
  app.addHook('onRequest', requireAuth(pool, clock))
  const today = () => tokyoDate(clock.now().toISOString())
  const agencyOf = async (request: Parameters<typeof principalOf>[0], q: z.infer<typeof AgencyQuery>) => {
    const principal = principalOf(request)
    // The chart reads two read models: the organisation and (for the settings) the agencies.
    await awaitPosition(opts, ['organisation', 'agencies'], principal.agencyId, q.minPosition)
    return readableAgency(opts, principal, q.agencyId, 'querystring/agencyId')
  }

  app.get('/organisation', {
    schema: { tags, summary: 'Organisation chart: units, controlled areas, committee and who holds which role on a date', querystring: AgencyQuery.extend({ on: calendarDate.optional() }) },
  }, async (request) => {
    const agencyId = await agencyOf(request, request.query)
    const chart = await organisationChart(pool, agencyId, request.query.on ?? today())
    if (!chart) throw new NotFoundError('AgencyNotFound', `agency ${agencyId} is not registered`)
    return chart
  })

  app.get('/organisation/authority', {
    schema: { tags, summary: 'Who may issue each command today (the rules table and the current role holders)', querystring: AgencyQuery.extend({ command: z.string().max(100).optional(), on: calendarDate.optional() }) },
  }, async (request) => {
    const agencyId = await agencyOf(request, request.query)
    return { items: await authorityOn(pool, agencyId, request.query.on ?? today(), request.query.command) }
  })

  app.get('/organisation/employees', {
    schema: { tags, summary: 'Employees (paged by id)', querystring: AgencyQuery.extend({ unitId: localId.optional(), activeOn: calendarDate.optional(), ...Paging }) },
  }, async (request) => {
    const q = request.query
    const found = await listEmployees(pool, await agencyOf(request, q), { unitId: q.unitId, activeOn: q.activeOn }, q.first, q.after)
    return page(found)
  })

  app.get('/organisation/role-assignments', {
    schema: {
      tags, summary: 'Role assignments, past and present (paged)',
      querystring: AgencyQuery.extend({ role: Role.optional(), employeeId: localId.optional(), activeOn: calendarDate.optional(), ...Paging }),
    },
  }, async (request) => {
    const q = request.query
    const found = await listRoleAssignments(pool, await agencyOf(request, q), { role: q.role ? [q.role] : undefined, employeeId: q.employeeId, activeOn: q.activeOn }, q.first, q.after)
    return page(found)
  })

  app.get('/organisation/delegations', {
    schema: {
      tags, summary: 'Delegations of tasks and role authority (paged)',
      querystring: AgencyQuery.extend({ delegateId: localId.optional(), delegatorId: localId.optional(), activeOn: calendarDate.optional(), ...Paging }),
    },
  }, async (request) => {
    const q = request.query
    const found = await listDelegations(pool, await agencyOf(request, q), { delegateId: q.delegateId, delegatorId: q.delegatorId, activeOn: q.activeOn }, q.first, q.after)
    return page(found)
  })
}

// /healthz: the process answers. /readyz: the database answers, no migration is pending, projections run.
import type { FastifyPluginAsync } from 'fastify'
import type { Kysely } from 'kysely'
import { pendingMigrations } from '../db/migrator.js'
import type { ProjectionStatus } from '../projections/runner.js'

export interface HealthOptions {
  kysely: Kysely<any>
  projections: () => { running: boolean; statuses: ProjectionStatus[] }
}

export const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, opts) => {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }))

  app.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
    const checks: Record<string, { ok: boolean; detail?: unknown }> = {}
    try {
      const pending = await pendingMigrations(opts.kysely)
      checks.database = { ok: true }
      checks.migrations = { ok: pending.length === 0, ...(pending.length ? { detail: { pending } } : {}) }
    } catch (err) {
      // The reason goes to the log, not to an unauthenticated caller.
      request.log.error({ err }, 'readiness: database check failed')
      checks.database = { ok: false, detail: 'unreachable' }
      checks.migrations = { ok: false }
    }
    const { running, statuses } = opts.projections()
    const failing = statuses.filter((s) => s.lastError !== undefined)
    // Skipped (poison) events leave the service ready but are shown, so operators fix and rebuild.
    checks.projections = { ok: running && failing.length === 0, detail: statuses.map(({ name, leased, lastError, skipped }) => ({ name, leased, lastError, skipped })) }
    const ok = Object.values(checks).every((c) => c.ok)
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not ready', checks })
  })
}

// Prometheus metrics at /metrics (bearer METRICS_TOKEN): process defaults, HTTP request durations, events applied and skipped per projection.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { constantTimeEqual } from '../siem/webhook-auth.js'
import { bearerToken } from './auth.js'
import { sendProblem } from './problem.js'

export interface Metrics {
  registry: Registry
  httpDuration: Histogram<'method' | 'route' | 'status'>
  projectionApplied: Gauge<'projection'>
  projectionSkipped: Gauge<'projection'>
}

export function createMetrics(): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  return {
    registry,
    httpDuration: new Histogram({ name: 'http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'route', 'status'], registers: [registry], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] }),
    projectionApplied: new Gauge({ name: 'projection_events_applied', help: 'Events applied by this process, per projection', labelNames: ['projection'], registers: [registry] }),
    projectionSkipped: new Gauge({ name: 'projection_events_skipped', help: 'Events this process could not apply and recorded in projection_failures', labelNames: ['projection'], registers: [registry] }),
  }
}

/** Root-level hook (register on the root instance so it sees every route). */
export function observeRequests(app: FastifyInstance, metrics: Metrics) {
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000)
  })
}

/**
 * `/metrics` for Prometheus. Like every other route but the health probes it needs a bearer token: the
 * METRICS_TOKEN the service was started with (Prometheus: `authorization: { credentials: <token> }`). Without
 * METRICS_TOKEN it answers 401 to everyone: the counters stay closed until someone decides who reads them.
 */
export const metricsRoutes: FastifyPluginAsync<{ metrics: Metrics; token: string | undefined; refresh?: () => void }> = async (app, opts) => {
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const offered = bearerToken(request.headers.authorization)
    if (!opts.token || !offered || !constantTimeEqual(offered, opts.token)) {
      void reply.header('www-authenticate', 'Bearer')
      return sendProblem(request, reply, {
        status: 401, code: 'MetricsTokenRequired', internal: false,
        message: opts.token ? 'send Authorization: Bearer <METRICS_TOKEN>' : 'METRICS_TOKEN is not set on the service: set it, then send Authorization: Bearer <METRICS_TOKEN>',
      })
    }
    opts.refresh?.()
    return reply.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics())
  })
}

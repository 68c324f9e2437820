// Subscription resolvers: a subscriber listens to the topics of the agencies it may see, fixed when
// it subscribes, so another agency's incident never reaches it.
import type pg from 'pg'
import { principalOf, type GraphqlContext } from './context.js'
import { authenticate } from '../application/tokens.js'
import { toSubscriptionError, UnauthorizedError } from './errors.js'
import { incidentTopic, type IncidentFeed } from './incident-feed.js'
import { scopeAgencies } from './queries.js'

export interface SubscriptionDeps {
  pool: pg.Pool
  feed: IncidentFeed
}

/** Yields `source` and releases the feed when the subscriber leaves (mercurius ends the queue then). */
async function* releasing<T>(source: AsyncIterable<T>, release: () => void): AsyncGenerator<T> {
  try {
    yield* source
  } finally {
    release()
  }
}

export function subscriptionResolvers(deps: SubscriptionDeps) {
  return {
    Subscription: {
      incidentChanged: {
        subscribe: async (_root: unknown, args: { agencyId?: string | null }, ctx: GraphqlContext) => {
          try {
            const principal = principalOf(ctx)
            if (ctx.connectionToken !== undefined && !(await authenticate(deps.pool, ctx.connectionToken))) {
              throw new UnauthorizedError('the token of this connection was revoked; reconnect with a valid token')
            }
            const agencies = await scopeAgencies(deps.pool, principal, args.agencyId, 'arguments.agencyId')
            const release = await deps.feed.watch(agencies)
            try {
              return releasing(await ctx.pubsub.subscribe(agencies.map(incidentTopic)), release)
            } catch (err) {
              release()
              throw err
            }
          } catch (err) {
            // mercurius sends subscription errors without the errorFormatter: shape them here.
            throw toSubscriptionError(err, ctx.app.log)
          }
        },
      },
    },
  }
}

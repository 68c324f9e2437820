// Subscription resolvers: a subscriber listens to the topics of the agencies it may see, fixed when
// it subscribes, so another agency's incident never reaches it.
import type pg from 'pg'
import { principalOf, type GraphqlContext } from './context.js'
import { authenticate } from '../application/tokens.js'
import { toSubscriptionError, UnauthorizedError } from './errors.js'
import { incidentTopic, type IncidentFeed } from './incident-feed.js'
import { scopeAgencies } from './queries.js'
import type { ReadModelFeed } from './read-model-feed.js'

export interface SubscriptionDeps {
  pool: pg.Pool
  feed: IncidentFeed
  /** The compliance status feed (src/graphql/compliance.ts). */
  complianceFeed: Pick<ReadModelFeed<unknown>, 'watch'>
}

export const complianceTopic = (agencyId: string) => `COMPLIANCE_CHANGED_${agencyId}`

/**
 * Yields `source` while the subscriber's token stays valid (checked again before a message when the last
 * check is older than 5 s, so a revoked token stops receiving), and releases the feed when it leaves.
 */
async function* releasing<T>(source: AsyncIterable<T>, release: () => void, stillValid: () => Promise<boolean>): AsyncGenerator<T> {
  let checkedAt = Date.now()
  try {
    for await (const item of source) {
      if (Date.now() - checkedAt > 5_000) {
        if (!(await stillValid())) throw new UnauthorizedError('the token of this connection was revoked; reconnect with a valid token')
        checkedAt = Date.now()
      }
      yield item
    }
  } finally {
    release()
  }
}

/** Subscribes the caller to the topics of the agencies it may see (fixed now), through a feed that watches them. */
async function scopedSubscription(deps: { pool: pg.Pool }, feed: Pick<ReadModelFeed<unknown>, 'watch'>, topicOf: (agencyId: string) => string, agencyId: string | null | undefined, ctx: GraphqlContext) {
  try {
    const principal = principalOf(ctx)
    if (ctx.connectionToken !== undefined && !(await authenticate(deps.pool, ctx.connectionToken))) {
      throw new UnauthorizedError('the token of this connection was revoked; reconnect with a valid token')
    }
    const agencies = await scopeAgencies(deps.pool, principal, agencyId, 'arguments.agencyId')
    const release = await feed.watch(agencies)
    try {
      const token = ctx.connectionToken
      // A database hiccup during the check keeps the subscription; the next check decides.
      const stillValid = async () => token === undefined || (await authenticate(deps.pool, token).then((p) => p !== undefined, () => true))
      return releasing(await ctx.pubsub.subscribe(agencies.map(topicOf)), release, stillValid)
    } catch (err) {
      release()
      throw err
    }
  } catch (err) {
    // mercurius sends subscription errors without the errorFormatter: shape them here.
    throw toSubscriptionError(err, ctx.app.log)
  }
}

export function subscriptionResolvers(deps: SubscriptionDeps) {
  return {
    Subscription: {
      incidentChanged: {
        subscribe: (_root: unknown, args: { agencyId?: string | null }, ctx: GraphqlContext) => scopedSubscription(deps, deps.feed, incidentTopic, args.agencyId, ctx),
      },
      complianceStatusChanged: {
        subscribe: (_root: unknown, args: { agencyId?: string | null }, ctx: GraphqlContext) => scopedSubscription(deps, deps.complianceFeed, complianceTopic, args.agencyId, ctx),
      },
    },
  }
}

// Projections with effects: they run in their own runner (small batches) and are never rebuilt from
// position 0, because replaying them would act again (open incidents, queue deliveries to subscribers).
//   - reactions run commands for events (at least once; each command carries an Idempotency-Key derived
//     from the event it reacts to, so a repeat appends nothing);
//   - an outbox writes rows that a worker acts on, in the same transaction as its checkpoint (exactly once).
import type { Projection } from '../projections/types.js'
import type { Services } from './command-runner.js'
import { alertCorrelationReaction } from './alert-correlation.js'
import { webhookOutboxProjection } from '../projections/webhook-outbox.js'
// (each reaction's module is imported above this line)

/** The runner's lease names are the projection names: never the same as a read model's. */
export function reactionProjections(services: Services): Projection[] {
  return [
    alertCorrelationReaction(services),
    webhookOutboxProjection,
    // (each reaction is listed above this line)
  ]
}

/** Events per batch: a reaction may append several commands per event, so batches stay short under the lease. */
export const REACTION_BATCH_SIZE = 100

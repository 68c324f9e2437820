// What another agency provided to this one, read from the provider's asset stream (by reference:
// agency + asset id): the last provision to the receiver, with what travelled with it.
import type { Provision } from './commands.js'
import type { InformationEvent } from './events.js'

export function provisionTo(events: readonly InformationEvent[], fromAgencyId: string, assetId: string, toAgencyId: string): Provision | undefined {
  let found: Provision | undefined
  for (const e of events) {
    if (e.type !== 'InformationStepRecorded' || e.data.details.step !== 'PROVIDE' || e.data.details.toAgencyId !== toAgencyId || !e.data.marking) continue
    const { title, medium, classes, restrictions } = e.data.marking
    found = { fromAgencyId, assetId, stepId: e.data.stepId, title, medium, classes, restrictions, providedBy: e.data.by, providedAt: e.data.at }
  }
  return found
}

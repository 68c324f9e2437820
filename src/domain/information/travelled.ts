// What travelled with received information is a floor for the receiver (Art. 13 §3): the classes and
// restrictions the providing agency attached stay with the asset taken in and with its copies. The
// receiver's decider may add restrictions and raise classes; lowering or lifting them is the provider's
// decision, so it is refused here (InheritedMarking) rather than recorded.
import { DomainError } from '../shared/errors.js'
import type { Classes } from './classification.js'
import type { Travelled } from './events.js'
import type { StoredRestriction } from './restrictions.js'

/** A restriction with its parameters, independent of member order and absent members. */
const canonical = (r: StoredRestriction) => JSON.stringify(Object.entries(r).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)))

/** The travelled restrictions the new list drops or changes (a changed parameter, e.g. a wider audience, lifts it too). */
export function liftedRestrictions(travelled: Travelled, next: readonly StoredRestriction[]): StoredRestriction[] {
  const kept = new Set(next.map(canonical))
  return travelled.restrictions.filter((r) => !kept.has(canonical(r)))
}

const axes = ['confidentiality', 'integrity', 'availability'] as const

/** The axes the new classes put below what travelled (an axis the asset's medium lacks has no floor). */
export function loweredClasses(travelled: Travelled, next: Classes): { axis: (typeof axes)[number]; travelled: number; given: number }[] {
  return axes.flatMap((axis) => {
    const floor = travelled.classes[axis]
    const given = next[axis]
    return floor !== undefined && given !== undefined && given < floor ? [{ axis, travelled: floor, given }] : []
  })
}

export function requireRestrictionsKept(received: Travelled | undefined, next: readonly StoredRestriction[]): void {
  if (!received) return
  const lifted = liftedRestrictions(received, next)
  if (lifted.length === 0) return
  const codes = lifted.map((r) => r.code)
  throw new DomainError('InheritedMarking', `${codes.join(', ')} travelled with this information from agency ${received.fromAgencyId} (Art. 13 §3): keep them as they travelled and add to them; only ${received.fromAgencyId} lifts them`, {
    fromAgencyId: received.fromAgencyId, restrictions: codes, travelled: received.restrictions,
  })
}

export function requireClassesKept(received: Travelled | undefined, next: Classes): void {
  if (!received) return
  const lowered = loweredClasses(received, next)
  if (lowered.length === 0) return
  throw new DomainError('InheritedMarking', `the classes travelled with this information from agency ${received.fromAgencyId} (Art. 12 §2): ${lowered.map((l) => `${l.axis} stays at least ${l.travelled}`).join(', ')}; raise them if needed, only ${received.fromAgencyId} lowers them`, {
    fromAgencyId: received.fromAgencyId, classes: lowered, travelled: received.classes,
  })
}

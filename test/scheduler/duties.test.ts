// The scheduler's duty block: every registered agency's duties are reconciled in a pass and counted; the
// events come from the service itself (source scheduler); an agency that fails is logged by id and the
// others are still judged; a repeated pass appends nothing.
import t from 'tap'
import { dutiesStreamId } from '../../src/domain/compliance/duties.js'
import type { EventStore } from '../../src/eventstore/types.js'
import { Scheduler } from '../../src/scheduler/scheduler.js'
import { dutyWorld } from '../helpers/duties.js'

const w = await dutyWorld(t, '2025-04-10T10:00:00+09:00')
const { h } = w

/** The app's store, except that appending duties to `agencyId` fails. */
function failingFor(agencyId: string): EventStore {
  return new Proxy(h.store, {
    get(target, prop) {
      if (prop === 'append') {
        return (request: Parameters<EventStore['append']>[0]) => {
          if (request.agencyId === agencyId && request.streamId === dutiesStreamId) return Promise.reject(new Error('disk full'))
          return target.append(request)
        }
      }
      const value = Reflect.get(target, prop, target) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

t.test('a pass reconciles every agency, counts what changed, and logs an agency that fails without stopping', async (t) => {
  await w.register('sch-a', 'sch-bad')
  w.at('2025-04-11T09:00:00+09:00')
  const errors: { obj: object; msg?: string | undefined }[] = []
  const logger = { info() {}, warn() {}, debug() {}, error: (obj: object, msg?: string) => { errors.push({ obj, msg }) } }
  const scheduler = new Scheduler({ services: { store: failingFor('sch-bad'), clock: { now: () => w.now() }, pool: h.db.app.pool }, logger, owner: 'duties' })
  for (const agency of ['sch-a', 'sch-bad']) await h.settle(agency)

  t.match(await scheduler.tick(), { dutiesOverdue: 4, dutiesDischarged: 0 }, "sch-a's four vacant roles")
  t.same((await w.duties('sch-a')).map((d) => `${d.kind}:${d.subjectId}`).sort(), [
    'ROLE_VACANT:AUDIT_OFFICER', 'ROLE_VACANT:CISO', 'ROLE_VACANT:CSIRT_HEAD', 'ROLE_VACANT:GENERAL_SECURITY_OFFICER',
  ])
  t.same(await w.duties('sch-bad'), [])
  t.equal(errors.length, 1)
  t.match(errors[0], { obj: { agencyId: 'sch-bad', err: { message: 'disk full' } }, msg: /compliance duties failed/ })
  const [first] = (await h.store.readStream('sch-a', dutiesStreamId)).events
  t.match(first?.metadata, { actor: { id: 'scheduler' }, source: 'scheduler', commandType: 'ReconcileDuties' })

  for (const agency of ['sch-a', 'sch-bad']) await h.settle(agency)
  t.match(await scheduler.tick(), { dutiesOverdue: 0, dutiesDischarged: 0 }, 'a repeated pass appends nothing')
  await h.employee('sch-a', 'boss')
  await h.admin('sch-a', 'assignRole', { employeeId: 'boss', role: 'CISO', from: '2025-04-11' })
  await h.settle('sch-a')
  t.match(await scheduler.tick(), { dutiesOverdue: 0, dutiesDischarged: 1 }, 'the CISO was appointed')
  t.equal(errors.length, 3, 'sch-bad failed at each pass')
})

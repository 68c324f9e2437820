// Delivery ids already answered: a redelivery gets the first answer; one being processed is refused for now;
// an abandoned claim (its process died) is taken over after a minute; a released one is processed again.
import t from 'tap'
import { ABANDONED_AFTER_MS, claimDelivery, recordAnswer, releaseDelivery } from '../../src/application/webhook-receipts.js'
import { freshDatabase } from '../helpers/db.js'

const db = await freshDatabase(t)
const pool = db.app.pool
const at = new Date('2026-07-01T10:00:00Z')
const later = (ms: number) => new Date(at.getTime() + ms)

t.test('claim, answer, redeliver', async (t) => {
  t.same(await claimDelivery(pool, 'mof', 'mof.i', 'msg_1', at), { kind: 'new' })
  t.same(await claimDelivery(pool, 'mof', 'mof.i', 'msg_1', later(1_000)), { kind: 'in-progress' })
  await recordAnswer(pool, 'mof', 'mof.i', 'msg_1', { accepted: 1 })
  t.same(await claimDelivery(pool, 'mof', 'mof.i', 'msg_1', later(2_000)), { kind: 'answered', answer: { accepted: 1 } })
  t.same(await claimDelivery(pool, 'mof', 'mof.other', 'msg_1', at), { kind: 'new' }, 'ids are per integration')
})

t.test('a released claim is processed again; an abandoned one is taken over', async (t) => {
  t.same(await claimDelivery(pool, 'mof', 'mof.i', 'msg_2', at), { kind: 'new' })
  await releaseDelivery(pool, 'mof', 'mof.i', 'msg_2')
  t.same(await claimDelivery(pool, 'mof', 'mof.i', 'msg_2', at), { kind: 'new' })
  t.same(await claimDelivery(pool, 'mof', 'mof.i', 'msg_2', later(ABANDONED_AFTER_MS)), { kind: 'in-progress' }, 'not yet')
  t.same(await claimDelivery(pool, 'mof', 'mof.i', 'msg_2', later(ABANDONED_AFTER_MS + 1)), { kind: 'new' }, 'taken over')
  t.same(await claimDelivery(pool, 'mof', 'mof.i', 'msg_2', later(ABANDONED_AFTER_MS + 2)), { kind: 'in-progress' }, 'by one only')
  await recordAnswer(pool, 'mof', 'mof.i', 'msg_2', { accepted: 2 })
  await releaseDelivery(pool, 'mof', 'mof.i', 'msg_2')
  t.same(await claimDelivery(pool, 'mof', 'mof.i', 'msg_2', later(ABANDONED_AFTER_MS + 3)), { kind: 'answered', answer: { accepted: 2 } }, 'an answered receipt is never released')
})

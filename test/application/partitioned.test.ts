// Partitioned work: items sharing a key (directly or through others) run in order; others run concurrently.
import t from 'tap'
import { partition, runPartitioned } from '../../src/application/partitioned.js'

t.test('items sharing keys, also through other items, fall into one partition, in input order', async (t) => {
  const items = [{ id: 1, k: ['a', 'x'] }, { id: 2, k: ['b'] }, { id: 3, k: ['c', 'x'] }, { id: 4, k: ['c'] }, { id: 5, k: [] }, { id: 6, k: ['b'] }]
  t.same(partition(items, (i) => i.k).map((g) => g.map((i) => i.id)), [[1, 3, 4], [2, 6], [5]])
})

t.test('runPartitioned keeps the order within a partition, overlaps partitions, and answers in input order', async (t) => {
  const log: string[] = []
  let inFlight = 0
  let most = 0
  const results = await runPartitioned(['a1', 'b1', 'a2', 'c1', 'b2'], (s) => [s[0] as string], 8, async (s) => {
    inFlight++
    most = Math.max(most, inFlight)
    log.push(`start ${s}`)
    await new Promise((r) => setTimeout(r, 5))
    log.push(`end ${s}`)
    inFlight--
    return s.toUpperCase()
  })
  t.same(results, ['A1', 'B1', 'A2', 'C1', 'B2'])
  t.ok(log.indexOf('end a1') < log.indexOf('start a2'), 'a2 waits for a1')
  t.ok(log.indexOf('end b1') < log.indexOf('start b2'), 'b2 waits for b1')
  t.equal(most, 3, 'the three partitions ran at once')
})

t.test('the concurrency is a bound, and a failure is thrown after the others settle', async (t) => {
  let inFlight = 0
  let most = 0
  await runPartitioned([1, 2, 3, 4, 5, 6], (n) => [String(n)], 2, async () => {
    inFlight++
    most = Math.max(most, inFlight)
    await new Promise((r) => setTimeout(r, 2))
    inFlight--
  })
  t.equal(most, 2)
  const done: number[] = []
  await t.rejects(runPartitioned([1, 2, 3], (n) => [String(n)], 3, async (n) => {
    await new Promise((r) => setTimeout(r, n))
    if (n === 1) throw new Error('boom')
    done.push(n)
  }), { message: 'boom' })
  t.same(done.sort(), [2, 3], 'the others finished')
})

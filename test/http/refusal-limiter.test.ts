// A flood of refused deliveries: the first 20 a minute per integration and address are recorded one by one,
// the rest counted and recorded with the next one recorded.
import t from 'tap'
import { RefusalLimiter } from '../../src/http/refusal-limiter.js'

t.test('20 a minute recorded, the rest counted and carried to the next recorded one', async (t) => {
  const l = new RefusalLimiter()
  const start = 1_000_000
  const first = Array.from({ length: 25 }, (_, i) => l.take('i', '10.0.0.1', start + i))
  t.equal(first.filter((d) => d.record).length, 20)
  t.same(first.at(-1), { record: false, suppressedBefore: 5 })
  t.same(l.take('i', '10.0.0.2', start + 30), { record: true, suppressedBefore: 0 }, 'another address has its own budget')
  t.same(l.take('j', '10.0.0.1', start + 30), { record: true, suppressedBefore: 0 }, 'another integration too')
  t.same(l.take('i', '10.0.0.1', start + 60_000), { record: true, suppressedBefore: 5 }, 'the next minute: recorded, with the count')
  t.same(l.take('i', '10.0.0.1', start + 60_001), { record: true, suppressedBefore: 0 }, 'the count is carried once')
})

t.test('the table of addresses stays bounded', async (t) => {
  const l = new RefusalLimiter(20, 100)
  for (let i = 0; i < 1_000; i++) l.take('i', `10.0.${i >> 8}.${i & 255}`, i)
  t.ok((l as unknown as { windows: Map<string, unknown> }).windows.size <= 100)
})

// RFC 8785 canonical JSON and the tamper-evident chain, recomputed over what the in-memory store wrote.
import { createHash } from 'node:crypto'
import t from 'tap'
import { incidentDecider, incidentStreamId } from '../../src/domain/incident/index.js'
import { handleCommand } from '../../src/eventstore/handle-command.js'
import { canonicalJson, chainHash, contentHash, GENESIS_HASH } from '../../src/eventstore/hash.js'
import { InMemoryEventStore } from '../../src/eventstore/memory-store.js'
import type { StoredEvent } from '../../src/eventstore/types.js'
import { command, reportData, triageData } from '../helpers/incident-commands.js'

t.test('canonicalJson sorts object keys, at every depth, and keeps array order', async (t) => {
  t.equal(canonicalJson({ b: 1, a: 2 }), '{"a":2,"b":1}')
  t.equal(canonicalJson({ z: { y: 1, x: [{ b: 1, a: 2 }, 3, 1] }, a: null }), '{"a":null,"z":{"x":[{"a":2,"b":1},3,1],"y":1}}')
  t.equal(canonicalJson([3, 1, 2]), '[3,1,2]')
  t.equal(canonicalJson({ b: [], a: {} }), '{"a":{},"b":[]}')
})

t.test('canonicalJson sorts keys by UTF-16 code units (RFC 8785 §3.2.3)', async (t) => {
  const keys = ['\u20ac', '\r', '\ufb33', '1', '\ud83d\ude00', '\u0080', '\u00f6']
  const object = Object.fromEntries(keys.map((k, i) => [k, i]))
  // Not code-point order: U+1F600 comes before U+FB33 because its high surrogate is 0xD83D.
  const sorted = ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']
  t.equal(canonicalJson(object), `{${sorted.map((k) => `${JSON.stringify(k)}:${keys.indexOf(k)}`).join(',')}}`)
})

t.test('canonicalJson leaves out undefined properties and writes undefined array items as null', async (t) => {
  t.equal(canonicalJson({ a: undefined, b: 1, c: { d: undefined } }), '{"b":1,"c":{}}')
  t.equal(canonicalJson([1, undefined, 2]), '[1,null,2]')
  t.equal(canonicalJson([1, , 3]), '[1,null,3]', 'a hole in a sparse array is null too (JSON.stringify does the same), never "[1,,3]"')
  t.equal(canonicalJson({ z: 1, é: 2, A: 3, a: { y: [], x: {} } }), '{"A":3,"a":{"x":{},"y":[]},"z":1,"é":2}', 'nested, empty and non-ASCII keys in code-unit order')
})

t.test('canonicalJson keeps non-ASCII text as-is and escapes only what JSON must', async (t) => {
  t.equal(canonicalJson({ 名前: '情報セキュリティ 😀 é' }), '{"名前":"情報セキュリティ 😀 é"}')
  t.equal(canonicalJson('\u000f\n"\\/'), String.raw`"\u000f\n\"\\/"`)
})

t.test('canonicalJson writes numbers as ECMAScript does', async (t) => {
  t.equal(canonicalJson(1e21), '1e+21')
  t.equal(canonicalJson(1e20), '100000000000000000000')
  t.equal(canonicalJson(-0), '0')
  t.equal(canonicalJson(4.5), '4.5')
  t.equal(canonicalJson(0.002), '0.002')
  t.equal(canonicalJson(1e-7), '1e-7')
  t.equal(canonicalJson(333333333.33333329), '333333333.3333333')
  t.throws(() => canonicalJson(Number.NaN))
  t.throws(() => canonicalJson(Number.POSITIVE_INFINITY))
  t.throws(() => canonicalJson(undefined))
})

t.test('canonicalJson reproduces the RFC 8785 §3.2.2 example', async (t) => {
  const input = String.raw`{
    "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  }`
  const expected = String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`
  t.equal(canonicalJson(JSON.parse(input)), expected)
})

t.test('chainHash is sha256(prev ‖ int8 big-endian position ‖ content hash), as append_events() computes it', async (t) => {
  const content = 'ab'.repeat(32)
  const expected = createHash('sha256')
    .update(Buffer.concat([Buffer.alloc(32), Buffer.from('0000000000000102', 'hex'), Buffer.from(content, 'hex')]))
    .digest('hex')
  t.equal(chainHash(GENESIS_HASH, 258, content), expected)
  t.not(chainHash(GENESIS_HASH, 259, content), expected, 'the position is part of the hash')
})

/** The content of a stored event: everything but its position and hashes. */
function contentOf(e: StoredEvent) {
  const { agencyId, streamId, streamType, streamVersion, eventId, type, schemaVersion, data, metadata, recordedAt } = e
  return { agencyId, streamId, streamType, streamVersion, eventId, type, schemaVersion, data, metadata, recordedAt }
}

/** Recomputes the chain; returns one line per broken link (empty when the chain holds). */
function verifyChain(events: StoredEvent[]): string[] {
  const problems: string[] = []
  let prev = GENESIS_HASH
  for (const e of events) {
    if (e.prevHash !== prev) problems.push(`position ${e.position}: prevHash does not match the previous hash`)
    if (e.hash !== chainHash(e.prevHash, e.position, contentHash(contentOf(e)))) problems.push(`position ${e.position}: hash does not match its content`)
    prev = e.hash
  }
  return problems
}

async function chainedLog(): Promise<StoredEvent[]> {
  const store = new InMemoryEventStore()
  await handleCommand(store, incidentDecider, incidentStreamId('inc-1'), command('ReportIncident', reportData('inc-1')))
  await handleCommand(store, incidentDecider, incidentStreamId('inc-2'), command('ReportIncident', reportData('inc-2')))
  await handleCommand(store, incidentDecider, incidentStreamId('inc-1'), command('TriageIncident', triageData()))
  // Another agency's chain starts at genesis too and must not disturb this one.
  await handleCommand(store, incidentDecider, incidentStreamId('inc-1'), command('ReportIncident', reportData('inc-1'), { agencyId: 'agency-b' }))
  await handleCommand(store, incidentDecider, incidentStreamId('inc-1'), command('RecordIncidentAction', { description: 'called the vendor' }))
  return store.readAgency('agency-a', 0, 100)
}

t.test("the in-memory store's chain verifies by recomputation", async (t) => {
  const events = await chainedLog()
  t.equal(events.length, 4)
  t.equal(events[0]?.prevHash, GENESIS_HASH, 'the first event chains to genesis')
  for (let i = 1; i < events.length; i++) t.equal(events[i]?.prevHash, events[i - 1]?.hash, `prevHash of ${i + 1} is the hash of ${i}`)
  for (const e of events) t.match(e.hash, /^[0-9a-f]{64}$/)
  t.same(verifyChain(events), [])
})

t.test('contentHash ignores key order and fields outside the content', async (t) => {
  const [first] = await chainedLog()
  if (!first) throw new Error('no event')
  const content = contentOf(first)
  const reordered = { ...content, data: Object.fromEntries(Object.entries(content.data).reverse()) }
  t.equal(contentHash(reordered), contentHash(content))
  t.equal(contentHash(first), contentHash(content), 'position and hashes are not content')
})

t.test('changing any data field of any event breaks the chain at that event', async (t) => {
  const events = await chainedLog()
  let tampered = 0
  for (const [i, e] of events.entries()) {
    for (const field of Object.keys(e.data)) {
      const copy = structuredClone(events)
      const target = copy[i]
      if (!target) throw new Error('no event')
      target.data[field] = canonicalJson(target.data[field] ?? null) === '"x"' ? 'y' : 'x'
      t.same(verifyChain(copy), [`position ${e.position}: hash does not match its content`], `${e.type}.data.${field}`)
      tampered++
    }
  }
  t.ok(tampered > 10, 'every data field of every event was tried')
})

t.test('changing metadata, recordedAt or a position breaks the chain too', async (t) => {
  const events = await chainedLog()
  const edits: [string, (e: StoredEvent) => void][] = [
    ['metadata.actor.id', (e) => { e.metadata.actor.id = 'someone-else' }],
    ['recordedAt', (e) => { e.recordedAt = '2026-11-27T10:00:01+09:00' }],
    ['streamVersion', (e) => { e.streamVersion += 1 }],
  ]
  for (const [name, edit] of edits) {
    const copy = structuredClone(events)
    edit(copy[1] as StoredEvent)
    t.not(verifyChain(copy).length, 0, name)
  }
  // Re-hashing a forged event is not enough: the next link still points at the original hash.
  const forged = structuredClone(events)
  const second = forged[1] as StoredEvent
  second.data.title = 'forged'
  second.hash = chainHash(second.prevHash, second.position, contentHash(contentOf(second)))
  t.same(verifyChain(forged), ['position 3: prevHash does not match the previous hash'])
})

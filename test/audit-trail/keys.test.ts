// The public-key registry and the tamper-evidence reads: keys registered once (append-only), published at
// GET /api/audit-trail/keys to any authenticated caller, the saved body (or a PEM) read back by readKeysFile;
// GET /api/audit-trail/digests for the audit readers of the agency and its national organ only, its saved
// pages read back by readDigestsFile; the signing key file (made once by instances starting together, 0600).
import { generateKeyPairSync } from 'node:crypto'
import fs, { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { DigestsFileError, parseDigests, readDigestsFile, sealAgencyNow } from '../../src/audit-trail/digests.js'
import { ensureKeyRegistered, KeysFileError, listKeys, parseKeys, readKeysFile } from '../../src/audit-trail/keys.js'
import { generateSigner, loadSigningKey, signerFromPrivateKey, verifySignature } from '../../src/audit-trail/signing.js'
import { canonicalJson } from '../../src/eventstore/hash.js'
import { startTestApp } from '../helpers/app.js'

const h = await startTestApp(t)
const pool = h.db.app.pool
const dir = mkdtempSync(path.join(tmpdir(), 'audit-keys-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
const file = (name: string, text: string) => {
  const p = path.join(dir, name)
  writeFileSync(p, text)
  return p
}
const get = async (url: string, token?: string) => {
  const res = await h.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} })
  return { status: res.statusCode, body: res.json() }
}

await h.agency('mof')
await h.agency('mof-iaa', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
await h.agency('mic')
const employee = await h.token('mof', [], 'suzuki')
const auditor = await h.token('mof', ['AUDITOR'], 'kato')
const micAuditor = await h.token('mic', ['AUDIT_OFFICER'], 'ito')

t.test('a key is registered once, whatever the number of calls and callers', async (t) => {
  const other = generateSigner()
  await Promise.all([ensureKeyRegistered(pool, other), ensureKeyRegistered(h.db.owner.pool, other), ensureKeyRegistered(pool, other)])
  const keys = await listKeys(pool)
  t.equal(keys.filter((k) => k.keyId === other.keyId).length, 1)
  t.match(keys.find((k) => k.keyId === other.keyId), { algorithm: 'Ed25519', publicKeyPem: other.publicKeyPem, firstUsedAt: /^\d{4}-\d\d-\d\dT.*Z$/ })
  await t.rejects(pool.query('UPDATE signing_keys SET public_key_pem = $1 WHERE key_id = $2', [h.signer.publicKeyPem, other.keyId]), 'the runtime role cannot replace a key')
  await t.rejects(h.db.owner.pool.query('DELETE FROM signing_keys'), /append-only/)
})

t.test('GET /api/audit-trail/keys: any authenticated caller gets every key and the current one', async (t) => {
  t.equal((await get('/api/audit-trail/keys')).status, 401)
  const res = await get('/api/audit-trail/keys', employee)
  t.equal(res.status, 200, 'no particular role needed')
  t.equal(res.body.current, h.signer.keyId)
  t.match(res.body.keys.find((k: { keyId: string }) => k.keyId === h.signer.keyId), { algorithm: 'Ed25519', publicKeyPem: h.signer.publicKeyPem })
  t.equal(res.body.keys.length, 2, "the app's key, registered by the call, and the other test's")

  // The body saved to a file is what a verifier reads; a signature by the service checks with it.
  const keys = readKeysFile(file('keys.json', JSON.stringify(res.body)))
  t.same(keys.map((k) => k.keyId).sort(), res.body.keys.map((k: { keyId: string }) => k.keyId).sort())
  const signed = h.signer.sign('evidence')
  t.ok(verifySignature(keys.find((k) => k.keyId === res.body.current)?.publicKeyPem ?? '', 'evidence', signed))
})

t.test('readKeysFile: a bare PEM (one or several), an array, one entry', async (t) => {
  const a = generateSigner()
  const b = generateSigner()
  t.same(readKeysFile(file('a.pem', a.publicKeyPem)), [{ keyId: a.keyId, algorithm: 'Ed25519', publicKeyPem: a.publicKeyPem }])
  t.same(readKeysFile(file('ab.pem', `${a.publicKeyPem}\n${b.publicKeyPem}`)).map((k) => k.keyId), [a.keyId, b.keyId])
  const entry = { keyId: a.keyId, algorithm: 'Ed25519', publicKeyPem: a.publicKeyPem }
  t.same(readKeysFile(file('array.json', JSON.stringify([entry]))), [entry])
  t.same(readKeysFile(file('entry.json', `\uFEFF${JSON.stringify(entry)}`)), [entry], 'a BOM is fine')
})

t.test('readKeysFile refuses what it cannot trust, saying why', async (t) => {
  const a = generateSigner()
  const b = generateSigner()
  t.throws(() => readKeysFile(path.join(dir, 'missing.json')), { name: 'KeysFileError', message: /cannot read the keys file .*ENOENT/ })
  t.throws(() => parseKeys(JSON.stringify({ keys: [{ keyId: a.keyId, algorithm: 'Ed25519', publicKeyPem: b.publicKeyPem }] })), { message: new RegExp(`labelled ${a.keyId} is ${b.keyId}`) })
  t.throws(() => parseKeys('-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n'), { message: /never the private one/ })
  t.throws(() => parseKeys('-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n'), { message: /not an Ed25519 public key/ })
  t.throws(() => parseKeys('{"keys": []}'), KeysFileError)
  t.throws(() => parseKeys('not json'), { message: /neither JSON .* nor a PEM public key/ })
})

t.test('GET /api/audit-trail/digests: audit readers of the agency and its national organ; signed bodies they can check', async (t) => {
  await sealAgencyNow(pool, h.signer, 'mof', new Date('2026-07-01T00:00:00Z'), { maxEvents: 2 })
  t.match(await get('/api/audit-trail/digests', employee), { status: 403, body: { code: 'Forbidden' } })
  t.match(await get('/api/audit-trail/digests?agencyId=mof', micAuditor), { status: 400 }, 'another agency is not visible')
  const first = await get('/api/audit-trail/digests?first=2', auditor)
  t.equal(first.status, 200)
  t.same(first.body.items.map((d: { seq: number }) => d.seq), [1, 2])
  t.same(first.body.pageInfo, { hasNextPage: true, endCursor: '2' })
  const rest = await get(`/api/audit-trail/digests?first=200&after=${first.body.pageInfo.endCursor}`, auditor)
  t.equal(rest.body.items[0]?.seq, 3, 'keyset paging by seq')
  t.equal(rest.body.pageInfo.hasNextPage, false)
  for (const d of [...first.body.items, ...rest.body.items]) {
    const { digestHash, signature, ...body } = d
    t.ok(verifySignature(h.signer.publicKeyPem, canonicalJson(body), signature), `digest ${d.seq} verifies from the JSON alone`)
    t.match(digestHash, /^[0-9a-f]{64}$/)
  }
  t.match(await get('/api/audit-trail/digests?agencyId=mof-iaa', auditor), { status: 200, body: { items: [] } }, 'the national organ reads a body under it')
})

t.test('saved pages of GET /api/audit-trail/digests, appended to one file or as an array, are what verify --digests reads', async (t) => {
  const page1 = await get('/api/audit-trail/digests?first=2', auditor)
  const page2 = await get(`/api/audit-trail/digests?first=2&after=${page1.body.pageInfo.endCursor}`, auditor)
  const all = [...page1.body.items, ...page2.body.items]
  t.ok(all.length >= 3, 'more than one page')
  for (const d of all) t.match(d, { version: 1, agencyId: 'mof', seq: Number, firstPosition: Number, lastPosition: Number, eventCount: Number, firstEventHash: /^[0-9a-f]{64}$/,
    lastEventHash: /^[0-9a-f]{64}$/, merkleRoot: /^[0-9a-f]{64}$/, previousDigestHash: /^[0-9a-f]{64}$/, createdAt: String, keyId: h.signer.keyId, digestHash: /^[0-9a-f]{64}$/, signature: String })
  const concatenated = readDigestsFile(file('pages.json', `${JSON.stringify(page1.body, null, 2)}\n${JSON.stringify(page2.body)}`))
  t.same(concatenated, all, 'pages one after another')
  t.same(readDigestsFile(file('array.json', JSON.stringify(all.slice().reverse()))), all, 'a JSON array of digests, in any order')
  t.same(parseDigests(`[${JSON.stringify(page1.body)}, ${JSON.stringify(page1.body)}]`), page1.body.items, 'an array of pages; a page saved twice counts once')
  t.same(parseDigests(all.map((d) => JSON.stringify(d)).join('\n')), all, 'one digest per line')
  t.throws(() => readDigestsFile(path.join(dir, 'missing.json')), { name: 'DigestsFileError', message: /cannot read the digests file .*ENOENT/ })
  t.throws(() => parseDigests('{"items": []}'), { message: /no digests in it/ })
  t.throws(() => parseDigests(`${JSON.stringify(page1.body)} {"items": [`), { message: /cut short/ })
  t.throws(() => parseDigests('keys: 1'), { message: /expected a JSON object or array at character 1/ })
  t.throws(() => parseDigests(JSON.stringify([{ ...all[0], merkleRoot: 'xyz' }])), { message: /digest 1 is not one of .* \(merkleRoot: / })
  t.throws(() => parseDigests(JSON.stringify([all[0], { ...all[0], merkleRoot: '0'.repeat(64), digestHash: '1'.repeat(64) }])), DigestsFileError, 'two different digests with one seq')
})

t.test('the signing key file: made 0600 once, the same key after; a second instance that finds it made meanwhile reads it', async (t) => {
  const data = path.join(dir, 'data')
  const first = loadSigningKey(undefined, data)
  const keyFile = path.join(data, 'audit-signing-key.pem')
  t.equal(statSync(keyFile).mode & 0o777, 0o600)
  t.equal(loadSigningKey(undefined, data).keyId, first.keyId, 'read back')
  t.equal(loadSigningKey('', data).keyId, first.keyId, 'an empty AUDIT_SIGNING_KEY is no key')

  // Two instances at once: the second checked for the file before the first had made it (existsSync said no).
  const existsSync = fs.existsSync
  fs.existsSync = () => false
  syncBuiltinESMExports()
  try {
    t.equal(loadSigningKey(undefined, data).keyId, first.keyId, 'no EEXIST: the key the first instance made')
  } finally {
    fs.existsSync = existsSync
    syncBuiltinESMExports()
  }
  t.same(readdirSync(data), ['audit-signing-key.pem'], 'no temporary file left')
})

t.test('a key file group or others may read is refused, naming the file and the fix', async (t) => {
  const data = path.join(dir, 'loose')
  mkdirSync(data)
  const keyFile = path.join(data, 'audit-signing-key.pem')
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  writeFileSync(keyFile, pem, { mode: 0o644 })
  chmodSync(keyFile, 0o644)
  t.throws(() => loadSigningKey(undefined, data), { message: `the audit signing key file ${keyFile} may be read by group or others (mode 0644): run chmod 600 ${keyFile}, or set AUDIT_SIGNING_KEY` })
  t.equal(loadSigningKey(pem, data).keyId, signerFromPrivateKey(pem).keyId, 'AUDIT_SIGNING_KEY set: the file is not used')
  chmodSync(keyFile, 0o600)
  t.equal(loadSigningKey(undefined, data).keyId, signerFromPrivateKey(pem).keyId, 'after chmod 600')
})

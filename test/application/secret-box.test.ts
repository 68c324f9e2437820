// Sealed integration secrets: round trip, bound to their row, a wrong key fails, and the key file is
// created once with mode 0600 (or the key comes from SECRETS_KEY).
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { loadSecretsKey, secretBox } from '../../src/application/secret-box.js'
import { generateSecret } from '../../src/application/integrations.js'

t.test('seal and open', async (t) => {
  const key = Buffer.alloc(32, 7)
  const box = secretBox(key)
  const sealed = box.seal('whsec_abc', 'mof|i|s1')
  t.notOk(sealed.ciphertext.toString('utf8').includes('whsec'), 'not in clear')
  t.equal(box.open(sealed, 'mof|i|s1'), 'whsec_abc')
  t.throws(() => box.open(sealed, 'mic|i|s1'), 'bound to its row')
  t.throws(() => secretBox(Buffer.alloc(32, 8)).open(sealed, 'mof|i|s1'), 'another key cannot open it')
  t.throws(() => secretBox(Buffer.alloc(16)), /32 bytes/)
})

t.test('the key: env first, else a 0600 file created once', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'secrets-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const env = Buffer.alloc(32, 1).toString('base64')
  t.same(loadSecretsKey(env, dir), Buffer.alloc(32, 1))
  const first = loadSecretsKey(undefined, path.join(dir, 'data'))
  t.equal(first.length, 32)
  const file = path.join(dir, 'data', 'secrets.key')
  t.equal(statSync(file).mode & 0o777, 0o600)
  t.same(loadSecretsKey(undefined, path.join(dir, 'data')), first, 'the same key next time')
  t.equal(Buffer.from(readFileSync(file, 'utf8'), 'base64').length, 32)
})

t.test('secrets per auth mode', async (t) => {
  t.match(generateSecret('standard-webhooks'), /^whsec_[A-Za-z0-9+/]{32}$/)
  t.match(generateSecret('basic'), /^integration:[A-Za-z0-9_-]{32}$/)
  t.match(generateSecret('bearer'), /^[A-Za-z0-9_-]{43}$/)
  t.not(generateSecret('url-token'), generateSecret('url-token'))
})

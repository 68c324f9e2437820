// Found in review: names that are members of every JavaScript object (an edition "__proto__", a document
// "constructor") are unknown names, not inherited members; a system in operation keeps a complete ledger entry;
// ECDH over Curve25519 is long enough, as Ed25519 is.
import t from 'tap'
import { cryptrecEdition, currentCryptrecEdition } from '../../../src/domain/shared/cryptrec.js'
import { evaluateCryptoPolicy } from '../../../src/domain/system/index.js'

t.test('an edition is looked up among the known ones only', async (t) => {
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) t.equal(cryptrecEdition(name), undefined, name)
  t.ok(cryptrecEdition(currentCryptrecEdition))
})

t.test('ECDH over Curve25519 (255 bits) passes as Ed25519 does', async (t) => {
  const list = cryptrecEdition(currentCryptrecEdition)!
  const evaluated = evaluateCryptoPolicy({ algorithms: [{ use: 'TLS key exchange', algorithm: 'ECDHE', keyLength: 255 }, { use: 'TLS key exchange', algorithm: 'ECDHE', keyLength: 224 }] }, list)
  t.equal(JSON.stringify(evaluated.algorithms[0]).includes('KEY_TOO_SHORT'), false, '255 is enough')
  t.equal(JSON.stringify(evaluated.algorithms[1]).includes('KEY_TOO_SHORT'), true, '224 is not')
})

// The CRYPTREC list as data and the pure evaluation of a crypto policy against it (Art. 20): a realistic
// policy (AES-256-GCM recommended, SHA-1 monitored only, RSA 1024 too short, MD5 not on the list), how
// composite names are read, and SetCryptoPolicy naming a known edition.
import t from 'tap'
import { cryptoCategories, cryptrecEditions, currentCryptrecEdition, cryptrecLists } from '../../../src/domain/shared/cryptrec.js'
import type { CommandMetadata } from '../../../src/domain/shared/decider.js'
import { componentsOf, evaluateCryptoPolicy, SetCryptoPolicyInput, systemDecider, type SystemEvent } from '../../../src/domain/system/index.js'
import { given } from '../../helpers/given.js'

const list = cryptrecEditions[currentCryptrecEdition]!
const names = (algorithm: string) => componentsOf(algorithm, list).map((c) => [c.name ?? `?${c.text}`, c.keyLength ?? null])

t.test('the list is data: an edition with entries of every list and the e-Government Recommended ciphers of the brief', async (t) => {
  t.equal(list.id, 'CRYPTREC-2022')
  t.match(list, { document: 'CRYPTREC LS-0001-2012R7', publishedOn: '2022-03-30', note: /check them against the official list/ })
  const recommended = list.entries.filter((e) => e.list === 'E_GOVERNMENT_RECOMMENDED').map((e) => e.name)
  for (const name of ['DSA', 'ECDSA', 'EdDSA', 'RSA-PSS', 'RSASSA-PKCS1-v1_5', 'RSA-OAEP', 'DH', 'ECDH', 'AES', 'Camellia', 'KCipher-2', 'SHA-256', 'SHA-384', 'SHA-512',
    'SHA-512/256', 'SHA3-256', 'SHA3-384', 'SHA3-512', 'SHAKE128', 'SHAKE256', 'CBC', 'CFB', 'CTR', 'OFB', 'XTS', 'CCM', 'GCM', 'CMAC', 'HMAC', 'ISO/IEC 9798-2', 'ISO/IEC 9798-3']) {
    t.ok(recommended.includes(name), name)
  }
  t.same(list.entries.filter((e) => e.list === 'MONITORED').map((e) => e.name).slice(0, 2), ['RSAES-PKCS1-v1_5', '3-key Triple DES'])
  t.ok(list.entries.every((e) => cryptoCategories.includes(e.category) && cryptrecLists.includes(e.list)))
  const min = Object.fromEntries(list.entries.map((e) => [e.name, e.minKeyLength]))
  t.same([min['RSA-PSS'], min['RSASSA-PKCS1-v1_5'], min.DSA, min.DH, min.ECDSA, min.ECDH, min.EdDSA, min.AES], [2048, 2048, 2048, 2048, 256, 255, 255, 128], 'RSA/DSA/DH ≥ 2048, ECDSA ≥ 256, Curve25519 (ECDH, EdDSA) 255')
  t.equal(new Set(list.entries.map((e) => e.name)).size, list.entries.length, 'each name once')
})

t.test('a realistic policy: what is recommended passes, everything else is flagged with its reason', async (t) => {
  const evaluation = evaluateCryptoPolicy({
    algorithms: [
      { use: 'data at rest', algorithm: 'AES-256-GCM' },
      { use: 'legacy file checksums', algorithm: 'SHA-1' },
      { use: 'TLS server certificate', algorithm: 'RSA', keyLength: 1024 },
      { use: 'password hashes (old)', algorithm: 'MD5' },
      { use: 'TLS key exchange', algorithm: 'ECDHE P-256' },
      { use: 'API signatures', algorithm: 'HMAC-SHA-256' },
      { use: 'partner link', algorithm: 'CLEFIA-128' },
    ],
  }, list)
  t.equal(evaluation.edition, 'CRYPTREC-2022')
  t.same(evaluation.algorithms.map((a) => [a.algorithm, a.recommended, a.shortfalls.map((s) => s.reason)]), [
    ['AES-256-GCM', true, []],
    ['SHA-1', false, ['MONITORED_ONLY']],
    ['RSA', false, ['KEY_TOO_SHORT']],
    ['MD5', false, ['NOT_ON_LIST']],
    ['ECDHE P-256', true, []],
    ['HMAC-SHA-256', true, []],
    ['CLEFIA-128', false, ['CANDIDATE_ONLY']],
  ])
  t.match(evaluation.algorithms[2]?.shortfalls[0], { reason: 'KEY_TOO_SHORT', keyLength: 1024, minKeyLength: 2048, message: /1024-bit key is below the 2048 bits/ })
  t.match(evaluation.algorithms[3]?.shortfalls[0], { component: 'MD5', message: /not on the CRYPTREC-2022 list/ })
  t.match(evaluation, { fallsShort: true, shortfallCount: 4 })
  t.same(evaluateCryptoPolicy({ algorithms: [{ use: 'u', algorithm: 'AES-128-CBC' }] }, list), {
    edition: 'CRYPTREC-2022', fallsShort: false, shortfallCount: 0,
    algorithms: [{ use: 'u', algorithm: 'AES-128-CBC', keyLength: undefined, recommended: true, shortfalls: [], components: [
      { text: 'AES', name: 'AES', category: 'BLOCK_CIPHER', list: 'E_GOVERNMENT_RECOMMENDED', keyLength: 128 },
      { text: 'CBC', name: 'CBC', category: 'MODE', list: 'E_GOVERNMENT_RECOMMENDED', keyLength: undefined },
    ] }],
  })
})

t.test('names are read without case or separators, and composites are split into their parts', async (t) => {
  t.same(names('sha-256'), [['SHA-256', null]])
  t.same(names('SHA512/256'), [['SHA-512/256', null]])
  t.same(names('RSASSA-PKCS1-v1_5'), [['RSASSA-PKCS1-v1_5', null]])
  t.same(names('3DES'), [['3-key Triple DES', null]])
  t.same(names('RSA-PSS-3072'), [['RSA-PSS', 3072]])
  t.same(names('ECDSA secp384r1 with SHA-384'), [['ECDSA', 384], ['SHA-384', null]])
  t.same(names('Ed25519'), [['EdDSA', 255]])
  t.same(names('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'), [['ECDH', null], ['RSASSA-PKCS1-v1_5', null], ['AES', 128], ['GCM', null], ['SHA-256', null]])
  t.same(names('AES256-CTR'), [['AES', 256], ['CTR', null]])
  t.same(names('ChaCha20-Poly1305'), [['?ChaCha20', null], ['?Poly1305', null]])
  t.same(names('TLS'), [['?TLS', null]], 'a name of nothing is not on the list either')
  const keyed = evaluateCryptoPolicy({ algorithms: [{ use: 'u', algorithm: 'AES-GCM', keyLength: 64 }, { use: 'u', algorithm: 'ECDSA', keyLength: 224 }, { use: 'u', algorithm: 'Ed25519' }] }, list)
  t.same(keyed.algorithms.map((a) => a.shortfalls.map((s) => s.reason)), [['KEY_TOO_SHORT'], ['KEY_TOO_SHORT'], []], 'a key length given beside the name is checked; Ed25519 counts')
})

t.test('SetCryptoPolicy records the policy as given against a known edition', async (t) => {
  const registered: SystemEvent = {
    type: 'SystemRegistered',
    data: { systemId: 'S', name: 'n', purpose: 'p', ownerUnitId: 'u', informationClasses: [], contractorIds: [], internetFacing: false, criticality: 'LOW', documents: [], stage: 'PLANNING', by: 'a', at: '2026-07-01T00:00:00Z' },
  }
  const metadata: CommandMetadata = { actor: { id: 'a', roles: ['CISO'] }, agencyId: 'mof', now: '2026-07-01T01:00:00Z', correlationId: 'c', source: 'api' }
  const input = SetCryptoPolicyInput.parse({ algorithms: [{ use: 'TLS', algorithm: 'MD5' }] })
  t.equal(input.edition, 'CRYPTREC-2022', 'the current edition by default')
  t.same(given(systemDecider, registered).when({ type: 'SetCryptoPolicy', data: { ...input, systemId: 'S' }, metadata }), [{
    type: 'CryptoPolicySet', data: { systemId: 'S', edition: 'CRYPTREC-2022', algorithms: [{ use: 'TLS', algorithm: 'MD5' }], by: 'a', at: '2026-07-01T01:00:00Z' },
  }], 'a policy falling short is still recorded: the evaluation flags it when read')
  t.throws(() => given(systemDecider, registered).when({ type: 'SetCryptoPolicy', data: { ...input, edition: 'CRYPTREC-1999', systemId: 'S' }, metadata }), { code: 'UnknownCryptrecEdition', details: { editions: ['CRYPTREC-2022'] } })
  t.throws(() => given(systemDecider).when({ type: 'SetCryptoPolicy', data: { ...input, systemId: 'S' }, metadata }), { code: 'SystemNotFound' })
  t.notOk(SetCryptoPolicyInput.safeParse({ algorithms: [] }).success, 'at least one algorithm')
})

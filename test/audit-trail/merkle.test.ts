// Merkle trees in the RFC 6962 shape: the published Certificate Transparency reference roots, small trees
// written out by hand, and the streaming builder giving the same root as the recursive definition.
import { createHash } from 'node:crypto'
import t from 'tap'
import { EMPTY_ROOT, leafHash, merkleRoot, MerkleBuilder, nodeHash, splitPoint } from '../../src/audit-trail/merkle.js'

const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest()
const leaf = (d: Buffer) => sha(Buffer.from([0]), d)
const node = (l: Buffer, r: Buffer) => sha(Buffer.from([1]), l, r)
/** 32-byte stand-ins for event hashes. */
const h = (i: number) => sha(Buffer.from(`event ${i}`))
const built = (hashes: Buffer[]) => {
  const b = new MerkleBuilder()
  for (const x of hashes) b.push(x)
  return b
}

t.test('the reference roots of RFC 6962 test data (certificate-transparency, trees of 1 to 8 leaves)', async (t) => {
  const inputs = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((x) => Buffer.from(x, 'hex'))
  const roots = [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', 'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4', '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
    'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c', '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  ]
  roots.forEach((root, i) => {
    t.equal(merkleRoot(inputs.slice(0, i + 1)).toString('hex'), root, `${i + 1} leaves`)
    t.equal(built(inputs.slice(0, i + 1)).root().toString('hex'), root, `${i + 1} leaves, streamed`)
  })
  t.equal(EMPTY_ROOT.toString('hex'), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
  t.equal(new MerkleBuilder().root().toString('hex'), EMPTY_ROOT.toString('hex'))
})

t.test('small trees of event hashes, written out by hand', async (t) => {
  const [a, b, c, d, e] = [h(0), h(1), h(2), h(3), h(4)] as [Buffer, Buffer, Buffer, Buffer, Buffer]
  t.same(leafHash(a), leaf(a), 'leaf = SHA-256(0x00 || hash)')
  t.same(nodeHash(a, b), node(a, b), 'node = SHA-256(0x01 || left || right)')
  t.same(merkleRoot([a]), leaf(a))
  t.same(merkleRoot([a, b]), node(leaf(a), leaf(b)))
  t.same(merkleRoot([a, b, c]), node(node(leaf(a), leaf(b)), leaf(c)), '3 = 2 + 1')
  t.same(merkleRoot([a, b, c, d]), node(node(leaf(a), leaf(b)), node(leaf(c), leaf(d))))
  t.same(merkleRoot([a, b, c, d, e]), node(node(node(leaf(a), leaf(b)), node(leaf(c), leaf(d))), leaf(e)), '5 = 4 + 1')
  t.notSame(merkleRoot([a, b, c]), merkleRoot([a, c, b]), 'order matters')
  t.notSame(merkleRoot([a, b]), leaf(node(leaf(a), leaf(b))), 'a leaf cannot pass for a node (domain separation)')
})

t.test('the split is at the largest power of two below n', async (t) => {
  t.same([2, 3, 4, 5, 7, 8, 9, 100_000].map(splitPoint), [1, 2, 2, 4, 4, 4, 8, 65_536])
})

t.test('the streaming builder gives the recursive root for every size up to 70, and counts', async (t) => {
  const hashes = Array.from({ length: 70 }, (_, i) => h(i))
  for (let n = 1; n <= 70; n++) {
    const b = built(hashes.slice(0, n))
    if (!b.root().equals(merkleRoot(hashes.slice(0, n)))) t.fail(`size ${n}`)
    t.equal(b.count, n)
  }
  const seven = built(hashes.slice(0, 7))
  t.same(seven.root(), node(node(node(leaf(h(0)), leaf(h(1))), node(leaf(h(2)), leaf(h(3)))), node(node(leaf(h(4)), leaf(h(5))), leaf(h(6)))), '7 = 4 + (2 + 1)')
})

// Merkle trees of event hashes in the shape of RFC 6962 §2.1 (Certificate Transparency): leaf =
// SHA-256(0x00 || event hash), node = SHA-256(0x01 || left || right), a list of n > 1 split at the largest
// power of two below n. Pure; digests seal position ranges with the root, verifiers recompute it.
import { hash } from 'node:crypto'

// One-shot crypto.hash over one buffer: measured twice as fast as createHash().update() for these sizes.
const sha256 = (data: Buffer): Buffer => hash('sha256', data, 'buffer')

/** SHA-256(0x00 || event hash bytes). */
export function leafHash(eventHash: Buffer): Buffer {
  const input = Buffer.allocUnsafe(1 + eventHash.length)
  input[0] = 0x00
  eventHash.copy(input, 1)
  return sha256(input)
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  const input = Buffer.allocUnsafe(1 + left.length + right.length)
  input[0] = 0x01
  left.copy(input, 1)
  right.copy(input, 1 + left.length)
  return sha256(input)
}

/** The root of the empty tree: SHA-256 of nothing (RFC 6962); a digest never seals an empty range. */
export const EMPTY_ROOT = sha256(Buffer.alloc(0))

/** The largest power of two strictly below n (n > 1). */
export function splitPoint(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

/** The root over the event hashes in order, by the recursive definition (the whole list in memory). */
export function merkleRoot(eventHashes: readonly Buffer[]): Buffer {
  if (eventHashes.length === 0) return EMPTY_ROOT
  if (eventHashes.length === 1) return leafHash(eventHashes[0] as Buffer)
  const k = splitPoint(eventHashes.length)
  return nodeHash(merkleRoot(eventHashes.slice(0, k)), merkleRoot(eventHashes.slice(k)))
}

/**
 * The same root computed as the hashes stream by, in O(log n) memory: the tree of n leaves is the perfect
 * subtrees of n's binary digits, largest first, joined from the right. So keep a stack of perfect subtrees,
 * merging the two last while they are the same size, and fold the stack from the right at the end.
 * ```ts
 * const b = new MerkleBuilder(); for (const h of hashes) b.push(h); b.root() // equals merkleRoot(hashes)
 * ```
 */
export class MerkleBuilder {
  private readonly stack: { size: number; hash: Buffer }[] = []
  private n = 0

  get count(): number {
    return this.n
  }

  push(eventHash: Buffer): void {
    let top = { size: 1, hash: leafHash(eventHash) }
    for (let last = this.stack.at(-1); last && last.size === top.size; last = this.stack.at(-1)) {
      this.stack.pop()
      top = { size: last.size * 2, hash: nodeHash(last.hash, top.hash) }
    }
    this.stack.push(top)
    this.n++
  }

  root(): Buffer {
    let acc: Buffer | undefined
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const h = (this.stack[i] as { hash: Buffer }).hash
      acc = acc === undefined ? h : nodeHash(h, acc)
    }
    return acc ?? EMPTY_ROOT
  }
}

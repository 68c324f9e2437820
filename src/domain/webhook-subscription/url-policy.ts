// Where a subscription may point (SSRF protection, pure part): an absolute https URL without credentials,
// at most 2000 characters, whose host is not a literal loopback, private, link-local or otherwise
// internal address. Names are resolved and their addresses checked with the same rule by the dispatcher
// at send time (src/outbound), since a name may point anywhere at any time.

export const MAX_WEBHOOK_URL_LENGTH = 2000

export interface UrlPolicy {
  /** Allows http: and internal addresses (local development and tests only: WEBHOOK_ALLOW_INSECURE_URLS). */
  readonly allowInsecure: boolean
}

/** Why `url` may not be used, or undefined when it may. */
export function unsafeUrlReason(url: string, policy: UrlPolicy): string | undefined {
  if (url.length > MAX_WEBHOOK_URL_LENGTH) return `the URL has ${url.length} characters; at most ${MAX_WEBHOOK_URL_LENGTH}`
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'not an absolute URL (https://host/path)'
  }
  if (parsed.protocol !== 'https:' && !(policy.allowInsecure && parsed.protocol === 'http:')) {
    return policy.allowInsecure ? 'use an https: or http: URL' : `use an https: URL (got ${parsed.protocol}); http: is only allowed when the service runs with WEBHOOK_ALLOW_INSECURE_URLS=true`
  }
  if (parsed.username !== '' || parsed.password !== '') return 'the URL must not carry credentials (user:password@); the receiver authenticates us by the signature'
  if (parsed.hostname === '') return 'the URL names no host'
  if (policy.allowInsecure) return undefined
  const kind = internalAddressKind(parsed.hostname)
  return kind === undefined ? undefined : `${parsed.hostname} is a ${kind} address; webhooks go to public addresses only`
}

/**
 * The kind of internal address `host` is (loopback, private, link-local, ...), or undefined for a public
 * address or a name. IPv6 may be given with or without brackets; IPv4-mapped and NAT64 IPv6 addresses are
 * judged by the IPv4 address inside.
 */
export function internalAddressKind(host: string): string | undefined {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
  const v4 = parseIpv4(bare)
  if (v4 !== undefined) return ipv4Kind(v4)
  const v6 = parseIpv6(bare)
  return v6 === undefined ? undefined : ipv6Kind(v6)
}

/** Dotted quad only (a URL's host is already normalized: 0x7f.1 and 2130706433 become 127.0.0.1). */
function parseIpv4(s: string): number[] | undefined {
  const parts = s.split('.')
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined
  return parts.map(Number)
}

const inV4 = (a: readonly number[], net: readonly number[], bits: number) => {
  const value = (x: readonly number[]) => (((x[0] ?? 0) << 24) | ((x[1] ?? 0) << 16) | ((x[2] ?? 0) << 8) | (x[3] ?? 0)) >>> 0
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0
  return ((value(a) & mask) >>> 0) === ((value(net) & mask) >>> 0)
}

const v4Ranges: readonly [readonly number[], number, string][] = [
  [[0, 0, 0, 0], 8, 'unspecified ("this network")'],
  [[10, 0, 0, 0], 8, 'private'],
  [[100, 64, 0, 0], 10, 'shared (carrier-grade NAT)'],
  [[127, 0, 0, 0], 8, 'loopback'],
  [[169, 254, 0, 0], 16, 'link-local'],
  [[172, 16, 0, 0], 12, 'private'],
  [[192, 0, 0, 0], 24, 'reserved (IETF protocol assignments)'],
  [[192, 0, 2, 0], 24, 'documentation'],
  [[192, 88, 99, 0], 24, 'reserved (6to4 relay anycast, deprecated)'],
  [[192, 168, 0, 0], 16, 'private'],
  [[198, 18, 0, 0], 15, 'benchmarking'],
  [[198, 51, 100, 0], 24, 'documentation'],
  [[203, 0, 113, 0], 24, 'documentation'],
  [[224, 0, 0, 0], 4, 'multicast'],
  [[240, 0, 0, 0], 4, 'reserved'],
]

function ipv4Kind(a: readonly number[]): string | undefined {
  return v4Ranges.find(([net, bits]) => inV4(a, net, bits))?.[2]
}

/** Eight 16-bit groups, or undefined when `s` is not an IPv6 address (a zone id `%eth0` is refused). */
function parseIpv6(s: string): number[] | undefined {
  if (!s.includes(':') || s.includes('%')) return undefined
  let text = s
  const tail: number[] = []
  const lastColon = text.lastIndexOf(':')
  const v4 = parseIpv4(text.slice(lastColon + 1))
  if (v4 !== undefined) {
    tail.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0))
    text = `${text.slice(0, lastColon + 1)}0` // a placeholder group, dropped below
  }
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const groups = (h: string) => (h === '' ? [] : h.split(':'))
  const head = groups(halves[0] ?? '')
  const rest = halves.length === 2 ? groups(halves[1] ?? '') : []
  if (![...head, ...rest].every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined
  const parse = (gs: string[]) => gs.map((g) => parseInt(g, 16))
  let left = parse(head)
  let right = parse(rest)
  if (tail.length > 0) {
    if (right.length > 0) right = [...right.slice(0, -1), ...tail]
    else left = [...left.slice(0, -1), ...tail]
  }
  const missing = 8 - left.length - right.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  return [...left, ...Array<number>(Math.max(0, missing)).fill(0), ...right]
}

function ipv6Kind(g: readonly number[]): string | undefined {
  const at = (i: number) => g[i] ?? 0
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0)
  const embeddedV4 = () => [at(6) >> 8, at(6) & 0xff, at(7) >> 8, at(7) & 0xff]
  if (zeroUpTo(8)) return 'unspecified'
  if (zeroUpTo(7) && at(7) === 1) return 'loopback'
  // ::ffff:a.b.c.d (IPv4-mapped) and 64:ff9b::a.b.c.d (NAT64) reach the IPv4 address inside.
  if (zeroUpTo(5) && at(5) === 0xffff) return ipv4Kind(embeddedV4())
  if (at(0) === 0x64 && at(1) === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return ipv4Kind(embeddedV4())
  // 64:ff9b:1::/48 (RFC 8215): NAT64 prefixes for use inside one network, translated by the site's own gateway.
  if (at(0) === 0x64 && at(1) === 0xff9b && at(2) === 1) return 'private (local-use NAT64)'
  if (zeroUpTo(6)) return 'reserved (IPv4-compatible)'
  if (at(0) === 0x100 && g.slice(1, 4).every((x) => x === 0)) return 'reserved (discard-only)'
  // Teredo (2001::/32) tunnels to an IPv4 address hidden in the address itself: refused whole.
  if (at(0) === 0x2001 && at(1) === 0) return 'reserved (Teredo tunnel)'
  if (at(0) === 0x2001 && at(1) === 0x0002 && at(2) === 0) return 'benchmarking'
  if ((at(0) & 0xfe00) === 0xfc00) return 'private (unique local)'
  if ((at(0) & 0xffc0) === 0xfe80) return 'link-local'
  if ((at(0) & 0xffc0) === 0xfec0) return 'site-local'
  if ((at(0) & 0xff00) === 0xff00) return 'multicast'
  if ((at(0) === 0x2001 && at(1) === 0x0db8) || (at(0) === 0x3fff && (at(1) & 0xf000) === 0)) return 'documentation'
  // 6to4 (2002::/16) carries an IPv4 address in its second and third groups.
  if (at(0) === 0x2002) return ipv4Kind([at(1) >> 8, at(1) & 0xff, at(2) >> 8, at(2) & 0xff])
  return undefined
}

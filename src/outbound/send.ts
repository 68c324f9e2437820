// How a delivery leaves the process, and the SSRF check made just before: both injectable, so tests use a
// local receiver or a fake, and the defaults are the only code here that touches the network.
//
// DNS rebinding: the name is resolved ONCE per attempt (resolveTarget), every address is checked, and the
// connection is made to one of exactly those addresses (pinnedSend hands them to the socket through the
// `lookup` option: the name is never resolved again). SNI, certificate check and Host stay the URL's name.
import { lookup as dnsLookup } from 'node:dns/promises'
import http from 'node:http'
import https from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import { internalAddressKind, unsafeUrlReason } from '../domain/webhook-subscription/index.js'

/** An address a name resolved to, checked for this attempt. */
export interface ResolvedAddress { address: string; family: 4 | 6 }

export interface SendRequest {
  url: string
  headers: Record<string, string>
  body: Buffer
  /** For the whole request: connecting, sending and the answer's status line. */
  timeoutMs: number
  /** The only addresses the connection may go to (checked by resolveTarget); the URL's name is not resolved again. */
  addresses: readonly ResolvedAddress[]
}
/** Only the status: the response body is never read (it is the receiver's, and may be large). */
export interface SendResponse { status: number }
export type Send = (request: SendRequest) => Promise<SendResponse>
/** A resolver: every address of a name (A and AAAA). */
export type Lookup = (hostname: string) => Promise<readonly { address: string; family?: number }[]>

/** How long resolving a name may take before the attempt fails. */
export const DNS_TIMEOUT_MS = 5_000

/** Every address the name resolves to (IPv4 and IPv6), as the operating system's resolver answers. */
export const dnsLookupAll: Lookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true })

const bare = (host: string) => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host)
const familyOf = (address: string): 4 | 6 | undefined => {
  const f = isIP(address)
  return f === 4 || f === 6 ? f : undefined
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: `no answer within ${ms} ms` })), ms)
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

export type Target = { addresses: ResolvedAddress[]; refusal?: undefined } | { refusal: string; addresses?: undefined }

/**
 * Where a delivery to `url` may connect, or why it must not be sent now: the URL rule of the domain, then
 * the name is resolved once (at most `dnsTimeoutMs`) and, unless insecure URLs are allowed, every address must
 * be public: a name with any loopback, private, link-local or otherwise internal address is refused, whatever
 * it resolved to when the subscription was made. A literal address is its own (already judged) target.
 */
export async function resolveTarget(url: string, allowInsecure: boolean, lookup: Lookup, dnsTimeoutMs = DNS_TIMEOUT_MS): Promise<Target> {
  const unsafe = unsafeUrlReason(url, { allowInsecure })
  if (unsafe !== undefined) return { refusal: `UnsafeWebhookUrl: ${unsafe}` }
  const host = bare(new URL(url).hostname)
  const literal = familyOf(host)
  if (literal !== undefined) return { addresses: [{ address: host, family: literal }] }
  let answers: readonly { address: string }[]
  try {
    answers = await withTimeout(lookup(host), dnsTimeoutMs)
  } catch (err) {
    return { refusal: `DNS lookup of ${host} failed: ${(err as { code?: string }).code ?? (err instanceof Error ? err.message : String(err))}` }
  }
  if (answers.length === 0) return { refusal: `DNS lookup of ${host} found no address` }
  const addresses: ResolvedAddress[] = []
  for (const { address } of answers) {
    const family = familyOf(address)
    if (family === undefined) return { refusal: `DNS lookup of ${host} answered ${JSON.stringify(String(address).slice(0, 60))}, not an address` }
    const kind = allowInsecure ? undefined : internalAddressKind(address)
    if (kind !== undefined) return { refusal: `UnsafeWebhookUrl: ${host} resolves to ${address}, a ${kind} address; webhooks go to public addresses only` }
    addresses.push({ address, family })
  }
  return { addresses }
}

/** The socket's resolver for one request: only the given addresses, whatever name it is asked about. */
function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses
    if (options.all) {
      process.nextTick(() => (callback as unknown as (err: null, all: ResolvedAddress[]) => void)(null, wanted.map((a) => ({ ...a }))))
      return
    }
    const first = wanted[0]
    process.nextTick(() => (first
      ? callback(null, first.address, first.family)
      : callback(Object.assign(new Error('no checked address of that family'), { code: 'ENOTFOUND' }) as NodeJS.ErrnoException, '', 0)))
  }
}

/**
 * POST with node:http(s) `request` to one of `addresses` (never resolving the name again): no redirects
 * followed (a 3xx is a failed attempt), a fresh connection per request, at most `timeoutMs` for the whole
 * request, and not a byte of the answer's body read.
 */
export const pinnedSend: Send = ({ url, headers, body, timeoutMs, addresses }) => new Promise<SendResponse>((resolve, reject) => {
  const target = new URL(url)
  if (addresses.length === 0) {
    reject(new Error('no checked address to connect to'))
    return
  }
  const host = bare(target.hostname)
  const options: https.RequestOptions = {
    method: 'POST', host, port: target.port === '' ? undefined : Number(target.port), path: `${target.pathname}${target.search}`,
    headers: { ...headers, 'content-length': String(body.length) },
    // A new agent per request: no pooled socket (connected elsewhere) is reused, and the lookup below is used.
    agent: false, lookup: pinnedLookup(addresses),
    // SNI and the certificate check name the URL's host, not the address connected to.
    ...(target.protocol === 'https:' && familyOf(host) === undefined ? { servername: host } : {}),
  }
  let settled = false
  const finish = (fn: () => void) => {
    if (settled) return
    settled = true
    clearTimeout(timer)
    fn()
  }
  const request = (target.protocol === 'https:' ? https.request : http.request)(options, (response) => {
    const status = response.statusCode ?? 0
    response.destroy()
    request.destroy()
    finish(() => resolve({ status }))
  })
  const timer = setTimeout(() => {
    const err = Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'TimeoutError' })
    finish(() => reject(err))
    request.destroy(err)
  }, timeoutMs)
  request.on('error', (err) => finish(() => reject(err)))
  request.end(body)
})

/** A short, secret-free description of a failed request. */
export function describeSendError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string; message?: string } } | null
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs} ms`
  const code = e?.cause?.code ?? e?.code
  if (code) return `request failed: ${code}`
  return `request failed: ${e?.cause?.message ?? (err instanceof Error ? err.message : String(err))}`.slice(0, 300)
}

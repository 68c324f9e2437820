// Pure: what an internet service's recorded measures fall short of (Art. 21): TLS below 1.2 (or none),
// no way for users to tell the service is genuinely the government's, e-mail sent without SPF, DKIM and
// DMARC, and content that lowers the security of users' devices. Derived at read time, never stored.
// The thresholds are recalled practice [R] (TLS 1.2 as the floor, go.jp as the government's domain).
import type { InternetServiceMeasures } from './measure-inputs.js'

export const internetShortfallCodes = ['TLS_DISABLED', 'TLS_BELOW_1_2', 'NO_DOMAIN_AUTHENTICITY', 'MAIL_AUTHENTICATION_MISSING', 'INSECURE_CONTENT'] as const
export type InternetShortfallCode = (typeof internetShortfallCodes)[number]
export interface InternetShortfall { code: InternetShortfallCode; message: string; missing?: string[] | undefined }

/** Domains that by themselves show a government body (the go.jp second-level domain; lg.jp for local government). */
const governmentSuffixes = ['.go.jp', '.lg.jp']
export const isGovernmentDomain = (domain: string) => governmentSuffixes.some((s) => domain === s.slice(1) || domain.endsWith(s))

const tlsOrder = ['1.0', '1.1', '1.2', '1.3'] as const

export function internetServiceShortfalls(domain: string, m: InternetServiceMeasures): InternetShortfall[] {
  const out: InternetShortfall[] = []
  if (!m.tls.enabled) out.push({ code: 'TLS_DISABLED', message: 'the service is offered without TLS; serve it over HTTPS only' })
  else if (m.tls.minVersion === undefined || tlsOrder.indexOf(m.tls.minVersion) < tlsOrder.indexOf('1.2')) {
    out.push({ code: 'TLS_BELOW_1_2', message: `the service accepts TLS ${m.tls.minVersion ?? '(version not recorded)'}; accept TLS 1.2 or later only` })
  }
  const authentic = isGovernmentDomain(domain) || m.domainAuthenticity.dnssec || m.domainAuthenticity.organizationValidatedCertificate === true
  if (!authentic) {
    out.push({ code: 'NO_DOMAIN_AUTHENTICITY', message: `nothing shows users that ${domain} is genuinely yours: use a go.jp domain, sign it with DNSSEC, or use an organisation-validated certificate` })
  }
  const mail = m.domainAuthenticity.mail
  const mailMissing = mail ? (['spf', 'dkim', 'dmarc'] as const).filter((k) => !mail[k]).map((k) => k.toUpperCase()) : []
  if (mailMissing.length > 0) out.push({ code: 'MAIL_AUTHENTICATION_MISSING', message: `mail from ${domain} lacks ${mailMissing.join(', ')}`, missing: mailMissing })
  const c = m.noInsecureContent
  const insecure = [
    ...(c.noPlugins ? [] : ['content needing browser plug-ins']),
    ...(c.noUnsignedDownloads ? [] : ['unsigned downloads']),
    ...(c.noMixedContent === false ? ['resources over plain http'] : []),
  ]
  if (insecure.length > 0) out.push({ code: 'INSECURE_CONTENT', message: `the service offers ${insecure.join(', ')}, which lowers the security of users' devices`, missing: insecure })
  return out
}

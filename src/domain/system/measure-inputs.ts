// Inputs of the measures recorded per system: the cryptographic policy (Art. 20), the operational
// continuity plan and its exercises (Art. 19), and the measures of an internet-facing service (Art. 21).
import { z } from 'zod'
import { currentCryptrecEdition } from '../shared/cryptrec.js'
import { calendarDate, text } from '../shared/values.js'

export const CryptoAlgorithmInput = z.object({
  use: text(300).describe('what the algorithm is used for, e.g. "TLS server certificate", "backup encryption"'),
  algorithm: text(100).describe('as named in the CRYPTREC list or a usual composite, e.g. AES-256-GCM, RSA-PSS, SHA-256, HMAC-SHA-256'),
  keyLength: z.number().int().min(1).max(65_536).optional().describe('key length in bits (RSA, DSA, DH modulus; EC curve size; block cipher key)'),
})
export type CryptoAlgorithmInput = z.output<typeof CryptoAlgorithmInput>

export const SetCryptoPolicyInput = z.object({
  edition: text(50).default(currentCryptrecEdition).describe(`the edition of the CRYPTREC list the policy is checked against (default ${currentCryptrecEdition})`),
  algorithms: z.array(CryptoAlgorithmInput).min(1).max(200).describe('every algorithm the system uses (the full list from now on)'),
})

/** ISO-8601 durations of days, hours and minutes (P1D, PT4H, P1DT12H, PT30M). */
const Duration = z.string().regex(/^P(?=\d|T\d)(\d{1,4}D)?(T(?=\d)(\d{1,4}H)?(\d{1,5}M)?)?$/, 'an ISO-8601 duration of days, hours and minutes, e.g. PT4H or P1D')

export const RecordContinuityPlanInput = z.object({
  version: text(50).describe('the plan version, e.g. 2026-1'),
  recoveryTimeObjective: Duration.optional().describe('target time to restore the service (ISO-8601 duration, e.g. PT4H)'),
  measures: z.array(text(2000)).min(1).max(100).describe('what keeps the system and its security going in an emergency'),
})

export const RecordContinuityExerciseInput = z.object({
  heldOn: calendarDate,
  scenario: text(2000),
  securityMeasuresHeld: z.boolean().describe('whether the security measures held up in the exercise'),
  findings: z.array(text(2000)).max(100).default([]).describe('what the exercise found; findings (or measures that did not hold) make the promotion plan due for review'),
})

export const tlsVersions = ['1.0', '1.1', '1.2', '1.3'] as const

const Domain = z.string().trim().toLowerCase().max(253)
  .regex(/^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/, 'a domain name such as www.example.go.jp')

export const InternetServiceMeasures = z.object({
  tls: z.object({
    enabled: z.boolean(),
    minVersion: z.enum(tlsVersions).optional().describe('the lowest TLS version the service accepts'),
    hsts: z.boolean().optional(),
  }),
  domainAuthenticity: z.object({
    dnssec: z.boolean().describe('the domain is signed with DNSSEC'),
    organizationValidatedCertificate: z.boolean().optional().describe('the server certificate names the organisation (OV/EV)'),
    mail: z.object({ spf: z.boolean(), dkim: z.boolean(), dmarc: z.boolean() }).optional().describe('for a service that sends e-mail from the domain'),
  }).describe('how users can tell the service is genuinely the government\'s (a go.jp domain is recognised from the domain itself)'),
  noInsecureContent: z.object({
    noPlugins: z.boolean().describe('no content that needs browser plug-ins'),
    noUnsignedDownloads: z.boolean().describe('every program offered for download is signed'),
    noMixedContent: z.boolean().optional().describe('no resources loaded over plain http'),
  }).describe("no content that lowers the security of users' devices"),
  notes: text(2000).optional(),
})
export type InternetServiceMeasures = z.output<typeof InternetServiceMeasures>

export const RecordInternetServiceMeasuresInput = z.object({
  serviceName: text(200).describe('the service (recording the same name again replaces its measures)'),
  domain: Domain,
  measures: InternetServiceMeasures,
})

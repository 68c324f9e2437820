// Values of the information-system ledger (Art. 17–18; domain.md §2): stages, criticality, hosting,
// documents and the class labels of the information a system handles.
import { z } from 'zod'
import { calendarDate, localId, text } from '../shared/values.js'

export const systemStages = ['PLANNING', 'PROCUREMENT', 'CONSTRUCTION', 'ACCEPTANCE', 'OPERATION', 'RENEWAL', 'DISPOSAL', 'RETIRED'] as const
export const SystemStage = z.enum(systemStages)
export type SystemStage = z.infer<typeof SystemStage>

export const criticalities = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const
export const Criticality = z.enum(criticalities)
export type Criticality = z.infer<typeof Criticality>

/** Criticalities for which an operational continuity plan is expected (Art. 19): the ledger shows those without one. */
export const continuityCriticalities: readonly Criticality[] = ['HIGH', 'CRITICAL']

export const hostingKinds = ['ON_PREMISES', 'CLOUD', 'HYBRID'] as const
export const HostingKind = z.enum(hostingKinds)

/** Where a system runs; a cloud service says whether it is registered under ISMAP (the government cloud assessment scheme). */
export const Hosting = z.object({
  kind: HostingKind,
  provider: text(200).optional().describe('the cloud provider or data centre operator'),
  service: text(200).optional().describe('the cloud service used'),
  ismapRegistered: z.boolean().optional().describe('whether the cloud service is registered under ISMAP (required for CLOUD and HYBRID)'),
}).superRefine((h, ctx) => {
  if (h.kind !== 'ON_PREMISES' && h.ismapRegistered === undefined) {
    ctx.addIssue({ code: 'custom', path: ['ismapRegistered'], message: 'say whether the cloud service is registered under ISMAP (required for CLOUD and HYBRID)' })
  }
})
export type Hosting = {
  kind: z.infer<typeof HostingKind>
  provider?: string | undefined
  service?: string | undefined
  ismapRegistered?: boolean | undefined
}

export const documentKinds = ['DESIGN', 'OPERATION_MANUAL', 'SECURITY_REQUIREMENTS', 'OTHER'] as const
export const DocumentKind = z.enum(documentKinds)
export type DocumentKind = z.infer<typeof DocumentKind>

/** A document of the system (Art. 17) in one version. Its id defaults to its kind: name one for a second document of a kind. */
export const SystemDocumentInput = z.object({
  documentId: localId.optional().describe('the document (default: its kind, e.g. DESIGN); a new version names the same document'),
  kind: DocumentKind,
  title: text(300),
  version: text(50).describe('the version label, e.g. 1.2'),
  issuedOn: calendarDate,
})
export type SystemDocumentInput = z.output<typeof SystemDocumentInput>

/** An information class label such as C3I2A2 (paper: C only), as incidents and information assets use it. */
export const ClassLabel = z.string().regex(/^C[1-3](I[1-2]A[1-2])?$/, 'a class label like C3I2A2 (or C2 for paper)')

/**
 * The highest class a system handles, axis by axis (C2 and C1I2A2 give C2I2A2); undefined when it handles
 * none yet. Derived wherever it is shown or filtered, never stored in an event.
 */
export function highestClass(labels: readonly string[]): { label: string; confidentiality: number } | undefined {
  if (labels.length === 0) return undefined
  const axis = (re: RegExp) => Math.max(0, ...labels.map((l) => Number(re.exec(l)?.[1] ?? 0)))
  const c = axis(/C(\d)/)
  const i = axis(/I(\d)/)
  const a = axis(/A(\d)/)
  return { label: `C${c}${i > 0 ? `I${i}` : ''}${a > 0 ? `A${a}` : ''}`, confidentiality: c }
}

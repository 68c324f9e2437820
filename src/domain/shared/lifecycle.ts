// The steps of information's life (Art. 14) and the rules each recorded step is checked against
// (domain.md §5). Rule codes are stable: a refused step answers with the rule's code, and an exception
// (Art. 7) names the rule codes it permits. Several rules are recalled practice [R]: kept as data here so
// that an agency's correction is a data change.
import { z } from 'zod'

export const lifecycleSteps = ['CREATE', 'OBTAIN', 'COPY', 'USE', 'SAVE', 'PUBLISH', 'PROVIDE', 'CARRY', 'SEND', 'DELETE'] as const
export const LifecycleStep = z.enum(lifecycleSteps)
export type LifecycleStep = z.infer<typeof LifecycleStep>

export interface LifecycleRule {
  step: LifecycleStep
  /** The Common Standards item the rule comes from (what an exception approver's designation names). */
  clause: string
  confidence: 'S' | 'C' | 'P' | 'R'
  text: string
}

export const lifecycleRules = {
  NoCopy: { step: 'COPY', clause: '3.1.1', confidence: 'P', text: 'NO_COPY forbids copying' },
  CopyWithoutPermission: { step: 'COPY', clause: '3.1.1', confidence: 'P', text: 'COPY_NEEDS_PERMISSION: a copy needs the permission of the responsible officer' },
  C3OutsideControlledArea: { step: 'USE', clause: '3.2.1', confidence: 'R', text: 'C3 information used outside a controlled area needs the permission of the responsible officer' },
  UnencryptedSave: { step: 'SAVE', clause: '3.1.1', confidence: 'R', text: 'information needing confidentiality (C2 or higher) saved on external media is encrypted where ENCRYPTION_REQUIRED applies' },
  PublishNotC1: { step: 'PUBLISH', clause: '3.1.1', confidence: 'R', text: 'only C1 information is published' },
  NoDistribution: { step: 'PROVIDE', clause: '3.1.1', confidence: 'S', text: 'NO_DISTRIBUTION forbids providing it to others' },
  DistributionWithoutPermission: { step: 'PROVIDE', clause: '3.1.1', confidence: 'P', text: 'DISTRIBUTION_NEEDS_PERMISSION: providing needs the permission of the responsible officer' },
  AudienceLimited: { step: 'PROVIDE', clause: '3.1.1', confidence: 'P', text: 'AUDIENCE_LIMITED: only the named audience may receive it (the agency it is provided to, or the recipient when no agency is named)' },
  NoTakeOut: { step: 'CARRY', clause: '3.1.1', confidence: 'P', text: 'NO_TAKE_OUT forbids carrying it out' },
  UnsafeCarry: { step: 'CARRY', clause: '3.1.1', confidence: 'R', text: 'information needing confidentiality (C2 or higher) is carried by a safe method (encrypted media, sealed)' },
  NoSend: { step: 'SEND', clause: '3.1.1', confidence: 'P', text: 'NO_SEND forbids sending it' },
  NoForward: { step: 'SEND', clause: '3.1.1', confidence: 'P', text: 'NO_FORWARD forbids forwarding: sending on information received from another agency (or a copy of it), or what the caller says is forwarded' },
  UnencryptedSend: { step: 'SEND', clause: '3.1.1', confidence: 'R', text: 'ENCRYPTION_REQUIRED, or C2 or higher sent outside the government, needs encryption' },
  // Sending outside the government distributes it as providing does. Own codes rather than NoDistribution
  // etc. with two steps: a rule has exactly one step, so an exception permits sending without permitting providing.
  SendNoDistribution: { step: 'SEND', clause: '3.1.1', confidence: 'P', text: 'NO_DISTRIBUTION forbids sending it outside the government' },
  SendDistributionWithoutPermission: { step: 'SEND', clause: '3.1.1', confidence: 'P', text: 'DISTRIBUTION_NEEDS_PERMISSION: sending it outside the government needs the permission of the responsible officer' },
  SendAudienceLimited: { step: 'SEND', clause: '3.1.1', confidence: 'P', text: 'AUDIENCE_LIMITED: only the named audience may be sent it' },
  NoDelete: { step: 'DELETE', clause: '3.1.1', confidence: 'P', text: 'NO_DELETE forbids deleting it' },
  RetentionNotOver: { step: 'DELETE', clause: '3.1.1', confidence: 'P', text: 'RETAIN_UNTIL: it is kept until the date' },
  // How disposed media were handled is not a rule an exception lifts: it is required input (MediaDisposalMissing, 422).
  RecoverableErasure: { step: 'DELETE', clause: '3.1.1', confidence: 'R', text: 'deletion makes the information irrecoverable' },
} as const satisfies Record<string, LifecycleRule>

export type LifecycleRuleCode = keyof typeof lifecycleRules
export const lifecycleRuleCodes = Object.keys(lifecycleRules) as LifecycleRuleCode[]
export const LifecycleRuleCode = z.enum(lifecycleRuleCodes as [LifecycleRuleCode, ...LifecycleRuleCode[]])

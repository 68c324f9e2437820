// The one catalogue of error codes: HTTP status and how to fix. REST (problem+json) and GraphQL
// (extensions.code) both answer from it; the README's error table reproduces it.
import { DomainError, ForbiddenError, NotFoundError } from '../domain/shared/errors.js'
import { ConcurrencyError, IdempotencyKeyReusedError } from '../eventstore/errors.js'

export const errorCatalogue = {
  ValidationFailed: { status: 400, fix: 'Correct the fields listed in `errors` (path and message) and send again.' },
  InvalidCursor: { status: 400, fix: 'Pass a cursor from an earlier page of the same list, or none to start at the beginning.' },
  Unauthorized: { status: 401, fix: 'Send `Authorization: Bearer <token>` with a token from `npm run admin -- token create`.' },
  MetricsTokenRequired: { status: 401, fix: 'Send `Authorization: Bearer <METRICS_TOKEN>`, the token the service was started with (set `METRICS_TOKEN` if it is not set); API tokens do not open /metrics.' },
  Forbidden: { status: 403, fix: 'Ask for a token with one of the roles the message names.' },
  NotFound: { status: 404, fix: 'Check the path and the id; you only see your own agency (and, for a national organ, the bodies under it).' },
  IncidentNotFound: { status: 404, fix: 'Check the incident id; it must belong to your agency.' },
  AgencyNotFound: { status: 404, fix: 'Register the agency first: `npm run admin -- agency create`.' },
  ConcurrencyConflict: { status: 409, fix: 'Someone changed the same record at the same time; read it again and retry.' },
  IncidentTransitionNotAllowed: { status: 409, fix: 'Do the step the message names first (the incident lifecycle is ordered).' },
  IncidentAlreadyExists: { status: 409, fix: 'Report a new incident without reusing an id.' },
  AlreadyNotified: { status: 409, fix: 'The national centre was already notified; record further contact as an action.' },
  NotificationMissing: { status: 409, fix: 'Notify the national centre (NotifyNationalCentre) before closing.' },
  SeverityRequired: { status: 409, fix: 'Give a severity when assessing the report as an incident.' },
  DetectedInFuture: { status: 409, fix: 'detectedAt must not be later than now; check the time zone offset.' },
  AgencyAlreadyExists: { status: 409, fix: 'Choose another agency id, or use the existing agency.' },
  ParentRequired: { status: 409, fix: 'Give the national administrative organ the body sits under (--parent).' },
  ParentNotAllowed: { status: 409, fix: 'Leave out the parent for a national administrative organ.' },
  ParentNotFound: { status: 409, fix: 'Register the parent agency first.' },
  ParentNotNationalOrgan: { status: 409, fix: 'The parent must be a national administrative organ.' },
  UnknownAgency: { status: 422, fix: 'Name an agency that is registered (and visible to you).' },
  UnknownUnit: { status: 422, fix: 'Create the unit first (POST /api/organisation/units), or check its code.' },
  UnknownArea: { status: 422, fix: 'Define the area first (POST /api/organisation/areas), or check its id.' },
  UnknownScope: { status: 422, fix: 'The unit or area named in the scope does not exist in your agency; create it first.' },
  UnknownEmployee: { status: 422, fix: 'Register the employee in your agency first; employees of other agencies cannot be named.' },
  ScopeNotAllowed: { status: 422, fix: 'Use a scope kind the role takes (the message lists them).' },
  InvalidPeriod: { status: 422, fix: 'Make the period end on or after the day it starts (and after the dates it follows).' },
  UnitAlreadyExists: { status: 409, fix: 'Choose another unit code.' },
  AreaAlreadyExists: { status: 409, fix: 'Choose another area id, or record new measures on the existing area.' },
  EmployeeAlreadyExists: { status: 409, fix: 'The employee is registered; transfer them instead.' },
  EmployeeDeparted: { status: 409, fix: 'The employee has left the agency; name a current employee.' },
  AlreadyInUnit: { status: 409, fix: 'The employee is already in that unit.' },
  RoleTermOverlap: { status: 409, fix: 'One holder at a time: end the current term (EndRoleAssignment) or start the new term after it.' },
  DuplicateAssignment: { status: 409, fix: 'The employee already holds that role for that scope in the period.' },
  AssignmentNotFound: { status: 404, fix: 'Check the assignment id (see the organisation chart).' },
  AssignmentAlreadyEnded: { status: 409, fix: 'The assignment already ends on or before that day.' },
  ChairListedAsMember: { status: 422, fix: 'List the chair only as chairId, not among the members.' },
  DuplicateMember: { status: 422, fix: 'List each member once.' },
  SelfDelegation: { status: 422, fix: 'Delegate to someone else.' },
  DelegationBeyondOwnRoles: { status: 403, fix: 'Delegate only the authority of a role you hold today.' },
  DelegationAlreadyExists: { status: 409, fix: 'Use a new delegation.' },
  DelegationNotFound: { status: 404, fix: 'Check the delegation id.' },
  DelegationAlreadyEnded: { status: 409, fix: 'The delegation already ends on or before that day.' },
  SelfAssignment: { status: 403, fix: 'Ask the CISO (or another officer) to assign you the role.' },
  IncompatibleRoles: { status: 409, fix: 'The employee holds a role that must not be combined with this one (Common Standards 2.1.1(8)); end it first or choose someone else.' },
  NotDelegator: { status: 403, fix: 'Ask the person who delegated it (or the CISO or general security officer) to end it.' },
  CisoAppointmentReserved: { status: 403, fix: 'CISO and deputy CISO terms are recorded by the CISO, or by the operator with `npm run admin -- role assign`.' },
  VersionAlreadyAdopted: { status: 409, fix: 'Give the new basic policy or standards version a name not used before (see GET /api/policy/history).' },
  AdoptionDateInFuture: { status: 422, fix: 'Record an adoption on or after the day it happens: adoptedOn must not be after today (Japan time).' },
  AdoptionOutOfOrder: { status: 409, fix: 'Versions are adopted in date order: adoptedOn must not be before the version in force (nor, for standards, before the basic policy).' },
  ParentPolicyRequired: { status: 422, fix: "Give parentPolicyVersion: the version of your national organ's adopted basic policy that this one follows." },
  ParentPolicyNotAllowed: { status: 422, fix: 'Leave out parentPolicyVersion: a national administrative organ follows no parent policy.' },
  UnknownParentPolicy: { status: 422, fix: 'Name a version your national organ has adopted (the details list them); ask it to adopt its basic policy first if there is none.' },
  BasicPolicyRequired: { status: 409, fix: 'Adopt the basic policy first (POST /api/policy/basic-policy).' },
  UnknownStandardsItem: { status: 422, fix: 'Map only items of the chosen Common Standards edition (the details list the unknown codes; see GET /api/common-standards/{edition}).' },
  BaselineNotCovered: { status: 422, fix: 'Map your items so that every baseline item of the edition is covered (the details list the missing ones).' },
  RiskNotFound: { status: 404, fix: 'Check the risk id; it must belong to your agency.' },
  RiskAlreadyExists: { status: 409, fix: 'Reassess the existing risk instead.' },
  RiskAlreadyRetired: { status: 409, fix: 'The risk is retired; assess a new risk if it applies again.' },
  ReviewDateInPast: { status: 422, fix: 'Give a reviewBy date of today or later (Japan time).' },
  NothingChanged: { status: 422, fix: 'Every value given equals the current assessment; change at least one (for example a new reviewBy).' },
  // (Art. 3–4: policy and risk — codes above this line)
  FiscalYearNotOpen: { status: 422, fix: 'Plan for the current fiscal year or the next one; later years do not exist yet.' },
  PlanNotFound: { status: 404, fix: 'Establish the promotion plan of that fiscal year first (POST /api/plans).' },
  PlanAlreadyExists: { status: 409, fix: 'The fiscal year has its plan; add items to it (POST /api/plans/{fiscalYear}/items).' },
  PlanItemNotFound: { status: 404, fix: 'Check the item id (GET /api/plans/{fiscalYear} lists the items).' },
  DuplicatePlanItem: { status: 409, fix: 'Give each plan item its own id.' },
  DueDateOutsideFiscalYear: { status: 422, fix: 'Give due dates from 1 April of the fiscal year to 31 March of the next calendar year.' },
  NotPlanItemOwner: { status: 403, fix: "Only the item's owner, the CISO or the general security officer records progress on it." },
  TrainingPlanNotFound: { status: 404, fix: 'Plan the training of that fiscal year first (POST /api/training).' },
  TrainingPlanAlreadyExists: { status: 409, fix: 'The fiscal year has its training plan; add courses to it (POST /api/training/{fiscalYear}/courses).' },
  DuplicateCourse: { status: 409, fix: 'Give each course of the fiscal year its own id.' },
  UnknownCourse: { status: 404, fix: 'Name a course of that fiscal year (GET /api/training/{fiscalYear}), or add it first.' },
  CompletionOutsideFiscalYear: { status: 422, fix: "Record a completion in the training plan of the fiscal year it happened in." },
  CompletionInFuture: { status: 422, fix: 'Record completions once they have happened (completedOn is today or earlier, Japan time).' },
  // (Art. 6, 8: promotion plan and education — codes above this line)
  PeriodOutsideFiscalYear: { status: 422, fix: 'Give a period from 1 April of the fiscal year to 31 March of the next calendar year.' },
  DueDateInPast: { status: 422, fix: 'Give a due date of today or later (Japan time).' },
  SelfCheckAlreadyPlanned: { status: 409, fix: 'The fiscal year has its self-check; record results in it (POST /api/self-checks/{fiscalYear}/results).' },
  SelfCheckNotPlanned: { status: 409, fix: 'Plan the self-check of that fiscal year first (POST /api/self-checks/{fiscalYear}).' },
  SelfCheckAlreadyEvaluated: { status: 409, fix: 'The self-check is evaluated and takes no more results; order fixes instead.' },
  SelfCheckNotEvaluated: { status: 409, fix: 'Evaluate the self-check (POST /api/self-checks/{fiscalYear}/evaluation) before ordering fixes.' },
  NoSelfCheckResults: { status: 409, fix: 'Wait until employees have recorded results before evaluating.' },
  DuplicateChecklistItem: { status: 422, fix: 'Give each checklist item its own itemId.' },
  UnknownChecklistItem: { status: 422, fix: 'Name items of the planned checklist (GET /api/self-checks/{fiscalYear} lists them).' },
  DuplicateAnswer: { status: 422, fix: 'Answer each checklist item once.' },
  IncompleteAnswers: { status: 422, fix: 'Answer every checklist item (the details list the missing ones).' },
  NotOwnSelfCheck: { status: 403, fix: "Record your own answers; only the employee's unit security officer, the general security officer or the CISO records them for someone else." },
  EmployeeNotInScope: { status: 422, fix: "The employee's unit does not take part in this self-check; check the employee id." },
  SubmissionOutsidePeriod: { status: 422, fix: 'Give a submittedOn date within the self-check period.' },
  SubmissionInFuture: { status: 422, fix: 'Give a submittedOn date of today or earlier (Japan time).' },
  ResultAlreadyRecorded: { status: 409, fix: 'The employee has given every result due this fiscal year (agency setting selfCheck.perFiscalYear).' },
  FixNotFound: { status: 404, fix: 'Check the fix id (GET /api/self-checks/{fiscalYear} lists the fixes).' },
  FixAlreadyCompleted: { status: 409, fix: 'The fix is already completed.' },
  UnitNotInScope: { status: 422, fix: 'Name a unit in the scope of the self-check or audit (the details list the scope).' },
  AuditAlreadyExists: { status: 409, fix: 'Plan a new audit without reusing an id.' },
  AuditNotFound: { status: 404, fix: 'Check the audit id; it must belong to your agency.' },
  AuditNotApproved: { status: 409, fix: 'Have the CISO approve the audit plan first (POST /api/audits/{auditId}/approval).' },
  AuditAlreadyApproved: { status: 409, fix: 'The plan is already approved; go on with the fieldwork.' },
  AuditAlreadyReported: { status: 409, fix: 'The audit is reported; follow up its findings, or plan a new audit for new fieldwork.' },
  SelfApproval: { status: 403, fix: 'Separation of duties: someone other than the author or applicant (an audit plan, an exception request) must decide it.' },
  NotAnAuditor: { status: 422, fix: 'Assign the AUDITOR role to the employee (from the first fieldwork day) before naming them.' },
  AuditorOwnUnit: { status: 422, fix: 'Separation of duties: an auditor never audits the unit they work in; choose another auditor or leave the unit out.' },
  NotAuditorOfAudit: { status: 403, fix: "Only the auditors named in the audit's plan (or the audit officer, for follow-ups) may do this." },
  CisoNotAssigned: { status: 409, fix: 'Assign a CISO (POST /api/organisation/role-assignments) to receive the report.' },
  FindingNotFound: { status: 404, fix: 'Check the finding id (GET /api/audits/{auditId} lists the findings).' },
  FindingAlreadyClosed: { status: 409, fix: 'The finding is closed; record a new finding in a new audit if the problem returns.' },
  NotUnitSecurityOfficer: { status: 403, fix: "Only the security officer of the finding's unit records its improvement plan." },
  ImprovementPlanMissing: { status: 409, fix: 'Record the improvement plan of the finding first.' },
  FindingNotImplemented: { status: 409, fix: 'Record a follow-up with status IMPLEMENTED before closing the finding.' },
  // (Art. 10–11: self-check and audit — codes above this line)
  AssetNotFound: { status: 404, fix: 'Check the asset id (GET /api/information/assets); steps are recorded on assets of your own agency.' },
  AssetAlreadyExists: { status: 409, fix: 'Classify a new asset without reusing an id.' },
  AssetDeleted: { status: 409, fix: 'The asset was deleted and accepts no further steps; classify the information again if it still exists.' },
  ClassNotApplicableToPaper: { status: 422, fix: 'Paper carries a confidentiality class only: leave out integrity and availability.' },
  ClassMissing: { status: 422, fix: 'Classify an electronic record on all three axes: give integrity (1–2) and availability (1–2).' },
  ClassInherited: { status: 422, fix: 'A copy inherits its classes: leave out integrity and availability (they are needed only for an electronic copy of paper).' },
  NotClassificationDecider: { status: 403, fix: "Ask the asset's decider (its creator or obtainer, or their successor) to do it, or have the classification handed over." },
  AlreadyDecider: { status: 422, fix: 'Name someone other than the current decider as successor.' },
  DeciderStillEmployed: { status: 409, fix: 'The decider still works here: they hand the classification over themselves.' },
  OwnAgencyRecipient: { status: 422, fix: 'Provide information to another agency; within your agency record a USE or a SEND.' },
  ProvidedInformationNotFound: { status: 404, fix: 'Name an asset the other agency provided to yours (GET /api/information/received lists them).' },
  AlreadyAccepted: { status: 409, fix: 'This provided asset is already in your record (GET /api/information/received shows its asset id).' },
  NoCopy: { status: 409, fix: 'NO_COPY forbids copying it; an approved exception naming NoCopy for this asset permits it.' },
  CopyWithoutPermission: { status: 409, fix: 'COPY_NEEDS_PERMISSION: obtain permission as an approved exception naming CopyWithoutPermission for this asset.' },
  C3OutsideControlledArea: { status: 409, fix: 'Use C3 information inside a controlled area (give its areaId), or obtain permission as an approved exception naming C3OutsideControlledArea.' },
  UnencryptedSave: { status: 409, fix: 'Save it encrypted (encrypted: true), or obtain an approved exception naming UnencryptedSave.' },
  PublishNotC1: { status: 409, fix: 'Only C1 information is published: have the decider reclassify it first, or obtain an approved exception naming PublishNotC1.' },
  NoDistribution: { status: 409, fix: 'NO_DISTRIBUTION forbids providing it; an approved exception naming NoDistribution for this asset permits it.' },
  DistributionWithoutPermission: { status: 409, fix: 'DISTRIBUTION_NEEDS_PERMISSION: obtain permission as an approved exception naming DistributionWithoutPermission.' },
  AudienceLimited: { status: 409, fix: 'AUDIENCE_LIMITED: provide it only to an agency the audience names (or, outside the government bodies, to a recipient it names), or obtain an approved exception naming AudienceLimited.' },
  NoTakeOut: { status: 409, fix: 'NO_TAKE_OUT forbids carrying it out; an approved exception naming NoTakeOut for this asset permits it.' },
  UnsafeCarry: { status: 409, fix: 'Carry it safely (encrypted media or device, sealed paper), or obtain an approved exception naming UnsafeCarry.' },
  NoSend: { status: 409, fix: 'NO_SEND forbids sending it; an approved exception naming NoSend for this asset permits it.' },
  NoForward: { status: 409, fix: 'NO_FORWARD forbids forwarding it (sending on what another agency provided always is forwarding); an approved exception naming NoForward permits it.' },
  UnencryptedSend: { status: 409, fix: 'Send it encrypted (encrypted: true), or obtain an approved exception naming UnencryptedSend.' },
  NoDelete: { status: 409, fix: 'NO_DELETE forbids deleting it; the decider may lift the restriction, or an approved exception naming NoDelete permits it.' },
  RetentionNotOver: { status: 409, fix: 'RETAIN_UNTIL: delete it after the retention date, or obtain an approved exception naming RetentionNotOver.' },
  RecoverableErasure: { status: 409, fix: 'Delete it irrecoverably (irrecoverable: true), or obtain an approved exception naming RecoverableErasure.' },
  SendNoDistribution: { status: 409, fix: 'NO_DISTRIBUTION forbids sending it outside the government; an approved exception naming SendNoDistribution for this asset permits it.' },
  SendDistributionWithoutPermission: { status: 409, fix: 'DISTRIBUTION_NEEDS_PERMISSION: sending it outside the government needs permission, as an approved exception naming SendDistributionWithoutPermission.' },
  SendAudienceLimited: { status: 409, fix: 'AUDIENCE_LIMITED: send it only to a recipient the audience names, or obtain an approved exception naming SendAudienceLimited.' },
  InheritedMarking: { status: 409, fix: 'Keep the classes and restrictions that travelled with received information (the details list them); add restrictions or raise classes, and ask the providing agency if they should be lifted.' },
  MediaDisposalMissing: { status: 422, fix: 'Say how the medium was disposed of (mediaDisposal, with any certificate): required for paper and for PHYSICAL_DESTRUCTION, SHREDDING or DISSOLUTION.' },
  // (Art. 12–15: information assets and lifecycle — codes above this line)
  ExceptionNotFound: { status: 404, fix: 'Check the exception id (GET /api/exceptions lists the ledger); it must belong to your agency.' },
  ExceptionAlreadyExists: { status: 409, fix: 'Request a new exception without reusing an id.' },
  ExceptionTransitionNotAllowed: { status: 409, fix: 'Do the step the message names first: request → (endorse) → examination → approve or reject; approved → end report → close.' },
  SelfEndorsement: { status: 403, fix: "The security officer of the applicant's unit endorses a request, never the applicant." },
  NotApplicant: { status: 403, fix: 'Only the employee who applied for the exception reports its end.' },
  RuleOutsideClause: { status: 422, fix: 'Name only lifecycle rules of the excepted Common Standards item (the details give each rule\'s item); request another exception for the others.' },
  CoverageRequired: { status: 422, fix: 'Name the information the exception covers: assetIds, a unitId, or both.' },
  PeriodAlreadyOver: { status: 422, fix: 'Give a period that ends after now; for an action already taken, file an emergency notice (POST /api/exceptions/emergency).' },
  ActedInFuture: { status: 422, fix: 'An emergency notice is filed after acting: give actedAt at or before now, or request the exception beforehand.' },
  ActedOutsidePeriod: { status: 422, fix: 'Give a period (from, to) that contains actedAt.' },
  EmergencyNoticeLate: { status: 422, fix: 'File emergency notices within the notice window after acting (details.noticeWindowHours); a later one is handled as a violation (Common Standards 2.2.1).' },
  PermissionWiderThanRequested: { status: 422, fix: 'Permit only rules, assets, the unit and a period within the request (the details list what goes beyond it).' },
  NothingPermitted: { status: 422, fix: 'Permit at least one requested rule for at least one asset or the unit, or reject the request instead.' },
  EndedInFuture: { status: 422, fix: 'Report the end once it has happened: endedAt at or before now.' },
  EndedBeforeStart: { status: 422, fix: 'Report an end on or after the start of the permitted period.' },
  IntegrationNotFound: { status: 404, fix: 'Check the integration id (the webhook URL names it); a disabled integration receives nothing: create a new one.' },
  IntegrationDisabled: { status: 409, fix: 'This integration is disabled for good; create a new one.' },
  IntegrationExists: { status: 409, fix: 'Create the integration once; retry with the same Idempotency-Key to get the first answer.' },
  SecretNotFound: { status: 404, fix: 'Name a live secret of this integration (GET /api/integrations/:id lists them).' },
  LastSecret: { status: 409, fix: 'Rotate first (add a secret), configure the sender with it, then retire the old one.' },
  TooManySecrets: { status: 409, fix: 'Retire a secret no sender uses any more before adding another.' },
  MissingCredentials: { status: 401, fix: 'Send the credentials the integration\'s auth mode requires (signature headers, Authorization, or the URL token).' },
  MalformedCredentials: { status: 401, fix: 'Send the signature or Authorization header in the documented form.' },
  BadCredentials: { status: 401, fix: 'Use a live secret of the integration (rotated secrets stay valid until retired).' },
  BadSignature: { status: 401, fix: 'Sign the exact bytes sent with a live secret of the integration.' },
  StaleSignature: { status: 401, fix: 'Sign with the current time: deliveries more than 300 s early or late are refused (check the sender\'s clock).' },
  UnreadablePayload: { status: 400, fix: 'Send UTF-8 JSON (or CEF text) as the tool produces it.' },
  UnsupportedShape: { status: 422, fix: 'Send the payload shape of the integration\'s format (shared/siem.md), or create an integration for the format you send.' },
  LegacyGrafanaPayload: { status: 422, fix: 'Switch the Grafana contact point to unified alerting (Grafana 8+ webhook).' },
  DeliveryInProgress: { status: 503, fix: 'The same delivery (webhook-id) is being processed; retry after the Retry-After delay to get its answer (senders retry on 5xx).' },
  AlertNotFound: { status: 404, fix: 'Check the alert id (GET /api/alerts lists them); it must belong to your agency.' },
  WebhookSubscriptionNotFound: { status: 404, fix: 'Check the subscription id (GET /api/webhook-subscriptions lists them); it must belong to your agency.' },
  WebhookSubscriptionExists: { status: 409, fix: 'Create the subscription once; retry with the same Idempotency-Key to get the first answer (and the same secret).' },
  WebhookSubscriptionDisabled: { status: 409, fix: 'This subscription is disabled for good; create a new one.' },
  UnsafeWebhookUrl: { status: 422, fix: 'Give an absolute https:// URL without user:password (at most 2000 characters) whose host is public: not loopback, private or link-local. http: and internal hosts need WEBHOOK_ALLOW_INSECURE_URLS=true (development only).' },
  UnknownWebhookEventType: { status: 422, fix: 'Name event types of the catalogue (GET /api/webhook-event-types or the webhookEventTypes query), e.g. incident.reported.' },
  DuplicateWebhookEventType: { status: 422, fix: 'List each event type once.' },
  WebhookSecretNotFound: { status: 404, fix: 'Name a live secret of this subscription (GET /api/webhook-subscriptions lists their ids).' },
  LastWebhookSecret: { status: 409, fix: 'Rotate first (add a secret), configure the receiver with it, then retire the old one.' },
  TooManyWebhookSecrets: { status: 409, fix: 'Retire a secret no receiver uses any more before adding another (at most 5 live).' },
  WebhookDeliveryNotFound: { status: 404, fix: 'Check the delivery id (GET /api/webhook-subscriptions/:id/deliveries lists them); it must belong to your agency.' },
  WebhookDeliveryNotFailed: { status: 409, fix: 'Only a FAILED delivery is retried by hand: a PENDING one is retried on its own schedule, a DELIVERED one was received.' },
  TooManyWebhookSubscriptions: { status: 409, fix: 'An agency has at most 20 live webhook subscriptions: disable one no receiver uses (POST /api/webhook-subscriptions/:id/disable), or subscribe one receiver to several event types.' },
  // (Art. 9 / SIEM integrations — codes above this line)
  // (Art. 7: exceptional actions — codes above this line)
  SystemNotFound: { status: 404, fix: 'Check the system id (GET /api/systems lists the ledger), or register the system first (POST /api/systems).' },
  SystemAlreadyExists: { status: 409, fix: 'The system is in the ledger; update its entry (POST /api/systems/{systemId}/ledger) instead of registering it again.' },
  SystemRetired: { status: 409, fix: 'A retired system takes no further commands; its entry and history stay readable (GET /api/systems/{systemId}).' },
  SystemStageTransitionNotAllowed: { status: 409, fix: 'Move the system to one of the stages details.allowed names: PLANNING → PROCUREMENT → CONSTRUCTION → ACCEPTANCE → OPERATION → RENEWAL (→ PROCUREMENT or OPERATION) or DISPOSAL → RETIRED.' },
  SecurityRequirementsNotApproved: { status: 409, fix: 'Record the security requirements (POST /api/systems/{systemId}/documents, kind SECURITY_REQUIREMENTS) and have the latest version approved by someone else (POST /api/systems/{systemId}/security-requirements/approval) before procurement.' },
  LedgerEntryIncomplete: { status: 409, fix: 'Complete the fields details.missing lists (POST /api/systems/{systemId}/ledger; documents with POST /api/systems/{systemId}/documents) before operation.' },
  DataErasureNotConfirmed: { status: 409, fix: 'Confirm the erasure of the system\'s data (POST /api/systems/{systemId}/data-erasure) before retiring it.' },
  SystemNotInDisposal: { status: 409, fix: 'Move the system to DISPOSAL first (POST /api/systems/{systemId}/stage); data erasure is confirmed during disposal.' },
  ErasureDateInFuture: { status: 422, fix: 'Confirm the erasure once it is done: confirmedOn is today or earlier (Japan time).' },
  DocumentNotFound: { status: 404, fix: 'Name a version of a SECURITY_REQUIREMENTS document of the system (GET /api/systems/{systemId} lists the documents), or record it first.' },
  DocumentAmbiguous: { status: 422, fix: 'Several documents have that version: name the documentId (details.documentIds).' },
  DocumentKindMismatch: { status: 422, fix: 'That document id is a document of another kind: give the new document an id of its own (documentId).' },
  DocumentVersionExists: { status: 409, fix: 'That version of the document is recorded; record the new version under a new version label.' },
  ReviewDateNotInFuture: { status: 422, fix: 'Give the next review a date after today (Japan time), or leave nextReviewDueOn out.' },
  UnknownCryptrecEdition: { status: 422, fix: 'Name an edition of the CRYPTREC list the service knows (details.editions), or leave edition out for the current one.' },
  ContinuityPlanVersionExists: { status: 409, fix: 'That version of the continuity plan is recorded; record the revised plan under a new version label.' },
  ExerciseInFuture: { status: 422, fix: 'Record an exercise once it was held: heldOn is today or earlier (Japan time).' },
  NotInternetFacing: { status: 409, fix: 'Internet service measures are recorded for internet-facing systems: mark the system internetFacing (POST /api/systems/{systemId}/ledger) if it offers services on the internet.' },
  // (Art. 17–21: information systems — codes above this line)
  ContractorAlreadyExists: { status: 409, fix: 'The contractor is registered; record a new selection on it (POST /api/contractors/{contractorId}/selection).' },
  ContractorNotFound: { status: 404, fix: 'Check the contractor id (GET /api/contractors lists them), or register the contractor first.' },
  UnknownContractor: { status: 422, fix: 'Register the contractor first (POST /api/contractors), or check its id.' },
  ContractorNotQualified: { status: 409, fix: 'Record a selection in which every required criterion is met (details.unmet lists the ones missing), or choose a qualified contractor.' },
  SystemsNotInLedger: { status: 422, fix: 'Register the systems in the information system ledger first (details.systemIds lists the unknown ones), or check their ids.' },
  MissingSecurityClauses: { status: 422, fix: 'Put the required security clauses in the contract and list them in securityClauses (details.missing lists them).' },
  ContractAlreadyExists: { status: 409, fix: 'Record a new contract with a new id; extend or end the existing one instead.' },
  ContractNotFound: { status: 404, fix: 'Check the contract id (GET /api/contracts lists them); it must belong to your agency.' },
  ContractTransitionNotAllowed: { status: 409, fix: 'Do the step the message names first: recorded (active) → end → confirm return or erasure → close.' },
  ContractDateInFuture: { status: 422, fix: 'Record an end, a confirmation or a check once it has happened: the date is today or earlier (Japan time).' },
  SystemNotInContract: { status: 422, fix: 'Name one of the contract\'s systems (systemIds of the contract), or leave systemId out.' },
  ErasureNotConfirmed: { status: 409, fix: 'Confirm that the information was returned or erased (POST /api/contracts/{contractId}/information-return) before closing the contract.' },
  UsageRulesVersionExists: { status: 409, fix: 'Give the new usage rules version a name not used before (GET /api/usage-rules lists them).' },
  UsageRulesOutOfOrder: { status: 409, fix: 'A new version takes effect on or after the version it supersedes: give a later effectiveFrom.' },
  NotCurrentUsageRules: { status: 409, fix: 'Acknowledge the version in force (details.currentVersion) or an upcoming published version (details.upcomingVersions); GET /api/usage-rules shows them.' },
  SystemsRetired: { status: 409, fix: 'Name systems in service only: leave the retired ones (details.systemIds) out of the contract\'s systemIds.' },
  // (Art. 16, 22: suppliers and system use — codes above this line)
  ExportManifestNotFound: { status: 404, fix: 'The manifest is stored when the export\'s last byte has been sent: read the whole body first. An export that was cut off has none; export again. Check the id (the Audit-Export-Id header) and that it is an export of an agency you may read.' },
  // (audit trail, exports and tamper evidence — codes above this line)
  DutyKindNotChecked: { status: 422, fix: 'A duty pass names every kind (and, for a kind judged for some subjects only, every subject) it reports duties of in `checked` (`checkedSubjects`); the scheduler does, so this is a defect to report.' },
  DuplicateDuty: { status: 422, fix: 'A duty pass names each duty (kind and subject) once; the scheduler does, so this is a defect to report.' },
  // (compliance status — codes above this line)
  PayloadTooLarge: { status: 413, fix: 'Send a smaller body (limit 1 MiB).' },
  UnsupportedMediaType: { status: 415, fix: 'Send JSON with `Content-Type: application/json`.' },
  IdempotencyKeyReused: { status: 422, fix: 'This key was used for a different request; use a new key for a new request.' },
  ReadModelBehind: { status: 503, fix: 'The read model has not reached the position yet; retry after the Retry-After delay.' },
  InternalError: { status: 500, fix: 'Retry later; if it persists, report the requestId to the operators.' },
} as const satisfies Record<string, { status: number; fix: string }>

export type ErrorCode = keyof typeof errorCatalogue

export interface ClassifiedError {
  status: number
  code: string
  message: string
  details?: Record<string, unknown> | undefined
  /** True for 5xx: the message is replaced before it reaches the client. */
  internal: boolean
}

export class ReadModelBehindError extends Error {
  override name = 'ReadModelBehindError'
  readonly code = 'ReadModelBehind'
  constructor(readonly position: number) {
    super(`the read model has not reached position ${position} yet; retry shortly`)
  }
}

export class ValidationError extends Error {
  override name = 'ValidationError'
  readonly code = 'ValidationFailed'
  constructor(message: string, readonly errors: { path: string; message: string }[]) {
    super(message)
  }
}

const statusOf = (code: string): number => (errorCatalogue as Record<string, { status: number }>)[code]?.status ?? 409

export function classifyError(err: unknown): ClassifiedError {
  if (err instanceof DomainError) return { status: statusOf(err.code), code: err.code, message: err.message, details: err.details, internal: false }
  if (err instanceof NotFoundError) return { status: 404, code: err.code, message: err.message, internal: false }
  if (err instanceof ForbiddenError) return { status: 403, code: err.code, message: err.message, details: err.details, internal: false }
  if (err instanceof ConcurrencyError) {
    return { status: 409, code: err.code, message: err.message, details: { streamId: err.streamId, actualVersion: err.actualVersion }, internal: false }
  }
  if (err instanceof IdempotencyKeyReusedError) return { status: 422, code: err.code, message: err.message, internal: false }
  if (err instanceof ValidationError) return { status: 400, code: err.code, message: err.message, details: { errors: err.errors }, internal: false }
  if (err instanceof ReadModelBehindError) return { status: 503, code: err.code, message: err.message, details: { position: err.position }, internal: false }
  const code = (err as { code?: unknown } | null)?.code
  if (code === 'InvalidCursor') return { status: 400, code, message: (err as Error).message, internal: false }
  // Text PostgreSQL cannot store (a NUL character) is the client's to fix, not a server fault.
  if (code === '22P05' || code === '22021') {
    return { status: 400, code: 'ValidationFailed', message: 'the request contains characters that cannot be stored (for example \\u0000); remove them', internal: false }
  }
  return { status: 500, code: 'InternalError', message: 'internal error', internal: true }
}

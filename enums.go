package rescreen

// Controlled lists. Each list is a string type whose Values method returns
// every allowed value; the exchange format, the JSON Schema, the API and the
// validators all read the lists from here, so a value is added in one place.
// The zero value "" means "not recorded" wherever a field is optional.

// Enum is implemented by every controlled-list type.
type Enum interface {
	Values() []string
}

// Source is the agency system (or other origin) a record came from
// (settlement.md R-SYS-5).
type Source string

// Sources of records.
const (
	SourceCBP      Source = "CBP_E3"       // border agency apprehension system
	SourceICE      Source = "ICE_EARM"     // detention and removal system
	SourceORR      Source = "ORR_UCPORTAL" // shelter agency case system
	SourceUSCIS    Source = "USCIS_GLOBAL" // asylum office system
	SourceEOIR     Source = "EOIR"         // immigration courts
	SourceCounsel  Source = "CLASS_COUNSEL"
	SourceNGO      Source = "NGO"
	SourceCourt    Source = "COURT"      // court lists and orders
	SourceTaskForc Source = "TASK_FORCE" // Family Reunification Task Force
	SourceManual   Source = "MANUAL"     // entered in rescreen itself
	SourceSynth    Source = "SYNTHETIC"  // generated test and demo data
)

var sourceValues = []string{"CBP_E3", "ICE_EARM", "ORR_UCPORTAL", "USCIS_GLOBAL", "EOIR", "CLASS_COUNSEL", "NGO", "COURT", "TASK_FORCE", "MANUAL", "SYNTHETIC"}

// Values lists the sources.
func (Source) Values() []string { return sourceValues }

// Role is a person's place in a family (R-SYS-2).
type Role string

// Roles.
const (
	RoleParent   Role = "PARENT"
	RoleGuardian Role = "LEGAL_GUARDIAN"
	RoleChild    Role = "CHILD"
	RoleSibling  Role = "SIBLING"
	RoleOther    Role = "OTHER"
)

var roleValues = []string{"PARENT", "LEGAL_GUARDIAN", "CHILD", "SIBLING", "OTHER"}

// Values lists the roles.
func (Role) Values() []string { return roleValues }

// IsAdult reports whether the role is one of the adults a child was separated from.
func (r Role) IsAdult() bool { return r == RoleParent || r == RoleGuardian }

// Sex as recorded.
type Sex string

var sexValues = []string{"FEMALE", "MALE", "OTHER", "UNKNOWN"}

// Values lists the recorded sexes.
func (Sex) Values() []string { return sexValues }

// EntryKind is where a person crossed (COV-1, COV-2, COV-5).
type EntryKind string

// Entry kinds.
const (
	EntryAtPort       EntryKind = "AT_PORT"
	EntryBetweenPorts EntryKind = "BETWEEN_PORTS"
	EntryInterior     EntryKind = "INTERIOR" // apprehended in the interior
)

var entryValues = []string{"AT_PORT", "BETWEEN_PORTS", "INTERIOR"}

// Values lists the entry kinds.
func (EntryKind) Values() []string { return entryValues }

// NameKind says what a name variant is.
type NameKind string

var nameKindValues = []string{"AS_RECORDED", "ALIAS", "SPELLING_VARIANT", "PREFERRED", "BIRTH_NAME"}

// Values lists the name variant kinds.
func (NameKind) Values() []string { return nameKindValues }

// IdentifierKind names an identifier scheme (R-SYS-4).
type IdentifierKind string

// Identifier kinds.
const (
	IDANumber IdentifierKind = "A_NUMBER"
)

var identifierKindValues = []string{"A_NUMBER", "EID_SUBJECT_ID", "ORR_UAC_ID", "USCIS_RECEIPT", "EOIR_CASE", "FBI_NUMBER", "PASSPORT", "NATIONAL_ID", "TASK_FORCE_ID", "OTHER"}

// Values lists the identifier kinds.
func (IdentifierKind) Values() []string { return identifierKindValues }

// IdentifierStatus says whether an identifier is in use. A person may have
// several A-numbers, one of them issued in error or as a duplicate.
type IdentifierStatus string

var identifierStatusValues = []string{"ACTIVE", "DUPLICATE_ISSUED", "ERRONEOUS", "RETIRED"}

// Values lists the identifier statuses.
func (IdentifierStatus) Values() []string { return identifierStatusValues }

// RelationshipKind is how one person relates to another.
type RelationshipKind string

// Relationship kinds.
const (
	RelParentOf   RelationshipKind = "PARENT_OF"
	RelGuardianOf RelationshipKind = "GUARDIAN_OF"
	RelSiblingOf  RelationshipKind = "SIBLING_OF"
	RelOther      RelationshipKind = "OTHER"
)

var relKindValues = []string{"PARENT_OF", "GUARDIAN_OF", "SIBLING_OF", "OTHER"}

// Values lists the relationship kinds.
func (RelationshipKind) Values() []string { return relKindValues }

// Evidence is what a relationship rests on.
type Evidence string

var evidenceValues = []string{"DECLARED", "DOCUMENT", "DNA", "AGENCY_RECORD", "NONE"}

// Values lists the kinds of relationship evidence.
func (Evidence) Values() []string { return evidenceValues }

// DNAStatus is the state of a DNA parentage test.
type DNAStatus string

var dnaValues = []string{"NOT_TESTED", "PENDING", "MATCH", "NO_MATCH", "INCONCLUSIVE"}

// Values lists the DNA test states.
func (DNAStatus) Values() []string { return dnaValues }

// Agency is a government component acting in an event.
type Agency string

var agencyValues = []string{"CBP", "ICE", "ORR", "USCIS", "EOIR", "DOJ", "OTHER"}

// Values lists the agencies.
func (Agency) Values() []string { return agencyValues }

// SeparationReason is the controlled list of separation reasons
// (settlement.md R-SYS-3); the codes also drive the 2023 exclusions (COV-23).
type SeparationReason string

// Separation reasons.
const (
	ReasonProsecution  SeparationReason = "PROSECUTION_REFERRAL"
	ReasonCriminal     SeparationReason = "CRIMINAL_HISTORY"
	ReasonFitness      SeparationReason = "FITNESS_CONCERN"
	ReasonMedical      SeparationReason = "MEDICAL"
	ReasonWarrant      SeparationReason = "ACTIVE_WARRANT"
	ReasonParentage    SeparationReason = "PARENTAGE_UNVERIFIED"
	ReasonOtherSeparat SeparationReason = "OTHER"
)

var reasonValues = []string{"PROSECUTION_REFERRAL", "CRIMINAL_HISTORY", "FITNESS_CONCERN", "MEDICAL", "ACTIVE_WARRANT", "PARENTAGE_UNVERIFIED", "OTHER"}

// Values lists the separation reasons.
func (SeparationReason) Values() []string { return reasonValues }

// CustodyKind is one kind of episode in a person's custody timeline.
type CustodyKind string

// Custody kinds.
const (
	CustodyCBP        CustodyKind = "CBP_HOLDING"
	CustodyICE        CustodyKind = "ICE_DETENTION"
	CustodyORRShelter CustodyKind = "ORR_SHELTER"
	CustodyORRFoster  CustodyKind = "ORR_FOSTER"
	CustodyFamily     CustodyKind = "FAMILY_RESIDENTIAL"
	CustodyReleased   CustodyKind = "RELEASED"
	CustodyRemoved    CustodyKind = "REMOVED"
	CustodyReunified  CustodyKind = "REUNIFIED"
)

var custodyValues = []string{"CBP_HOLDING", "ICE_DETENTION", "ORR_SHELTER", "ORR_FOSTER", "FAMILY_RESIDENTIAL", "RELEASED", "REMOVED", "REUNIFIED"}

// Values lists the custody kinds.
func (CustodyKind) Values() []string { return custodyValues }

// InCustody reports whether the episode is government custody (DHS or ORR).
func (k CustodyKind) InCustody() bool {
	switch k {
	case CustodyCBP, CustodyICE, CustodyORRShelter, CustodyORRFoster, CustodyFamily:
		return true
	}
	return false
}

// ProceedingKind is a removal order or a proceeding a person is in.
type ProceedingKind string

// Proceeding kinds.
const (
	ProcExpedited    ProceedingKind = "EXPEDITED_REMOVAL_ORDER"
	ProcReinstated   ProceedingKind = "REINSTATED_ORDER"
	ProcIJOrder      ProceedingKind = "IJ_REMOVAL_ORDER"
	ProcSection240   ProceedingKind = "SECTION_240"
	ProcAsylumAppl   ProceedingKind = "ASYLUM_APPLICATION"
	ProcVoluntaryDep ProceedingKind = "VOLUNTARY_DEPARTURE"
)

var procValues = []string{"EXPEDITED_REMOVAL_ORDER", "REINSTATED_ORDER", "IJ_REMOVAL_ORDER", "SECTION_240", "ASYLUM_APPLICATION", "VOLUNTARY_DEPARTURE"}

// Values lists the proceeding kinds.
func (ProceedingKind) Values() []string { return procValues }

// IsRemovalOrder reports whether the kind is an order of removal.
func (k ProceedingKind) IsRemovalOrder() bool {
	return k == ProcExpedited || k == ProcReinstated || k == ProcIJOrder
}

// ProceedingStatus is the state of an order or proceeding (R-P7).
type ProceedingStatus string

var procStatusValues = []string{"ACTIVE", "SUPERSEDED_BY_NTA", "VACATED", "CONCLUDED", "EXECUTED"}

// Values lists the proceeding statuses.
func (ProceedingStatus) Values() []string { return procStatusValues }

// ScreeningKind is credible fear or reasonable fear.
type ScreeningKind string

// Screening kinds.
const (
	CredibleFear   ScreeningKind = "CREDIBLE_FEAR"
	ReasonableFear ScreeningKind = "REASONABLE_FEAR"
)

var screeningKindValues = []string{"CREDIBLE_FEAR", "REASONABLE_FEAR"}

// Values lists the screening kinds.
func (ScreeningKind) Values() []string { return screeningKindValues }

// Occasion says why a screening took place: the first one at the border, the
// settlement's review and new interview of a parent (R-P1, R-P2), or a
// child's own interview (R-C2).
type Occasion string

// Occasions.
const (
	OccasionInitial      Occasion = "INITIAL"
	OccasionSettlement   Occasion = "SETTLEMENT_REVIEW"
	OccasionChildOwn     Occasion = "CHILD_INTERVIEW"
	OccasionReturnBorder Occasion = "ON_RETURN"
)

var occasionValues = []string{"INITIAL", "SETTLEMENT_REVIEW", "CHILD_INTERVIEW", "ON_RETURN"}

// Values lists the occasions.
func (Occasion) Values() []string { return occasionValues }

// ScreeningResult is the outcome of a screening. PENDING is a screening that
// is scheduled or awaits its decision; NO_CLAIM is a child who claims no fear
// (R-C5).
type ScreeningResult string

// Screening results.
const (
	ResultPositive ScreeningResult = "POSITIVE"
	ResultNegative ScreeningResult = "NEGATIVE"
	ResultPending  ScreeningResult = "PENDING"
	ResultNoClaim  ScreeningResult = "NO_CLAIM"
)

var resultValues = []string{"POSITIVE", "NEGATIVE", "PENDING", "NO_CLAIM"}

// Values lists the screening results.
func (ScreeningResult) Values() []string { return resultValues }

// CounselPresence is how counsel attended an interview (R-P3).
type CounselPresence string

var counselPresenceValues = []string{"NONE", "IN_PERSON", "PHONE", "VIDEO"}

// Values lists the ways counsel can attend.
func (CounselPresence) Values() []string { return counselPresenceValues }

// InterviewMode is how the interview itself was held.
type InterviewMode string

var modeValues = []string{"IN_PERSON", "PHONE", "VIDEO"}

// Values lists the interview modes.
func (InterviewMode) Values() []string { return modeValues }

// EvidenceKind is an item a person adds to a screening (R-P4).
type EvidenceKind string

var evidenceKindValues = []string{"DOCUMENT", "TESTIMONY", "DECLARATION", "MEDICAL_REPORT", "PSYCHOLOGICAL_EVALUATION", "COUNTRY_CONDITIONS", "OTHER"}

// Values lists the evidence item kinds.
func (EvidenceKind) Values() []string { return evidenceKindValues }

// Choice is the option chosen on the election form.
type Choice string

// Election choices.
const (
	ChoiceRemain Choice = "A_REMAIN" // Option A: stay and seek relief
	ChoiceReturn Choice = "B_RETURN" // Option B: prompt return, waiving settlement rights
)

var choiceValues = []string{"A_REMAIN", "B_RETURN"}

// Values lists the election choices.
func (Choice) Values() []string { return choiceValues }

// SignerRole is who signed a form (W4).
type SignerRole string

// Signer roles.
const (
	SignerSelf     SignerRole = "SELF"
	SignerParent   SignerRole = "PARENT"
	SignerLegalRep SignerRole = "LEGAL_REP"
	SignerNone     SignerRole = "NONE" // the form is unsigned
)

var signerValues = []string{"SELF", "PARENT", "LEGAL_REP", "NONE"}

// Values lists the signer roles; NONE records an unsigned form.
func (SignerRole) Values() []string { return signerValues }

// Channel is how a form, notice or contact went.
type Channel string

var channelValues = []string{"MAIL", "EMAIL", "IN_PERSON", "PHONE", "FAX", "MESSAGING_APP", "HOME_VISIT", "NGO_SEARCH", "PORTAL"}

// Values lists the channels.
func (Channel) Values() []string { return channelValues }

// CounselRole is the kind of counsel.
type CounselRole string

var counselRoleValues = []string{"CLASS_COUNSEL", "LEGAL_SERVICE_PROVIDER", "PRIVATE_ATTORNEY", "ACCREDITED_REPRESENTATIVE", "CHILD_ADVOCATE"}

// Values lists the counsel roles.
func (CounselRole) Values() []string { return counselRoleValues }

// ContactOutcome is the result of a contact attempt (R-SYS-10).
type ContactOutcome string

var contactOutcomeValues = []string{"REACHED", "NO_ANSWER", "MESSAGE_LEFT", "WRONG_NUMBER", "DISCONNECTED", "NOT_FOUND", "REFUSED", "RETURNED_MAIL"}

// Values lists the contact outcomes.
func (ContactOutcome) Values() []string { return contactOutcomeValues }

// PreferenceKind is a parent's declared preference (R-SYS-7).
type PreferenceKind string

// Preference kinds.
const (
	PrefReunifyHome      PreferenceKind = "REUNIFY_IN_HOME_COUNTRY"
	PrefChildStays       PreferenceKind = "CHILD_STAYS_IN_US"
	PrefSeekReturn       PreferenceKind = "SEEK_RETURN"
	PrefReunificationWvr PreferenceKind = "REUNIFICATION_WAIVER"
)

var prefValues = []string{"REUNIFY_IN_HOME_COUNTRY", "CHILD_STAYS_IN_US", "SEEK_RETURN", "REUNIFICATION_WAIVER"}

// Values lists the preference kinds.
func (PreferenceKind) Values() []string { return prefValues }

// ReturnState is the state of a removed parent's return request (D-7).
type ReturnState string

var returnStateValues = []string{"DRAFT", "SUBMITTED", "GOV_APPROVED", "GOV_DENIED", "COURT_PENDING", "COURT_ORDERED_RETURN", "COURT_DENIED", "RETURNED", "WITHDRAWN"}

// Values lists the return request states.
func (ReturnState) Values() []string { return returnStateValues }

// ReturnChannel is how a removed parent came back, or sought to (D-6, D-8).
type ReturnChannel string

var returnChannelValues = []string{"SETTLEMENT", "COURT", "SELF_PRESENTED", "TASK_FORCE"}

// Values lists the return channels.
func (ReturnChannel) Values() []string { return returnChannelValues }

// BenefitKind is a benefit under the 2023 settlement (T-10 to T-14).
type BenefitKind string

var benefitValues = []string{"PAROLE", "WORK_AUTHORIZATION", "HOUSING", "MEDICAL", "BEHAVIORAL_HEALTH", "LEGAL_SERVICES", "OTHER"}

// Values lists the benefit kinds.
func (BenefitKind) Values() []string { return benefitValues }

// TaskForceDecision is the Task Force's decision on a membership claim (COV-24).
type TaskForceDecision string

var tfDecisionValues = []string{"PENDING", "ACCEPTED", "DENIED"}

// Values lists the Task Force decisions.
func (TaskForceDecision) Values() []string { return tfDecisionValues }

// AppointmentState is where a scheduled review or interview stands.
type AppointmentState string

// Appointment states.
const (
	AppointmentScheduled AppointmentState = "SCHEDULED"
	AppointmentHeld      AppointmentState = "HELD"
	AppointmentCancelled AppointmentState = "CANCELLED"
	AppointmentNoShow    AppointmentState = "NO_SHOW"
)

var appointmentStateValues = []string{"SCHEDULED", "HELD", "CANCELLED", "NO_SHOW"}

// Values lists the appointment states.
func (AppointmentState) Values() []string { return appointmentStateValues }

// NoticeKind is a kind of notice or form given to a person. The values are
// the kinds of package notice's templates.
type NoticeKind string

// Notice kinds.
const (
	NoticeClass         NoticeKind = "CLASS_NOTICE"
	NoticeElectionForm  NoticeKind = "ELECTION_FORM"
	NoticeScheduling    NoticeKind = "INTERVIEW_SCHEDULING"
	NoticeDetermination NoticeKind = "DETERMINATION_NOTICE"
)

var noticeKindValues = []string{"CLASS_NOTICE", "ELECTION_FORM", "INTERVIEW_SCHEDULING", "DETERMINATION_NOTICE"}

// Values lists the notice kinds.
func (NoticeKind) Values() []string { return noticeKindValues }

// DeliveryMode is how a notice reached (or was sent to) its addressee.
type DeliveryMode string

// Delivery modes. READ_ALOUD is a notice read to the person by an
// interpreter, the only mode for a language with no written template.
const (
	DeliveryMail      DeliveryMode = "MAIL"
	DeliveryEmail     DeliveryMode = "EMAIL"
	DeliveryInPerson  DeliveryMode = "IN_PERSON"
	DeliveryReadAloud DeliveryMode = "READ_ALOUD"
	DeliveryPhone     DeliveryMode = "PHONE"
)

var deliveryModeValues = []string{"MAIL", "EMAIL", "IN_PERSON", "READ_ALOUD", "PHONE"}

// Values lists the delivery modes.
func (DeliveryMode) Values() []string { return deliveryModeValues }

// DeliveryOutcome is what came of delivering a notice.
type DeliveryOutcome string

// Delivery outcomes.
const (
	DeliveryPending    DeliveryOutcome = "PENDING"
	DeliveryDelivered  DeliveryOutcome = "DELIVERED"
	DeliveryRefused    DeliveryOutcome = "REFUSED"
	DeliveryReturned   DeliveryOutcome = "RETURNED"
	DeliveryNotReached DeliveryOutcome = "NOT_REACHED"
)

var deliveryOutcomeValues = []string{"PENDING", "DELIVERED", "REFUSED", "RETURNED", "NOT_REACHED"}

// Values lists the delivery outcomes.
func (DeliveryOutcome) Values() []string { return deliveryOutcomeValues }

/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: string; output: string; }
  /** The `JSONObject` scalar type represents JSON objects as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSONObject: { input: Record<string, unknown>; output: Record<string, unknown>; }
  /** A local date string (i.e., with no associated timezone) in `YYYY-MM-DD` format, e.g. `2020-01-01`. */
  LocalDate: { input: any; output: any; }
};

/** Adds contacts by id, by filter, or both. Contacts already in the campaign are skipped. */
export type AddCampaignRecipientsInput = {
  campaignId: Scalars['ID']['input'];
  contactIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Every live contact matching this filter. */
  filter?: InputMaybe<ContactFilter>;
  /** Continue a call that stopped at the plan's records-per-call: the same input plus the resumeCursor it returned. */
  resumeCursor?: InputMaybe<Scalars['String']['input']>;
};

/** A PDF, PNG or JPEG of at most 512 KiB, base64-encoded. */
export type AddComplianceDocumentInput = {
  applicationId: Scalars['ID']['input'];
  contentBase64: Scalars['String']['input'];
  /** application/pdf, image/png or image/jpeg. */
  contentType: Scalars['String']['input'];
  fileName: Scalars['String']['input'];
  type: ComplianceDocumentType;
};

/** read: queries; write: mutations; subscribe: WebSocket subscriptions; admin: everything. */
export type ApiKeyScope =
  /** Everything, including keys and organisation settings. */
  | 'ADMIN'
  /** Run queries. */
  | 'READ'
  /** Open subscriptions. */
  | 'SUBSCRIBE'
  /** Run mutations. */
  | 'WRITE';

/** PLAN_CHANGED: a plan applied at once (an upgrade); DOWNGRADE_SCHEDULED: a cheaper plan waits for the period end; CANCELED: renewal ended, the plan runs to the period end; RESUMED: a scheduled cancellation or downgrade withdrawn; RENEWED: a new period of the same plan; DOWNGRADED: the scheduled plan applied at the period end; ENDED: a canceled subscription reached its period end and the organisation is on FREE. */
export type BillingEventKind =
  | 'CANCELED'
  | 'DOWNGRADED'
  | 'DOWNGRADE_SCHEDULED'
  | 'ENDED'
  | 'PLAN_CHANGED'
  | 'RENEWED'
  | 'RESUMED';

/** ACTIVE: renews at the end of the period (on its own plan, or on `pendingPlan` when a downgrade is scheduled). CANCELING: canceled, not renewing; the plan stays in force until `currentPeriodEnd`, then the organisation drops to FREE. */
export type BillingSubscriptionStatus =
  | 'ACTIVE'
  | 'CANCELING';

/** HARD: permanent (address suppressed); SOFT: temporary. */
export type BounceType =
  | 'HARD'
  | 'SOFT';

export type BounceTypeFilter = {
  eq?: InputMaybe<BounceType>;
  in?: InputMaybe<Array<BounceType>>;
  isNull?: InputMaybe<Scalars['Boolean']['input']>;
  neq?: InputMaybe<BounceType>;
  notIn?: InputMaybe<Array<BounceType>>;
};

export type BulkItemStatus =
  | 'CREATED'
  | 'FAILED'
  | 'UPDATED';

export type CallDirection =
  | 'INBOUND'
  | 'OUTBOUND';

export type CallDirectionFilter = {
  eq?: InputMaybe<CallDirection>;
  in?: InputMaybe<Array<CallDirection>>;
  isNull?: InputMaybe<Scalars['Boolean']['input']>;
  neq?: InputMaybe<CallDirection>;
  notIn?: InputMaybe<Array<CallDirection>>;
};

export type CallFilter = {
  and?: InputMaybe<Array<CallFilter>>;
  contact?: InputMaybe<ContactFilter>;
  contactId?: InputMaybe<IdFilter>;
  createdAt?: InputMaybe<DateTimeFilter>;
  deal?: InputMaybe<DealFilter>;
  dealId?: InputMaybe<IdFilter>;
  direction?: InputMaybe<CallDirectionFilter>;
  duration?: InputMaybe<IntFilter>;
  fromNumber?: InputMaybe<StringFilter>;
  id?: InputMaybe<IdFilter>;
  not?: InputMaybe<CallFilter>;
  or?: InputMaybe<Array<CallFilter>>;
  outcome?: InputMaybe<CallOutcomeFilter>;
  owner?: InputMaybe<UserFilter>;
  ownerId?: InputMaybe<IdFilter>;
  placedAt?: InputMaybe<DateTimeFilter>;
  startedAt?: InputMaybe<DateTimeFilter>;
  status?: InputMaybe<CallStatusFilter>;
  toNumber?: InputMaybe<StringFilter>;
};

export type CallIdInput = {
  id: Scalars['ID']['input'];
};

export type CallOrder = {
  direction?: OrderDirection;
  field: CallOrderField;
  nulls?: InputMaybe<NullsOrder>;
};

export type CallOrderField =
  | 'CREATED_AT'
  | 'DURATION'
  | 'PLACED_AT'
  | 'STARTED_AT'
  | 'UPDATED_AT';

/** What came of the call, as recorded by a person. */
export type CallOutcome =
  | 'BUSY'
  | 'CALLBACK_REQUESTED'
  | 'CONNECTED'
  | 'INTERESTED'
  | 'LEFT_VOICEMAIL'
  | 'NOT_INTERESTED'
  | 'NO_ANSWER'
  | 'OTHER'
  | 'WRONG_NUMBER';

export type CallOutcomeFilter = {
  eq?: InputMaybe<CallOutcome>;
  in?: InputMaybe<Array<CallOutcome>>;
  isNull?: InputMaybe<Scalars['Boolean']['input']>;
  neq?: InputMaybe<CallOutcome>;
  notIn?: InputMaybe<Array<CallOutcome>>;
};

/** Conditions on related calls: some match, none match, or every one matches. */
export type CallRelationFilter = {
  every?: InputMaybe<CallFilter>;
  none?: InputMaybe<CallFilter>;
  some?: InputMaybe<CallFilter>;
};

export type CallStatus =
  | 'BUSY'
  | 'CANCELED'
  | 'COMPLETED'
  | 'FAILED'
  | 'IN_PROGRESS'
  | 'NO_ANSWER'
  | 'QUEUED'
  | 'RINGING';

export type CallStatusFilter = {
  eq?: InputMaybe<CallStatus>;
  in?: InputMaybe<Array<CallStatus>>;
  isNull?: InputMaybe<Scalars['Boolean']['input']>;
  neq?: InputMaybe<CallStatus>;
  notIn?: InputMaybe<Array<CallStatus>>;
};

export type CampaignFilter = {
  and?: InputMaybe<Array<CampaignFilter>>;
  createdAt?: InputMaybe<DateTimeFilter>;
  fromEmail?: InputMaybe<StringFilter>;
  id?: InputMaybe<IdFilter>;
  members?: InputMaybe<CampaignMemberRelationFilter>;
  name?: InputMaybe<StringFilter>;
  not?: InputMaybe<CampaignFilter>;
  or?: InputMaybe<Array<CampaignFilter>>;
  scheduledAt?: InputMaybe<DateTimeFilter>;
  sentAt?: InputMaybe<DateTimeFilter>;
  status?: InputMaybe<CampaignStatusFilter>;
  subject?: InputMaybe<StringFilter>;
  updatedAt?: InputMaybe<DateTimeFilter>;
};

/** NO_BODY: neither an HTML nor a text body. NO_UNSUBSCRIBE_LINK: a body without the %unsubscribe_url% merge tag (detail: html or text). NO_POSTAL_ADDRESS: no postal address in the email settings, or a body that does not show it (detail: html or text). UNVERIFIED_SENDING_DOMAIN: the from address is not on a VERIFIED sending domain of the organisation (detail: the domain). BLOCKED_LINK: a link to a blocked host such as a URL shortener, or to an IP address (detail: the host). SPAM_SCORE: the content scores at or above the limit (detail: the score). */
export type CampaignFindingCode =
  | 'BLOCKED_LINK'
  | 'NO_BODY'
  | 'NO_POSTAL_ADDRESS'
  | 'NO_UNSUBSCRIBE_LINK'
  | 'SPAM_SCORE'
  | 'UNVERIFIED_SENDING_DOMAIN';

export type CampaignIdInput = {
  id: Scalars['ID']['input'];
};

export type CampaignMemberFilter = {
  and?: InputMaybe<Array<CampaignMemberFilter>>;
  bounceType?: InputMaybe<BounceTypeFilter>;
  campaignId?: InputMaybe<IdFilter>;
  contact?: InputMaybe<ContactFilter>;
  contactId?: InputMaybe<IdFilter>;
  createdAt?: InputMaybe<DateTimeFilter>;
  email?: InputMaybe<StringFilter>;
  id?: InputMaybe<IdFilter>;
  not?: InputMaybe<CampaignMemberFilter>;
  or?: InputMaybe<Array<CampaignMemberFilter>>;
  sentAt?: InputMaybe<DateTimeFilter>;
  status?: InputMaybe<CampaignMemberStatusFilter>;
};

export type CampaignMemberOrder = {
  direction?: OrderDirection;
  field: CampaignMemberOrderField;
  nulls?: InputMaybe<NullsOrder>;
};

export type CampaignMemberOrderField =
  | 'CREATED_AT'
  | 'EMAIL'
  | 'STATUS'
  | 'UPDATED_AT';

/** Conditions on related members: some match, none match, or every one matches. */
export type CampaignMemberRelationFilter = {
  every?: InputMaybe<CampaignMemberFilter>;
  none?: InputMaybe<CampaignMemberFilter>;
  some?: InputMaybe<CampaignMemberFilter>;
};

/** The furthest delivery state reached by one recipient; SKIPPED: not sent, `error` says why (unsubscribed, bounced, complained, suppressed, no email). */
export type CampaignMemberStatus =
  | 'BOUNCED'
  | 'CLICKED'
  | 'COMPLAINED'
  | 'DELIVERED'
  | 'FAILED'
  | 'OPENED'
  | 'PENDING'
  | 'SENT'
  | 'SKIPPED'
  | 'UNSUBSCRIBED';

export type CampaignMemberStatusFilter = {
  eq?: InputMaybe<CampaignMemberStatus>;
  in?: InputMaybe<Array<CampaignMemberStatus>>;
  isNull?: InputMaybe<Scalars['Boolean']['input']>;
  neq?: InputMaybe<CampaignMemberStatus>;
  notIn?: InputMaybe<Array<CampaignMemberStatus>>;
};

export type CampaignOrder = {
  direction?: OrderDirection;
  field: CampaignOrderField;
  nulls?: InputMaybe<NullsOrder>;
};

export type CampaignOrderField =
  | 'CREATED_AT'
  | 'NAME'
  | 'SCHEDULED_AT'
  | 'SENT_AT'
  | 'UPDATED_AT';

export type CampaignStatus =
  | 'CANCELLED'
  | 'DRAFT'
  | 'PAUSED'
  | 'SCHEDULED'
  | 'SENDING'
  | 'SENT';

export type CampaignStatusFilter = {
  eq?: InputMaybe<CampaignStatus>;
  in?: InputMaybe<Array<CampaignStatus>>;
  isNull?: InputMaybe<Scalars['Boolean']['input']>;
  neq?: InputMaybe<CampaignStatus>;
  notIn?: InputMaybe<Array<CampaignStatus>>;
};

export type CancelSubscriptionInput = {
  /** Why, in the customer's words (kept with the history). */
  reason?: InputMaybe<Scalars['String']['input']>;
};

export type ChangePlanInput = {
  /** A plan code, e.g. STANDARD. */
  plan: Scalars['String']['input'];
};

/** All given conditions must hold; combine with and/or/not. */
export type CompanyFilter = {
  and?: InputMaybe<Array<CompanyFilter>>;
  createdAt?: InputMaybe<DateTimeFilter>;
  /** Conditions on the company's deals. */
  deals?: InputMaybe<DealRelationFilter>;
  domain?: InputMaybe<StringFilter>;
  employees?: InputMaybe<IntFilter>;
  id?: InputMaybe<IdFilter>;
  industry?: InputMaybe<StringFilter>;
  name?: InputMaybe<StringFilter>;
  not?: InputMaybe<CompanyFilter>;
  or?: InputMaybe<Array<CompanyFilter>>;
  /** Conditions on the owner. */
  owner?: InputMaybe<UserFilter>;
  ownerId?: InputMaybe<IdFilter>;
  phone?: InputMaybe<StringFilter>;
  tags?: InputMaybe<StringListFilter>;
  updatedAt?: InputMaybe<DateTimeFilter>;
};

export type CompanyIdInput = {
  id: Scalars['ID']['input'];
};

export type CompanyOrder = {
  direction?: OrderDirection;
  field: CompanyOrderField;
  nulls?: InputMaybe<NullsOrder>;
};

export type CompanyOrderField =
  | 'CREATED_AT'
  | 'DOMAIN'
  | 'EMPLOYEES'
  | 'NAME'
  | 'UPDATED_AT';

export type ComplianceApplicationFilter = {
  and?: InputMaybe<Array<ComplianceApplicationFilter>>;
  country?: InputMaybe<StringFilter>;
  createdAt?: InputMaybe<DateTimeFilter>;
  decidedAt?: InputMaybe<DateTimeFilter>;
  endUserType?: InputMaybe<EndUserTypeFilter>;
  id?: InputMaybe<IdFilter>;
  not?: InputMaybe<ComplianceApplicationFilter>;
  numberType?: InputMaybe<PhoneNumberTypeFilter>;
  or?: InputMaybe<Array<ComplianceApplicationFilter>>;
  status?: InputMaybe<ComplianceStatusFilter>;
  submittedAt?: InputMaybe<DateTimeFilter>;
};

export type ComplianceApplicationIdInput = {
  id: Scalars['ID']['input'];
};

export type ComplianceApplicationOrder = {
  direction?: OrderDirection;
  field: ComplianceApplicationOrderField;
  nulls?: InputMaybe<NullsOrder>;
};

export type ComplianceApplicationOrderField =
  | 'COUNTRY'
  | 'CREATED_AT'
  | 'STATUS'
  | 'SUBMITTED_AT'
  | 'UPDATED_AT';

/** What a compliance document proves. */
export type ComplianceDocumentType =
  | 'BUSINESS_REGISTRATION'
  | 'PROOF_OF_ADDRESS'
  | 'PROOF_OF_IDENTITY'
  | 'TAX_CERTIFICATE';

/** DRAFT: being filled in. SUBMITTED: with the provider for review. APPROVED: numbers of its country and type can be rented. REJECTED: see rejectionReason; edit and submit again. */
export type ComplianceStatus =
  | 'APPROVED'
  | 'DRAFT'
  | 'REJECTED'
  | 'SUBMITTED';

export type ComplianceStatusFilter = {
  eq?: InputMaybe<ComplianceStatus>;
  in?: InputMaybe<Array<ComplianceStatus>>;
  isNull?: InputMaybe<Scalars['Boolean']['input']>;
  neq?: InputMaybe<ComplianceStatus>;
  notIn?: InputMaybe<Array<ComplianceStatus>>;
};

/** All given conditions must hold; combine with and/or/not. */
export type ContactFilter = {
  and?: InputMaybe<Array<ContactFilter>>;
  /** Conditions on the contact's calls. */
  calls?: InputMaybe<CallRelationFilter>;
  /** Conditions on the contact's campaign memberships. */
  campaignMemberships?: InputMaybe<CampaignMemberRelationFilter>;
  /** Conditions on the contact's company. */
  company?: InputMaybe<CompanyFilter>;
  companyId?: InputMaybe<IdFilter>;
  createdAt?: InputMaybe<DateTimeFilter>;
  /** Conditions on the contact's deals. */
  deals?: InputMaybe<DealRelationFilter>;
  emailStatus?: InputMaybe<EmailStatusFilter>;
  /** Addresses are stored lower-cased. */
  emails?: InputMaybe<StringListFilter>;
  firstName?: InputMaybe<StringFilter>;
  id?: InputMaybe<IdFilter>;
  jobTitle?: InputMaybe<StringFilter>;
  lastName?: InputMaybe<StringFilter>;
  lifecycleStage?: InputMaybe<LifecycleStageFilter>;
  not?: InputMaybe<ContactFilter>;
  or?: InputMaybe<Array<ContactFilter>>;
  /** Conditions on the owner. */
  owner?: InputMaybe<UserFilter>;
  ownerId?: InputMaybe<IdFilter>;
  phones?: InputMaybe<StringListFilter>;
  tags?: InputMaybe<StringListFilter>;
  updatedAt?: InputMaybe<DateTimeFilter>;
};

export type ContactIdInput = {
  id: Scalars['ID']['input'];
};

export type ContactOrder = {
  direction?: OrderDirection;
  field: ContactOrderField;
  nulls?: InputMaybe<NullsOrder>;
};

export type ContactOrderField =
  | 'CREATED_AT'
  | 'FIRST_NAME'
  | 'JOB_TITLE'
  | 'LAST_NAME'
  | 'LIFECYCLE_STAGE'
  | 'PRIMARY_EMAIL'
  | 'UPDATED_AT';

/** Conditions on related contacts: some match, none match, or every one matches. */
export type ContactRelationFilter = {
  every?: InputMaybe<ContactFilter>;
  none?: InputMaybe<ContactFilter>;
  some?: InputMaybe<ContactFilter>;
};

export type CreateApiKeyInput = {
  name: Scalars['String']['input'];
  /** A partner key: it runs only documents its organisation registered (registerPersistedDocuments), never query text. Needs a plan with partner access (SUBSCRIPTION_INACTIVE otherwise). */
  persistedOnly?: Scalars['Boolean']['input'];
  scopes: Array<ApiKeyScope>;
};

export type CreateCampaignInput = {
  fromEmail: Scalars['String']['input'];
  fromName?: InputMaybe<Scalars['String']['input']>;
  htmlBody?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  replyTo?: InputMaybe<Scalars['String']['input']>;
  subject: Scalars['String']['input'];
  textBody?: InputMaybe<Scalars['String']['input']>;
};

export type CreateCompanyInput = {
  customFields?: InputMaybe<Scalars['JSONObject']['input']>;
  domain?: InputMaybe<Scalars['String']['input']>;
  employees?: InputMaybe<Scalars['Int']['input']>;
  industry?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  /** A member of the organisation. */
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** A DRAFT application; add documents with addComplianceDocument, then submitComplianceApplication. */
export type CreateComplianceApplicationInput = {
  addressCountry?: InputMaybe<Scalars['String']['input']>;
  addressLine?: InputMaybe<Scalars['String']['input']>;
  businessName?: InputMaybe<Scalars['String']['input']>;
  city?: InputMaybe<Scalars['String']['input']>;
  country: Scalars['String']['input'];
  email?: InputMaybe<Scalars['String']['input']>;
  endUserType: EndUserType;
  firstName?: InputMaybe<Scalars['String']['input']>;
  lastName?: InputMaybe<Scalars['String']['input']>;
  numberType: PhoneNumberType;
  postalCode?: InputMaybe<Scalars['String']['input']>;
  registrationNumber?: InputMaybe<Scalars['String']['input']>;
};

export type CreateContactInput = {
  companyId?: InputMaybe<Scalars['ID']['input']>;
  customFields?: InputMaybe<Scalars['JSONObject']['input']>;
  /** The first is the primary address. */
  emails?: InputMaybe<Array<Scalars['String']['input']>>;
  firstName?: InputMaybe<Scalars['String']['input']>;
  jobTitle?: InputMaybe<Scalars['String']['input']>;
  lastName?: InputMaybe<Scalars['String']['input']>;
  lifecycleStage?: InputMaybe<LifecycleStage>;
  /** A member of the organisation. */
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  /** E.164, e.g. +14155550123. */
  phones?: InputMaybe<Array<Scalars['String']['input']>>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type CreateContactsInput = {
  /** Each item is validated and reported on its own. */
  contacts: Array<CreateContactInput>;
  /** Continue a call that stopped at the plan's records-per-call: the same contacts plus the resumeCursor it returned. */
  resumeCursor?: InputMaybe<Scalars['String']['input']>;
};

export type CreateCustomFieldDefinitionInput = {
  /** Letters, digits and _; starts with a letter; ≤ 63 chars. */
  key: Scalars['String']['input'];
  label: Scalars['String']['input'];
  objectType: CustomFieldObject;
  options?: InputMaybe<Array<Scalars['String']['input']>>;
  required?: Scalars['Boolean']['input'];
  type: CustomFieldType;
};

export type CreateDealInput = {
  /** Decimal string, e.g. "1250.00". */
  amount?: InputMaybe<Scalars['String']['input']>;
  companyId?: InputMaybe<Scalars['ID']['input']>;
  contactIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** ISO 4217. */
  currency?: Scalars['String']['input'];
  expectedCloseDate?: InputMaybe<Scalars['LocalDate']['input']>;
  name: Scalars['String']['input'];
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  /** Default: the default pipeline (or the stage’s pipeline). */
  pipelineId?: InputMaybe<Scalars['ID']['input']>;
  /** Default: the first stage of the pipeline. */
  stageId?: InputMaybe<Scalars['ID']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type CreatePipelineInput = {
  isDefault?: Scalars['Boolean']['input'];
  name: Scalars['String']['input'];
  /** In order; at least one. */
  stages: Array<StageInput>;
};

/** A domain to send from. */
export type CreateSendingDomainInput = {
  /** A lower-case hostname with at least one dot, at most 253 characters, e.g. "mail.example.com" (IDNs in their xn-- form). */
  name: Scalars['String']['input'];
};

export type CreateStageInput = {
  kind?: StageKind;
  name: Scalars['String']['input'];
  pipelineId: Scalars['ID']['input'];
  /** Where to insert (0-based); default at the end. */
  position?: InputMaybe<Scalars['Int']['input']>;
  probability: Scalars['Int']['input'];
};

export type CreateUserInput = {
  email: Scalars['String']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  role?: UserRole;
};

/** The record type a custom field belongs to. */
export type CustomFieldObject =
  | 'COMPANY'
  | 'CONTACT';

/** TEXT: string (≤ 1000 chars); NUMBER: finite number; BOOLEAN; DATE: "YYYY-MM-DD"; SELECT: one of options; MULTI_SELECT: list of options. */
export type CustomFieldType =
  | 'BOOLEAN'
  | 'DATE'
  | 'MULTI_SELECT'
  | 'NUMBER'
  | 'SELECT'
  | 'TEXT';

export type DateTimeFilter = {
  eq?: InputMaybe<Scalars['DateTime']['input']>;
  gt?: InputMaybe<Scalars['DateTime']['input']>;
  gte?: InputMaybe<Scalars['DateTime']['input']>;
  isNull?: InputMaybe<Scalars['Boolean']['input']>;
  lt?: InputMaybe<Scalars['DateTime']['input']>;
  lte?: InputMaybe<Scalars['DateTime']['input']>;
  neq?: InputMaybe<Scalars['DateTime']['input']>;
};

/** All given conditions must hold; combine with and/or/not. */
export type DealFilter = {
  amount?: InputMaybe<DecimalFilter>;
  and?: InputMaybe<Array<DealFilter>>;
  /** Conditions on the deal's calls. */
  calls?: InputMaybe<CallRelationFilter>;
  closedAt?: InputMaybe<DateTimeFilter>;
  company?: InputMaybe<CompanyFilter>;
  companyId?: InputMaybe<IdFilter>;
  contacts?: InputMaybe<ContactRelationFilter>;
  createdAt?: InputMaybe<DateTimeFilter>;
  currency?: InputMaybe<StringFilter>;
  /** Compared at midnight UTC. */
  expectedCloseDate?: InputMaybe<DateTimeFilter>;
  id?: InputMaybe<IdFilter>;
  name?: InputMaybe<StringFilter>;
  not?: InputMaybe<DealFilter>;
  or?: InputMaybe<Array<DealFilter>>;
  owner?: InputMaybe<UserFilter>;
  ownerId?: InputMaybe<IdFilter>;
  pipelineId?: InputMaybe<IdFilter>;
  stage?: InputMaybe<StageFilter>;
  stageId?: InputMaybe<IdFilter>;
  tags?: InputMaybe<StringListFilter>;
  updatedAt?: InputMaybe<DateTimeFilter>;
};

export type DealIdInput = {
  id: Scalars['ID']['input'];
};

export type DealOrder = {
  direction?: OrderDirection;
  field: DealOrderField;
  nulls?: InputMaybe<NullsOrder>;
};

export type DealOrderField =
  | 'AMOUNT'
  | 'CLOSED_AT'
  | 'CREATED_AT'
  | 'EXPECTED_CLOSE_DATE'
  | 'NAME'
  | 'UPDATED_AT';

/** Conditions on related deals: some match, none match, or every one matches. */
export type DealRelationFilter = {
  every?: InputMaybe<DealFilter>;
  none?: InputMaybe<DealFilter>;
  some?: InputMaybe<DealFilter>;
};

/** Decimal operators; values are decimal strings such as "1000.50". */
export type DecimalFilter = {
  eq?: InputMaybe<Scalars['String']['input']>;
  gt?: InputMaybe<Scalars['String']['input']>;
  gte?: InputMaybe<Scalars['String']['input']>;
  isNull?: InputMaybe<Scalars['Boolean']['input']>;
  lt?: InputMaybe<Scalars['String']['input']>;
  lte?: InputMaybe<Scalars['String']['input']>;
  neq?: InputMaybe<Scalars['String']['input']>;
};

export type DeleteCustomFieldDefinitionInput = {
  id: Scalars['ID']['input'];
};

export type DeleteStageInput = {
  id: Scalars['ID']['input'];
  /** Required when deals are in the stage: they move here first. */
  moveDealsToStageId?: InputMaybe<Scalars['ID']['input']>;
};

/** Whether the provider found the record published as it should be. UNKNOWN: not checked yet (or never: a LOCAL domain's records are not checked). */
export type DnsRecordValidity =
  | 'INVALID'
  | 'UNKNOWN'
  | 'VALID';

/** Whether campaign email may be sent to the contact. */
export type EmailStatus =
  | 'BOUNCED'
  | 'COMPLAINED'
  | 'SUBSCRIBED'
  | 'UNSUBSCRIBED';

export type EmailStatusFilter = {
  eq?: InputMaybe<EmailStatus>;
  in?: InputMaybe<Array<EmailStatus>>;
  isNull?: InputMaybe<Scalars['Boolean']['input']>;
  neq?: InputMaybe<EmailStatus>;
  notIn?: InputMaybe<Array<EmailStatus>>;
};

/** Who will use the numbers. */
export type EndUserType =
  | 'BUSINESS'
  | 'INDIVIDUAL';

export type EndUserTypeFilter = {
  eq?: InputMaybe<EndUserType>;
  in?: InputMaybe<Array<EndUserType>>;
  isNull?: InputMaybe<Scalars['Boolean']['input']>;
  neq?: InputMaybe<EndUserType>;
  notIn?: InputMaybe<Array<EndUserType>>;
};

/** Operators on ids of a referenced record. */
export type IdFilter = {
  eq?: InputMaybe<Scalars['ID']['input']>;
  in?: InputMaybe<Array<Scalars['ID']['input']>>;
  isNull?: InputMaybe<Scalars['Boolean']['input']>;
  neq?: InputMaybe<Scalars['ID']['input']>;
  notIn?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type IntFilter = {
  eq?: InputMaybe<Scalars['Int']['input']>;
  gt?: InputMaybe<Scalars['Int']['input']>;
  gte?: InputMaybe<Scalars['Int']['input']>;
  in?: InputMaybe<Array<Scalars['Int']['input']>>;
  isNull?: InputMaybe<Scalars['Boolean']['input']>;
  lt?: InputMaybe<Scalars['Int']['input']>;
  lte?: InputMaybe<Scalars['Int']['input']>;
  neq?: InputMaybe<Scalars['Int']['input']>;
};

/** SUBSCRIPTION_CREATE: a paid plan taken from a free one; UPGRADE: a dearer plan taken, a new period from that moment; RENEWAL: the next period of the same plan; DOWNGRADE: the first period of a cheaper plan scheduled earlier. */
export type InvoiceReason =
  | 'DOWNGRADE'
  | 'RENEWAL'
  | 'SUBSCRIPTION_CREATE'
  | 'UPGRADE';

export type LifecycleStage =
  | 'CUSTOMER'
  | 'EVANGELIST'
  | 'LEAD'
  | 'MARKETING_QUALIFIED_LEAD'
  | 'OPPORTUNITY'
  | 'OTHER'
  | 'SALES_QUALIFIED_LEAD'
  | 'SUBSCRIBER';

export type LifecycleStageFilter = {
  eq?: InputMaybe<LifecycleStage>;
  in?: InputMaybe<Array<LifecycleStage>>;
  isNull?: InputMaybe<Scalars['Boolean']['input']>;
  neq?: InputMaybe<LifecycleStage>;
  notIn?: InputMaybe<Array<LifecycleStage>>;
};

export type LiftEmailRestrictionInput = {
  /** Why (kept with the organisation, 3–500 characters). */
  reason: Scalars['String']['input'];
};

/** Records a call made outside the service (nothing is dialled). */
export type LogCallInput = {
  answeredAt?: InputMaybe<Scalars['DateTime']['input']>;
  contactId?: InputMaybe<Scalars['ID']['input']>;
  dealId?: InputMaybe<Scalars['ID']['input']>;
  direction: CallDirection;
  /** Seconds; default endedAt − (answeredAt or startedAt). */
  duration?: InputMaybe<Scalars['Int']['input']>;
  endedAt?: InputMaybe<Scalars['DateTime']['input']>;
  fromNumber: Scalars['String']['input'];
  notes?: InputMaybe<Scalars['String']['input']>;
  outcome?: InputMaybe<CallOutcome>;
  /** Default: the API key's user. */
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  startedAt?: InputMaybe<Scalars['DateTime']['input']>;
  status?: CallStatus;
  toNumber: Scalars['String']['input'];
};

export type MergeContactsInput = {
  /** Contacts merged into the primary, then soft-deleted. */
  duplicateIds: Array<Scalars['ID']['input']>;
  /** The contact that remains. */
  primaryId: Scalars['ID']['input'];
};

export type MoveDealInput = {
  id: Scalars['ID']['input'];
  /** May belong to another pipeline: the deal moves with it. */
  stageId: Scalars['ID']['input'];
};

/** Where null values sort; LAST unless asked. */
export type NullsOrder =
  | 'FIRST'
  | 'LAST';

export type OperationKind =
  | 'MUTATION'
  | 'QUERY'
  | 'SUBSCRIPTION';

export type OperationKindFilter = {
  eq?: InputMaybe<OperationKind>;
  in?: InputMaybe<Array<OperationKind>>;
  isNull?: InputMaybe<Scalars['Boolean']['input']>;
  neq?: InputMaybe<OperationKind>;
  notIn?: InputMaybe<Array<OperationKind>>;
};

export type OrderDirection =
  | 'ASC'
  | 'DESC';

export type PersistedDocumentFilter = {
  and?: InputMaybe<Array<PersistedDocumentFilter>>;
  clientName?: InputMaybe<StringFilter>;
  cost?: InputMaybe<IntFilter>;
  createdAt?: InputMaybe<DateTimeFilter>;
  depth?: InputMaybe<IntFilter>;
  hash?: InputMaybe<StringFilter>;
  id?: InputMaybe<IdFilter>;
  lastUsedAt?: InputMaybe<DateTimeFilter>;
  not?: InputMaybe<PersistedDocumentFilter>;
  operationName?: InputMaybe<StringFilter>;
  operationType?: InputMaybe<OperationKindFilter>;
  or?: InputMaybe<Array<PersistedDocumentFilter>>;
  updatedAt?: InputMaybe<DateTimeFilter>;
};

export type PersistedDocumentOrder = {
  direction?: OrderDirection;
  field: PersistedDocumentOrderField;
  nulls?: InputMaybe<NullsOrder>;
};

export type PersistedDocumentOrderField =
  | 'CLIENT_NAME'
  | 'COST'
  | 'CREATED_AT'
  | 'DEPTH'
  | 'LAST_USED_AT'
  | 'OPERATION_NAME'
  | 'UPDATED_AT';

export type PhoneNumberFilter = {
  and?: InputMaybe<Array<PhoneNumberFilter>>;
  complianceApplication?: InputMaybe<ComplianceApplicationFilter>;
  complianceApplicationId?: InputMaybe<IdFilter>;
  country?: InputMaybe<StringFilter>;
  createdAt?: InputMaybe<DateTimeFilter>;
  id?: InputMaybe<IdFilter>;
  not?: InputMaybe<PhoneNumberFilter>;
  number?: InputMaybe<StringFilter>;
  numberType?: InputMaybe<PhoneNumberTypeFilter>;
  or?: InputMaybe<Array<PhoneNumberFilter>>;
  releasedAt?: InputMaybe<DateTimeFilter>;
  smsEnabled?: InputMaybe<Scalars['Boolean']['input']>;
  status?: InputMaybe<PhoneNumberStatusFilter>;
  voiceEnabled?: InputMaybe<Scalars['Boolean']['input']>;
};

export type PhoneNumberIdInput = {
  id: Scalars['ID']['input'];
};

export type PhoneNumberOrder = {
  direction?: OrderDirection;
  field: PhoneNumberOrderField;
  nulls?: InputMaybe<NullsOrder>;
};

export type PhoneNumberOrderField =
  | 'COUNTRY'
  | 'CREATED_AT'
  | 'NUMBER'
  | 'RELEASED_AT'
  | 'UPDATED_AT';

/** ACTIVE: rented, calls can be placed from it. RELEASED: given back to the provider. */
export type PhoneNumberStatus =
  | 'ACTIVE'
  | 'RELEASED';

export type PhoneNumberStatusFilter = {
  eq?: InputMaybe<PhoneNumberStatus>;
  in?: InputMaybe<Array<PhoneNumberStatus>>;
  isNull?: InputMaybe<Scalars['Boolean']['input']>;
  neq?: InputMaybe<PhoneNumberStatus>;
  notIn?: InputMaybe<Array<PhoneNumberStatus>>;
};

/** A number's kind, as the telephony provider sells it. */
export type PhoneNumberType =
  | 'LOCAL'
  | 'MOBILE'
  | 'NATIONAL'
  | 'TOLL_FREE';

export type PhoneNumberTypeFilter = {
  eq?: InputMaybe<PhoneNumberType>;
  in?: InputMaybe<Array<PhoneNumberType>>;
  isNull?: InputMaybe<Scalars['Boolean']['input']>;
  neq?: InputMaybe<PhoneNumberType>;
  notIn?: InputMaybe<Array<PhoneNumberType>>;
};

export type PipelineFilter = {
  and?: InputMaybe<Array<PipelineFilter>>;
  createdAt?: InputMaybe<DateTimeFilter>;
  id?: InputMaybe<IdFilter>;
  isDefault?: InputMaybe<Scalars['Boolean']['input']>;
  name?: InputMaybe<StringFilter>;
  not?: InputMaybe<PipelineFilter>;
  or?: InputMaybe<Array<PipelineFilter>>;
  updatedAt?: InputMaybe<DateTimeFilter>;
};

export type PipelineIdInput = {
  id: Scalars['ID']['input'];
};

export type PipelineOrder = {
  direction?: OrderDirection;
  field: PipelineOrderField;
  nulls?: InputMaybe<NullsOrder>;
};

export type PipelineOrderField =
  | 'CREATED_AT'
  | 'NAME'
  | 'UPDATED_AT';

/** Give exactly one of contactId (its first phone number is called) and to. */
export type PlaceCallInput = {
  contactId?: InputMaybe<Scalars['ID']['input']>;
  dealId?: InputMaybe<Scalars['ID']['input']>;
  /** A rented PhoneNumber (ACTIVE): the caller id both parties see. */
  fromNumberId: Scalars['ID']['input'];
  notes?: InputMaybe<Scalars['String']['input']>;
  /** The number to call (E.164). */
  to?: InputMaybe<Scalars['String']['input']>;
  /** The user's own phone (E.164): rung first, then bridged to the contact. */
  userPhone: Scalars['String']['input'];
};

export type RegisterPersistedDocumentsInput = {
  /** The client the documents belong to, e.g. "partner-portal@1.4.0". */
  clientName: Scalars['String']['input'];
  /** GraphQL Code Generator's persisted-documents manifest: { "<sha256 hex>": "<document>" } (at most 500). */
  manifest: Scalars['JSONObject']['input'];
};

export type RemoveCampaignRecipientsInput = {
  campaignId: Scalars['ID']['input'];
  contactIds: Array<Scalars['ID']['input']>;
};

export type RemoveComplianceDocumentInput = {
  id: Scalars['ID']['input'];
};

export type RentPhoneNumberInput = {
  /** E.164, as searchPhoneNumbers returned it. */
  number: Scalars['String']['input'];
  numberType: PhoneNumberType;
};

export type ReorderStagesInput = {
  pipelineId: Scalars['ID']['input'];
  /** Every stage of the pipeline, once, in the new order. */
  stageIds: Array<Scalars['ID']['input']>;
};

export type ResumeSubscriptionInput = {
  /** Why, in the customer's words (kept with the history). */
  reason?: InputMaybe<Scalars['String']['input']>;
};

export type RevokeApiKeyInput = {
  id: Scalars['ID']['input'];
};

/** When to start sending: a time in the future, at most a year ahead. */
export type ScheduleCampaignInput = {
  at: Scalars['DateTime']['input'];
  id: Scalars['ID']['input'];
};

export type SearchType =
  | 'COMPANY'
  | 'CONTACT'
  | 'DEAL';

export type SendingDomainIdInput = {
  id: Scalars['ID']['input'];
};

/** Who verified the domain. MAILGUN: registered with Mailgun, which checks its DNS records. LOCAL: no email provider is configured (no MAILGUN_API_KEY, messages go to the local outbox), so the domain is verified at once without any DNS check; such a domain does not count as verified once Mailgun is configured (refreshSendingDomain then registers it with Mailgun). */
export type SendingDomainProvider =
  | 'LOCAL'
  | 'MAILGUN';

/** VERIFIED: campaigns may send from addresses on the domain; UNVERIFIED: publish its `dnsRecords`, then `refreshSendingDomain`. */
export type SendingDomainState =
  | 'UNVERIFIED'
  | 'VERIFIED';

export type SignUpInput = {
  /** The first admin user. */
  email: Scalars['String']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  organizationName: Scalars['String']['input'];
};

export type StageFilter = {
  and?: InputMaybe<Array<StageFilter>>;
  id?: InputMaybe<IdFilter>;
  kind?: InputMaybe<StageKindFilter>;
  name?: InputMaybe<StringFilter>;
  not?: InputMaybe<StageFilter>;
  or?: InputMaybe<Array<StageFilter>>;
  pipelineId?: InputMaybe<IdFilter>;
  probability?: InputMaybe<IntFilter>;
};

export type StageInput = {
  kind?: StageKind;
  name: Scalars['String']['input'];
  /** 0–100. */
  probability: Scalars['Int']['input'];
};

/** OPEN stages are in progress; WON and LOST close a deal. */
export type StageKind =
  | 'LOST'
  | 'OPEN'
  | 'WON';

export type StageKindFilter = {
  eq?: InputMaybe<StageKind>;
  in?: InputMaybe<Array<StageKind>>;
  isNull?: InputMaybe<Scalars['Boolean']['input']>;
  neq?: InputMaybe<StageKind>;
  notIn?: InputMaybe<Array<StageKind>>;
};

/** Text operators. Matching is case-sensitive unless ignoreCase is true. */
export type StringFilter = {
  contains?: InputMaybe<Scalars['String']['input']>;
  endsWith?: InputMaybe<Scalars['String']['input']>;
  eq?: InputMaybe<Scalars['String']['input']>;
  ignoreCase?: InputMaybe<Scalars['Boolean']['input']>;
  in?: InputMaybe<Array<Scalars['String']['input']>>;
  isNull?: InputMaybe<Scalars['Boolean']['input']>;
  neq?: InputMaybe<Scalars['String']['input']>;
  notIn?: InputMaybe<Array<Scalars['String']['input']>>;
  startsWith?: InputMaybe<Scalars['String']['input']>;
};

/** Operators on a list of strings such as tags. */
export type StringListFilter = {
  /** Contains this value. */
  has?: InputMaybe<Scalars['String']['input']>;
  /** Contains all of these. */
  hasAll?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Contains at least one of these. */
  hasAny?: InputMaybe<Array<Scalars['String']['input']>>;
  isEmpty?: InputMaybe<Scalars['Boolean']['input']>;
};

export type SuppressionInput = {
  email: Scalars['String']['input'];
};

/** Fields left out stay as they are; null clears a field. */
export type UpdateCallInput = {
  contactId?: InputMaybe<Scalars['ID']['input']>;
  dealId?: InputMaybe<Scalars['ID']['input']>;
  id: Scalars['ID']['input'];
  notes?: InputMaybe<Scalars['String']['input']>;
  outcome?: InputMaybe<CallOutcome>;
  ownerId?: InputMaybe<Scalars['ID']['input']>;
};

/** Only DRAFT, SCHEDULED and PAUSED campaigns can change. */
export type UpdateCampaignInput = {
  fromEmail?: InputMaybe<Scalars['String']['input']>;
  fromName?: InputMaybe<Scalars['String']['input']>;
  htmlBody?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  replyTo?: InputMaybe<Scalars['String']['input']>;
  subject?: InputMaybe<Scalars['String']['input']>;
  textBody?: InputMaybe<Scalars['String']['input']>;
};

/** Fields left out stay as they are; null clears a field. */
export type UpdateCompanyInput = {
  /** Merged into the stored values; a key set to null is removed. */
  customFields?: InputMaybe<Scalars['JSONObject']['input']>;
  domain?: InputMaybe<Scalars['String']['input']>;
  employees?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
  industry?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  /** A member of the organisation. */
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  /** Replaces the tags. */
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** Only DRAFT and REJECTED applications can change (a REJECTED one becomes DRAFT again). */
export type UpdateComplianceApplicationInput = {
  addressCountry?: InputMaybe<Scalars['String']['input']>;
  addressLine?: InputMaybe<Scalars['String']['input']>;
  businessName?: InputMaybe<Scalars['String']['input']>;
  city?: InputMaybe<Scalars['String']['input']>;
  email?: InputMaybe<Scalars['String']['input']>;
  endUserType?: InputMaybe<EndUserType>;
  firstName?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  lastName?: InputMaybe<Scalars['String']['input']>;
  postalCode?: InputMaybe<Scalars['String']['input']>;
  registrationNumber?: InputMaybe<Scalars['String']['input']>;
};

/** Fields left out stay as they are; null clears a field. */
export type UpdateContactInput = {
  companyId?: InputMaybe<Scalars['ID']['input']>;
  /** Merged into the stored values; a key set to null is removed. */
  customFields?: InputMaybe<Scalars['JSONObject']['input']>;
  /** Replaces the addresses. */
  emails?: InputMaybe<Array<Scalars['String']['input']>>;
  firstName?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  jobTitle?: InputMaybe<Scalars['String']['input']>;
  lastName?: InputMaybe<Scalars['String']['input']>;
  lifecycleStage?: InputMaybe<LifecycleStage>;
  /** A member of the organisation. */
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  /** Replaces the numbers. */
  phones?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Replaces the tags. */
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** Fields left out stay as they are; null clears a field. Use moveDeal to change stage. */
export type UpdateDealInput = {
  /** Decimal string, e.g. "1250.00". */
  amount?: InputMaybe<Scalars['String']['input']>;
  companyId?: InputMaybe<Scalars['ID']['input']>;
  /** Replaces the contacts. */
  contactIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** ISO 4217. */
  currency?: InputMaybe<Scalars['String']['input']>;
  expectedCloseDate?: InputMaybe<Scalars['LocalDate']['input']>;
  id: Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type UpdateEmailSettingsInput = {
  /** The sender's physical postal address, one or more lines, at most 500 characters (a street address or a registered post office box). */
  postalAddress: Scalars['String']['input'];
};

export type UpdatePipelineInput = {
  id: Scalars['ID']['input'];
  /** true makes it the default; the previous default stops being one. */
  isDefault?: InputMaybe<Scalars['Boolean']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
};

export type UpdateStageInput = {
  id: Scalars['ID']['input'];
  kind?: InputMaybe<StageKind>;
  name?: InputMaybe<Scalars['String']['input']>;
  probability?: InputMaybe<Scalars['Int']['input']>;
};

/** Fields left out stay as they are; null clears a field. */
export type UpdateUserInput = {
  id: Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  role?: InputMaybe<UserRole>;
};

/** Matches each item on its first email (case-insensitive) against every address of live contacts: a match is updated (addresses are added, other given fields replaced), otherwise a contact is created. */
export type UpsertContactsInput = {
  contacts: Array<CreateContactInput>;
  /** Continue a call that stopped at the plan's records-per-call: the same contacts plus the resumeCursor it returned. */
  resumeCursor?: InputMaybe<Scalars['String']['input']>;
};

/** API_CALLS, BANDWIDTH (response bytes), EMAILS and CALLS_PLACED are per UTC day; REQUESTS_PER_SECOND is counted per 10-second window (limit = 10 × the rate); COST is the bucket; SUBSCRIPTIONS counts live subscriptions across instances; PHONE_NUMBERS counts the numbers rented now; the rest are per operation. */
export type UsageDimension =
  | 'ALIASES'
  | 'API_CALLS'
  | 'BANDWIDTH'
  | 'CALLS_PLACED'
  | 'CONCURRENT_REQUESTS'
  | 'COST'
  | 'DEPTH'
  | 'EMAILS'
  | 'MAX_COST'
  | 'PHONE_NUMBERS'
  | 'RECORDS_PER_CALL'
  | 'REQUESTS_PER_SECOND'
  | 'ROOT_FIELDS'
  | 'SELECTIONS'
  | 'SUBSCRIPTIONS';

export type UserFilter = {
  and?: InputMaybe<Array<UserFilter>>;
  createdAt?: InputMaybe<DateTimeFilter>;
  email?: InputMaybe<StringFilter>;
  id?: InputMaybe<IdFilter>;
  name?: InputMaybe<StringFilter>;
  not?: InputMaybe<UserFilter>;
  or?: InputMaybe<Array<UserFilter>>;
  role?: InputMaybe<UserRoleFilter>;
};

export type UserIdInput = {
  id: Scalars['ID']['input'];
};

export type UserOrder = {
  direction?: OrderDirection;
  field: UserOrderField;
  nulls?: InputMaybe<NullsOrder>;
};

export type UserOrderField =
  | 'CREATED_AT'
  | 'EMAIL'
  | 'NAME';

export type UserRole =
  | 'ADMIN'
  | 'MEMBER';

export type UserRoleFilter = {
  eq?: InputMaybe<UserRole>;
  in?: InputMaybe<Array<UserRole>>;
  isNull?: InputMaybe<Scalars['Boolean']['input']>;
  neq?: InputMaybe<UserRole>;
  notIn?: InputMaybe<Array<UserRole>>;
};

export type CallStatusSubscriptionVariables = Exact<{
  callId?: InputMaybe<Scalars['ID']['input']>;
}>;


export type CallStatusSubscription = { __typename?: 'Subscription', callStatusChanged: { __typename?: 'Call', id: string, status: CallStatus, direction: CallDirection, fromNumber: string, toNumber: string, startedAt?: string | null, answeredAt?: string | null, endedAt?: string | null, duration?: number | null } };

export type DashboardOverviewQueryVariables = Exact<{
  companies?: InputMaybe<Scalars['Int']['input']>;
  contactsPerCompany?: InputMaybe<Scalars['Int']['input']>;
}>;


export type DashboardOverviewQuery = { __typename?: 'Query', viewer: { __typename?: 'Viewer', organization: { __typename?: 'Organization', id: string, name: string, plan: string }, user?: { __typename?: 'User', id: string, name?: string | null, email: string, role: UserRole } | null, apiKey: { __typename?: 'ApiKey', name: string, scopes: Array<ApiKeyScope> } }, companies: { __typename?: 'CompanyConnection', totalCount: number, nodes: Array<{ __typename?: 'Company', id: string, name: string, domain?: string | null, industry?: string | null, employees?: number | null, tags: Array<string>, contacts: { __typename?: 'ContactConnection', totalCount: number, nodes: Array<{ __typename?: 'Contact', id: string, name: string, primaryEmail?: string | null, lifecycleStage?: LifecycleStage | null, updatedAt: string }> } }> } };

export type CompanySummaryFragment = { __typename?: 'Company', id: string, name: string, domain?: string | null } & { ' $fragmentName'?: 'CompanySummaryFragment' };

export type ContactListItemFragment = { __typename?: 'Contact', id: string, name: string, primaryEmail?: string | null, jobTitle?: string | null, lifecycleStage?: LifecycleStage | null, emailStatus: EmailStatus, tags: Array<string>, updatedAt: string, company?: (
    { __typename?: 'Company' }
    & { ' $fragmentRefs'?: { 'CompanySummaryFragment': CompanySummaryFragment } }
  ) | null } & { ' $fragmentName'?: 'ContactListItemFragment' };

export type ContactsListQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ContactFilter>;
  orderBy?: InputMaybe<Array<ContactOrder> | ContactOrder>;
}>;


export type ContactsListQuery = { __typename?: 'Query', contacts: { __typename?: 'ContactConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'ContactEdge', cursor: string, node: (
        { __typename?: 'Contact' }
        & { ' $fragmentRefs'?: { 'ContactListItemFragment': ContactListItemFragment } }
      ) }> } };

export type CreateContactMutationVariables = Exact<{
  input: CreateContactInput;
}>;


export type CreateContactMutation = { __typename?: 'Mutation', createContact: { __typename?: 'ContactPayload', contact: (
      { __typename?: 'Contact', firstName?: string | null, lastName?: string | null, emails: Array<string>, phones: Array<string>, customFields: Record<string, unknown>, createdAt: string }
      & { ' $fragmentRefs'?: { 'ContactListItemFragment': ContactListItemFragment } }
    ) } };

export type PartnerContactQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type PartnerContactQuery = { __typename?: 'Query', contact: { __typename?: 'Contact', id: string, firstName?: string | null, lastName?: string | null, emails: Array<string>, phones: Array<string>, lifecycleStage?: LifecycleStage | null, emailStatus: EmailStatus, tags: Array<string>, customFields: Record<string, unknown>, deletedAt?: string | null, updatedAt: string, company?: { __typename?: 'Company', id: string, name: string } | null } };

export type PartnerUpdateContactMutationVariables = Exact<{
  input: UpdateContactInput;
}>;


export type PartnerUpdateContactMutation = { __typename?: 'Mutation', updateContact: { __typename?: 'ContactPayload', contact: { __typename?: 'Contact', id: string, firstName?: string | null, lastName?: string | null, jobTitle?: string | null, lifecycleStage?: LifecycleStage | null, tags: Array<string>, customFields: Record<string, unknown>, updatedAt: string } } };

export const CompanySummaryFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CompanySummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Company"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"domain"}}]}}]} as unknown as DocumentNode<CompanySummaryFragment, unknown>;
export const ContactListItemFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContactListItem"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Contact"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"primaryEmail"}},{"kind":"Field","name":{"kind":"Name","value":"jobTitle"}},{"kind":"Field","name":{"kind":"Name","value":"lifecycleStage"}},{"kind":"Field","name":{"kind":"Name","value":"emailStatus"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"company"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CompanySummary"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CompanySummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Company"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"domain"}}]}}]} as unknown as DocumentNode<ContactListItemFragment, unknown>;
export const CallStatusDocument = {"__meta__":{"hash":"c22acff53b0bed4a54c38c98f9a53ba7a8eb6e0ba08ed4ff440dd4767720c745"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"CallStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"callId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"callStatusChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"callId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"callId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"direction"}},{"kind":"Field","name":{"kind":"Name","value":"fromNumber"}},{"kind":"Field","name":{"kind":"Name","value":"toNumber"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"answeredAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"duration"}}]}}]}}]} as unknown as DocumentNode<CallStatusSubscription, CallStatusSubscriptionVariables>;
export const DashboardOverviewDocument = {"__meta__":{"hash":"96fa2e76ba3f50c1088a89e1efd6a9d6fee37ba1954037d21e0fc953472425a4"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DashboardOverview"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"companies"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"10"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"contactsPerCompany"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"5"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"plan"}}]}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}},{"kind":"Field","name":{"kind":"Name","value":"apiKey"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"companies"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"companies"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ListValue","values":[{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"EMPLOYEES"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"DESC"}},{"kind":"ObjectField","name":{"kind":"Name","value":"nulls"},"value":{"kind":"EnumValue","value":"LAST"}}]}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"domain"}},{"kind":"Field","name":{"kind":"Name","value":"industry"}},{"kind":"Field","name":{"kind":"Name","value":"employees"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"contactsPerCompany"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ListValue","values":[{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"UPDATED_AT"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"DESC"}}]}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"primaryEmail"}},{"kind":"Field","name":{"kind":"Name","value":"lifecycleStage"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<DashboardOverviewQuery, DashboardOverviewQueryVariables>;
export const ContactsListDocument = {"__meta__":{"hash":"e48e66ca588752e77a818be9830e008f5e16d55acd1070030d2b3448dfa4f600"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ContactsList"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"20"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ContactFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ContactOrder"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"contacts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ContactListItem"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CompanySummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Company"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"domain"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContactListItem"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Contact"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"primaryEmail"}},{"kind":"Field","name":{"kind":"Name","value":"jobTitle"}},{"kind":"Field","name":{"kind":"Name","value":"lifecycleStage"}},{"kind":"Field","name":{"kind":"Name","value":"emailStatus"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"company"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CompanySummary"}}]}}]}}]} as unknown as DocumentNode<ContactsListQuery, ContactsListQueryVariables>;
export const CreateContactDocument = {"__meta__":{"hash":"c7452c61d9a184521c6e85d641cf1df08ded1099fd9c5bc7fb247cc3857b9c82"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateContact"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateContactInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createContact"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"contact"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ContactListItem"}},{"kind":"Field","name":{"kind":"Name","value":"firstName"}},{"kind":"Field","name":{"kind":"Name","value":"lastName"}},{"kind":"Field","name":{"kind":"Name","value":"emails"}},{"kind":"Field","name":{"kind":"Name","value":"phones"}},{"kind":"Field","name":{"kind":"Name","value":"customFields"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CompanySummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Company"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"domain"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ContactListItem"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Contact"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"primaryEmail"}},{"kind":"Field","name":{"kind":"Name","value":"jobTitle"}},{"kind":"Field","name":{"kind":"Name","value":"lifecycleStage"}},{"kind":"Field","name":{"kind":"Name","value":"emailStatus"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"company"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CompanySummary"}}]}}]}}]} as unknown as DocumentNode<CreateContactMutation, CreateContactMutationVariables>;
export const PartnerContactDocument = {"__meta__":{"hash":"ba3e4bd3edb2d685f633b97c0a5604324e3b6be4a9a9a242e28bf415bd8c8787"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PartnerContact"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"contact"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"firstName"}},{"kind":"Field","name":{"kind":"Name","value":"lastName"}},{"kind":"Field","name":{"kind":"Name","value":"emails"}},{"kind":"Field","name":{"kind":"Name","value":"phones"}},{"kind":"Field","name":{"kind":"Name","value":"lifecycleStage"}},{"kind":"Field","name":{"kind":"Name","value":"emailStatus"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"customFields"}},{"kind":"Field","name":{"kind":"Name","value":"deletedAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"company"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<PartnerContactQuery, PartnerContactQueryVariables>;
export const PartnerUpdateContactDocument = {"__meta__":{"hash":"cefbdd1073f870dbd9674df28386b493084eaa61e5063f7574177d8912e46e9b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PartnerUpdateContact"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateContactInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateContact"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"contact"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"firstName"}},{"kind":"Field","name":{"kind":"Name","value":"lastName"}},{"kind":"Field","name":{"kind":"Name","value":"jobTitle"}},{"kind":"Field","name":{"kind":"Name","value":"lifecycleStage"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"customFields"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]}}]}}]} as unknown as DocumentNode<PartnerUpdateContactMutation, PartnerUpdateContactMutationVariables>;
import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, createServer as createHttpsServer, type RequestOptions } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { parseMultipart as parseMultipartBody, withBody } from './loopback-http';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, TLSSocket } from 'node:tls';
import axios from 'axios';
// plivo sets axios.defaults.httpAgent/httpsAgent when it is first required. Loading it here, before
// installVoiceRedirect can run, keeps a later first require of plivo from replacing the redirect.
import 'plivo';

/**
 * A loopback stand-in for Plivo's REST API, spoken to through the real plivo SDK (4.79):
 * `new plivo.Client(authId, authToken, { url: `${double.url}/v1/Account/${authId}` })`.
 *
 * The SDK sends the non-voice APIs to that `url`, but hard-codes the voice APIs to
 * `https://api.plivo.com/v1/Account/<authId>/Call/…`; `installVoiceRedirect()` points axios's
 * default HTTPS agent at the double's HTTPS listener (certificate for api.plivo.com in
 * fixtures/plivo-double.crt), so those arrive here too. Both listeners share one handler.
 *
 * Routes, under `/v1/Account/:authId/` (the SDK always adds the trailing slash):
 * - `GET    PhoneNumber/?country_iso=&type=&pattern=&limit=&offset=`   numbers.search      'search'
 * - `POST   PhoneNumber/:number/`  (app_id, compliance_application_id)  numbers.buy         'buy'
 * - `DELETE Number/:number/`                                            numbers.unrent      'unrent'
 * - `POST   EndUser/`                                                   endUsers.create     'endUser'
 * - `POST   ComplianceDocument/`  (multipart/form-data)                 complianceDocuments.create 'document'
 * - `POST   ComplianceApplication/`                                     complianceApplications.create 'application'
 * - `POST   ComplianceApplication/:id/Submit/`                          complianceApplications.submit 'submit'
 * - `GET    ComplianceApplication/:id/`                                 complianceApplications.get 'getApplication'
 * - `POST   Call/`  (JSON)                                              calls.create        'call'
 * - `DELETE Call/:uuid/`  (request_uuid or the double's CallUUID)       calls.hangup        'hangup'
 *
 * Replies are Plivo's JSON (snake_case keys, an `api_id` uuid); errors are `{ api_id, error }`, which
 * the SDK rejects with as an Error carrying `status` and `message` = `error` (its PlivoRestError
 * subclasses are Babel ES5 classes and come out as plain Errors). A status it has no class for (413,
 * 429, …) rejects as a plain Error whose message is the stringified AxiosError, without `status`.
 * Bad credentials, or another account's id in the path: 401. A known path with another method: 405.
 * Unknown path: 404. Body over the limit: 413. The HTTPS listener answers only Host api.plivo.com (421).
 * Callbacks go the other way: `sign`/`postCallback` and the call walk (`ring`, `answer`, `complete`)
 * post form-encoded bodies with X-Plivo-Signature-V3 headers, as Plivo does, to loopback URLs only.
 */

export type PlivoRouteName =
  | 'search'
  | 'buy'
  | 'unrent'
  | 'endUser'
  | 'document'
  | 'application'
  | 'submit'
  | 'getApplication'
  | 'call'
  | 'hangup';

/** The search `type` a number is listed under; the reply's `type` is `fixed` for local and national. */
export type PlivoNumberKind = 'local' | 'mobile' | 'tollfree' | 'national';

export type ComplianceStatus = 'draft' | 'submitted' | 'accepted' | 'rejected';

/** CallStatus values Plivo posts to a hangup_url. */
export type PlivoHangupStatus = 'completed' | 'busy' | 'failed' | 'timeout' | 'no-answer' | 'cancel';

export type PlivoCallStatus = 'queued' | 'ringing' | 'in-progress' | PlivoHangupStatus;

export interface PlivoDoubleOptions {
  authId: string;
  authToken: string;
  /**
   * Countries (ISO 3166 alpha-2) whose numbers can only be bought with the id of an `accepted`
   * compliance application for that country (and number type); default DE, FR, IN, AU, BR.
   */
  regulatedCountries?: string[];
  /** Request bodies above this answer 413; default 10 MB. */
  maxBodyBytes?: number;
  /**
   * Where a callback for a URL is actually sent (see setCallbackTarget); the signature is always
   * over the URL itself, as Plivo signs the URL it calls. Default: the URL itself.
   */
  callbackTarget?: (url: string) => string;
}

/** A number in the search inventory. */
export interface AvailableNumber {
  /** E.164 without '+': '14155550100'. */
  number: string;
  /** ISO 3166 alpha-2, upper case. */
  countryIso: string;
  /** The country calling code, '1' for US and CA. */
  countryCode: string;
  kind: PlivoNumberKind;
  /** Area code (local) or the number's national prefix: '415', '7700', '800'. */
  prefix: string;
  city: string | null;
  region: string;
  rateCenter: string | null;
  lata: number | null;
  setupRate: string;
  monthlyRentalRate: string;
  smsEnabled: boolean;
  smsRate: string | null;
  mmsEnabled: boolean;
  mmsRate: string | null;
  voiceEnabled: boolean;
  voiceRate: string;
}

export interface RentedNumber extends AvailableNumber {
  appId: string | null;
  complianceApplicationId: string | null;
  rentedAt: Date;
}

export interface StoredEndUser {
  endUserId: string;
  name: string;
  lastName: string;
  /** 'Individual' or 'Business'. */
  endUserType: string;
  createdAt: string;
  /** Every parameter as sent. */
  params: Record<string, unknown>;
}

export interface PlivoUploadedFile {
  field: string;
  /** null when the part has no filename (the SDK sends a Buffer `file` without one). */
  filename: string | null;
  contentType: string;
  data: Buffer;
}

export interface StoredDocument {
  documentId: string;
  endUserId: string;
  documentTypeId: string;
  alias: string;
  /** Every text field as sent (end_user_id, document_type_id, alias, and the document's own fields). */
  fields: Record<string, string>;
  files: PlivoUploadedFile[];
  createdAt: string;
}

export interface StoredApplication {
  complianceApplicationId: string;
  alias: string;
  status: ComplianceStatus;
  endUserId: string;
  endUserType: string | null;
  /** Upper case. */
  countryIso2: string;
  /** 'local', 'mobile', 'tollfree' or 'national' (lower case), or null when not given. */
  numberType: string | null;
  complianceRequirementId: string | null;
  documentIds: string[];
  rejectionReason: string | null;
  createdAt: string;
  /** Every parameter as sent. */
  params: Record<string, unknown>;
}

export interface PlacedCall {
  requestUuid: string;
  /** Assigned by the double when the call is placed; what callbacks carry as CallUUID. */
  callUuid: string;
  from: string;
  /** One destination (a bulk `a<b` create places one call per destination). */
  to: string;
  answerUrl: string;
  answerMethod: 'GET' | 'POST';
  /** As sent; callbacks go to the answer_url when it is null, as Plivo does. */
  hangupUrl: string | null;
  hangupMethod: 'GET' | 'POST';
  /** As sent; ring() posts nothing when it is null. */
  ringUrl: string | null;
  ringMethod: 'GET' | 'POST';
  timeLimit: number | null;
  /** Every parameter as sent. */
  params: Record<string, unknown>;
  status: PlivoCallStatus;
  /** The app asked for a hangup (DELETE Call/:uuid/). */
  hungUp: boolean;
  placedAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
}

export type RecordedBody =
  | { kind: 'empty' }
  /** Usually an object; the SDK sends `""` for a call without parameters. */
  | { kind: 'json'; json: unknown }
  | { kind: 'form'; fields: Record<string, string> }
  | { kind: 'multipart'; fields: Record<string, string>; files: PlivoUploadedFile[] }
  /** Not parsed (unsupported type or malformed); answered 400 or 415. */
  | { kind: 'raw'; contentType: string; raw: Buffer }
  /** Over the size limit; answered 413. */
  | { kind: 'too-large' };

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  body: RecordedBody;
  /** Basic credentials and the path's account id both matched. */
  authorized: boolean;
  /** Arrived on the HTTPS listener. */
  tls: boolean;
  /** The matched route, or null (unknown path). */
  route: PlivoRouteName | null;
  status: number;
  at: Date;
}

export interface CallbackResponse {
  status: number;
  body: string;
  contentType: string | null;
}

export interface CallbackOptions {
  /** Default: a random 20-digit nonce. */
  nonce?: string;
  /** Default: the correct X-Plivo-Signature-V3 for url, params and nonce. */
  signature?: string;
  /** Extra headers, or overrides of the signature headers. */
  headers?: Record<string, string>;
}

export interface CompleteCallOptions {
  /** Seconds from answer to hangup. */
  duration: number;
  /** Default: duration rounded up to whole minutes (Plivo bills per 60 s), 0 for 0. */
  billDuration?: number;
  /** Default from the status: NORMAL_CLEARING, USER_BUSY, NO_ANSWER, CALL_REJECTED, ORIGINATOR_CANCEL. */
  hangupCause?: string;
  /** Default 'completed'. */
  status?: PlivoHangupStatus;
  /** Default 'Callee', or 'API' when the app hung the call up, 'Caller' for cancel. */
  hangupSource?: string;
  /** More fields for the callback, or overrides. */
  extra?: Record<string, string>;
}

export interface PlivoDouble {
  /** http://127.0.0.1:<port>: the app's non-voice base; the SDK's `url` is `${url}/v1/Account/${authId}`. */
  url: string;
  /** https://127.0.0.1:<port>, the listener installVoiceRedirect sends https://api.plivo.com to. */
  httpsUrl: string;
  /** Numbers search can find and buy can rent, by number; seeded per country, open to changes. */
  inventory: Map<string, AvailableNumber>;
  rented: Map<string, RentedNumber>;
  endUsers: Map<string, StoredEndUser>;
  documents: Map<string, StoredDocument>;
  applications: Map<string, StoredApplication>;
  /** By request_uuid. */
  calls: Map<string, PlacedCall>;
  /** The last 1,000 requests, in arrival order. */
  requests: RecordedRequest[];
  /**
   * Points axios's default HTTPS agent (which the SDK's voice requests use) at the HTTPS listener,
   * and turns off axios's environment proxies while installed; returns the undo.
   */
  installVoiceRedirect(): () => void;
  /**
   * The next request to `route` answers `status` with `body` (default `{ api_id, error }`) and changes
   * nothing. Each call queues one more failure. The SDK retries voice requests that get a 5xx twice.
   */
  failNext(route: PlivoRouteName, status: number, body?: Record<string, unknown>): void;
  /** Moves an application to accepted or rejected (with a rejection reason), as Plivo's review does. */
  setComplianceStatus(id: string, status: 'accepted' | 'rejected', reason?: string): void;
  /** X-Plivo-Signature-V3 for a POST of params to url, as plivo.validateV3Signature('POST', …) checks it. */
  sign(url: string, params: Record<string, string>, nonce: string): string;
  /** Posts params form-encoded to url with Plivo's signature headers (redirects not followed). */
  postCallback(
    url: string,
    params: Record<string, string>,
    opts?: CallbackOptions,
  ): Promise<CallbackResponse>;
  /** Maps a callback URL to where it is really sent (the signature stays over the URL); null restores. */
  setCallbackTarget(mapper: ((url: string) => string) | null): void;
  /** The call rings: posts to its ring_url; null (nothing posted) when it has none. */
  ring(requestUuid: string, extra?: Record<string, string>): Promise<CallbackResponse | null>;
  /** The callee answers: posts to its answer_url and returns the reply (Plivo XML). */
  answer(requestUuid: string, extra?: Record<string, string>): Promise<CallbackResponse>;
  /** The call ends: posts to its hangup_url (answer_url when it has none). */
  complete(requestUuid: string, opts: CompleteCallOptions): Promise<CallbackResponse>;
  /** Back to the seeded inventory, forgetting everything else (requests, failures, stores). */
  reset(): void;
  /** Closes both listeners and their connections, and undoes an installed voice redirect. */
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
const MAX_RECORDED_REQUESTS = 1000;
/** Plivo's list APIs answer at most 20 objects a page (more is clamped, as tastypie does). */
const MAX_PAGE = 20;
const DEFAULT_REGULATED = ['DE', 'FR', 'IN', 'AU', 'BR'];
const VOICE_HOST = 'api.plivo.com';
const CALLBACK_TIMEOUT_MS = 10_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface ParsedBody {
  recorded: RecordedBody;
  /** JSON object members, or text fields (a repeated field keeps its last value). */
  params: Record<string, unknown>;
  files: PlivoUploadedFile[];
  /** Why the body could not be used, raised once the request is known to be authorized. */
  error: HttpError | null;
}

interface Reply {
  status: number;
  body: Record<string, unknown> | null;
}

interface RouteDef {
  name: PlivoRouteName;
  method: string;
  pattern: RegExp;
}

/** Matched against the path after `/v1/Account/:authId/`. */
const ROUTES: RouteDef[] = [
  { name: 'search', method: 'GET', pattern: /^PhoneNumber\/?$/ },
  { name: 'buy', method: 'POST', pattern: /^PhoneNumber\/([^/]+)\/?$/ },
  { name: 'unrent', method: 'DELETE', pattern: /^Number\/([^/]+)\/?$/ },
  { name: 'endUser', method: 'POST', pattern: /^EndUser\/?$/ },
  { name: 'document', method: 'POST', pattern: /^ComplianceDocument\/?$/ },
  { name: 'application', method: 'POST', pattern: /^ComplianceApplication\/?$/ },
  { name: 'submit', method: 'POST', pattern: /^ComplianceApplication\/([^/]+)\/Submit\/?$/ },
  { name: 'getApplication', method: 'GET', pattern: /^ComplianceApplication\/([^/]+)\/?$/ },
  { name: 'call', method: 'POST', pattern: /^Call\/?$/ },
  { name: 'hangup', method: 'DELETE', pattern: /^Call\/([^/]+)\/?$/ },
];

const ROUTE_NAMES = new Set<string>(ROUTES.map((r) => r.name));

export async function startPlivoDouble(options: PlivoDoubleOptions): Promise<PlivoDouble> {
  const { authId, authToken } = options;
  if (!authId || !authToken) throw new Error('startPlivoDouble: authId and authToken are required');
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const regulated = new Set((options.regulatedCountries ?? DEFAULT_REGULATED).map((c) => c.toUpperCase()));
  const expectedAuth = Buffer.from(`Basic ${Buffer.from(`${authId}:${authToken}`).toString('base64')}`);
  const inventory = new Map<string, AvailableNumber>();
  const rented = new Map<string, RentedNumber>();
  const endUsers = new Map<string, StoredEndUser>();
  const documents = new Map<string, StoredDocument>();
  const applications = new Map<string, StoredApplication>();
  const calls = new Map<string, PlacedCall>();
  const requests: RecordedRequest[] = [];
  const failures = new Map<PlivoRouteName, Reply[]>();
  const sockets = new Set<Socket>();
  const redirects = new Set<() => void>();
  let callbackTarget = options.callbackTarget ?? null;

  function seedInventory(): void {
    inventory.clear();
    for (const n of seedNumbers()) inventory.set(n.number, n);
  }
  seedInventory();

  function authorized(req: IncomingMessage, account: string | null): boolean {
    const given = Buffer.from(req.headers.authorization ?? '');
    const credentialsMatch = given.length === expectedAuth.length && timingSafeEqual(given, expectedAuth);
    return credentialsMatch && (account === null || account === authId);
  }

  const apiId = () => randomUUID();
  const fail = (status: number, error: string): Reply => ({ status, body: { api_id: apiId(), error } });

  function numberObject(n: AvailableNumber): Record<string, unknown> {
    const isRegulated = regulated.has(n.countryIso);
    return {
      number: n.number,
      prefix: n.prefix,
      city: n.city,
      country: COUNTRIES[n.countryIso]?.name ?? n.countryIso,
      region: n.region,
      rate_center: n.rateCenter,
      lata: n.lata,
      type: n.kind === 'local' || n.kind === 'national' ? 'fixed' : n.kind,
      sub_type: n.kind,
      setup_rate: n.setupRate,
      monthly_rental_rate: n.monthlyRentalRate,
      sms_enabled: n.smsEnabled,
      sms_rate: n.smsRate,
      mms_enabled: n.mmsEnabled,
      mms_rate: n.mmsRate,
      voice_enabled: n.voiceEnabled,
      voice_rate: n.voiceRate,
      restriction: isRegulated ? (n.kind === 'local' ? 'city-address' : 'country-address') : null,
      restriction_text: isRegulated
        ? `A ${COUNTRIES[n.countryIso]?.name ?? n.countryIso} ${n.kind} number needs an approved compliance application (proof of ${n.kind === 'local' ? 'a local address in the city' : 'an address in the country'}).`
        : null,
      resource_uri: `/v1/Account/${authId}/PhoneNumber/${n.number}/`,
    };
  }

  function search(query: URLSearchParams): Reply {
    const country = (query.get('country_iso') ?? '').trim().toUpperCase();
    if (!country) return fail(400, 'country_iso is required');
    if (!/^[A-Z]{2}$/.test(country)) return fail(400, `invalid country_iso: ${country}`);
    const type = (query.get('type') ?? 'any').trim().toLowerCase();
    const kinds: Record<string, PlivoNumberKind[]> = {
      any: ['local', 'mobile', 'tollfree', 'national'],
      local: ['local'],
      mobile: ['mobile'],
      tollfree: ['tollfree'],
      national: ['national'],
      fixed: ['local', 'national'],
    };
    const allowedKinds = kinds[type];
    if (!allowedKinds) {
      return fail(400, `invalid type: ${type}; use local, mobile, tollfree, national, fixed or any`);
    }
    const pattern = query.get('pattern') ?? '';
    if (!/^[0-9*]*$/.test(pattern)) return fail(400, 'pattern may contain only digits and *');
    const services = (query.get('services') ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    if (services.some((s) => !['voice', 'sms', 'mms'].includes(s))) {
      return fail(400, 'invalid services: use voice, sms, mms or a comma-separated combination');
    }
    const region = query.get('region')?.trim().toLowerCase();
    const city = query.get('city')?.trim().toLowerCase();
    const limit = pageNumber(query.get('limit'), 'limit', MAX_PAGE);
    const offset = pageNumber(query.get('offset'), 'offset', 0);
    if (typeof limit === 'string') return fail(400, limit);
    if (typeof offset === 'string') return fail(400, offset);
    const pageSize = limit === 0 ? MAX_PAGE : Math.min(limit, MAX_PAGE);

    const matching = [...inventory.values()].filter((n) => {
      if (n.countryIso !== country || !allowedKinds.includes(n.kind)) return false;
      if (pattern && !matchesPattern(n.number.slice(n.countryCode.length), pattern)) return false;
      if (services.includes('voice') && !n.voiceEnabled) return false;
      if (services.includes('sms') && !n.smsEnabled) return false;
      if (services.includes('mms') && !n.mmsEnabled) return false;
      if (region && !n.region.toLowerCase().includes(region)) return false;
      if (city && !(n.city ?? '').toLowerCase().includes(city)) return false;
      return true;
    });
    const pageUri = (at: number) => {
      const params = new URLSearchParams(query);
      params.set('limit', String(pageSize));
      params.set('offset', String(at));
      return `/v1/Account/${authId}/PhoneNumber/?${params.toString()}`;
    };
    return {
      status: 200,
      body: {
        api_id: apiId(),
        meta: {
          limit: pageSize,
          next: offset + pageSize < matching.length ? pageUri(offset + pageSize) : null,
          offset,
          previous: offset > 0 ? pageUri(Math.max(0, offset - pageSize)) : null,
          total_count: matching.length,
        },
        objects: matching.slice(offset, offset + pageSize).map(numberObject),
      },
    };
  }

  function buy(rawNumber: string, params: Record<string, unknown>): Reply {
    const number = rawNumber.replace(/^\+/, '');
    const available = inventory.get(number);
    if (!available) return fail(404, 'Number not found');
    const appId = text(params.app_id) ?? null;
    const complianceApplicationId = text(params.compliance_application_id) ?? null;
    if (regulated.has(available.countryIso)) {
      const country = COUNTRIES[available.countryIso]?.name ?? available.countryIso;
      if (!complianceApplicationId) {
        return fail(
          400,
          `compliance_application_id is required: ${country} ${available.kind} numbers need an accepted compliance application`,
        );
      }
      const application = applications.get(complianceApplicationId);
      if (!application) {
        return fail(400, `compliance application ${complianceApplicationId} does not exist`);
      }
      if (application.status !== 'accepted') {
        return fail(
          400,
          `compliance application ${complianceApplicationId} is ${application.status}, not accepted; the number cannot be rented yet`,
        );
      }
      if (application.countryIso2 !== available.countryIso) {
        return fail(
          400,
          `compliance application ${complianceApplicationId} is for ${application.countryIso2}, not ${available.countryIso}`,
        );
      }
      if (application.numberType && application.numberType !== available.kind) {
        return fail(
          400,
          `compliance application ${complianceApplicationId} is for ${application.numberType} numbers, not ${available.kind}`,
        );
      }
    }
    inventory.delete(number);
    rented.set(number, { ...available, appId, complianceApplicationId, rentedAt: new Date() });
    return {
      status: 201,
      body: {
        api_id: apiId(),
        message: 'created',
        numbers: [{ number, status: 'Success' }],
        status: 'fulfilled',
      },
    };
  }

  function unrent(rawNumber: string): Reply {
    const number = rawNumber.replace(/^\+/, '');
    const owned = rented.get(number);
    if (!owned) return fail(404, 'Number not found');
    rented.delete(number);
    const { appId: _appId, complianceApplicationId: _c, rentedAt: _r, ...available } = owned;
    inventory.set(number, available);
    return { status: 204, body: null };
  }

  function createEndUser(params: Record<string, unknown>): Reply {
    const name = text(params.name);
    const lastName = text(params.last_name) ?? '';
    const endUserType = text(params.end_user_type);
    if (!name) return fail(400, 'name is required');
    if (endUserType !== 'Individual' && endUserType !== 'Business') {
      return fail(400, 'end_user_type must be Individual or Business');
    }
    const stored: StoredEndUser = {
      endUserId: randomUUID(),
      name,
      lastName,
      endUserType,
      createdAt: plivoIsoTime(new Date()),
      params,
    };
    endUsers.set(stored.endUserId, stored);
    return {
      status: 201,
      body: {
        api_id: apiId(),
        created_at: stored.createdAt,
        end_user_id: stored.endUserId,
        end_user_type: stored.endUserType,
        last_name: stored.lastName,
        message: 'Added successfully.',
        name: stored.name,
      },
    };
  }

  function createDocument(body: ParsedBody): Reply {
    if (body.recorded.kind !== 'multipart') {
      return fail(400, 'ComplianceDocument must be sent as multipart/form-data');
    }
    const fields = body.recorded.fields;
    const endUserId = fields.end_user_id;
    if (!endUserId) return fail(400, 'end_user_id is required');
    if (!endUsers.has(endUserId)) return fail(400, `end user ${endUserId} does not exist`);
    if (!fields.document_type_id) return fail(400, 'document_type_id is required');
    if (!fields.alias) return fail(400, 'alias is required');
    const stored: StoredDocument = {
      documentId: randomUUID(),
      endUserId,
      documentTypeId: fields.document_type_id,
      alias: fields.alias,
      fields,
      files: body.files,
      createdAt: plivoIsoTime(new Date()),
    };
    documents.set(stored.documentId, stored);
    return { status: 201, body: { api_id: apiId(), document_id: stored.documentId, message: 'Created' } };
  }

  function applicationObject(a: StoredApplication): Record<string, unknown> {
    return {
      compliance_application_id: a.complianceApplicationId,
      alias: a.alias,
      status: a.status,
      end_user_id: a.endUserId,
      end_user_type: a.endUserType,
      country_iso2: a.countryIso2,
      number_type: a.numberType,
      compliance_requirement_id: a.complianceRequirementId,
      document_ids: a.documentIds,
      documents: a.documentIds.map((id) => ({
        document_id: id,
        name: documents.get(id)?.alias ?? null,
        document_type_id: documents.get(id)?.documentTypeId ?? null,
      })),
      rejection_reason: a.rejectionReason,
      created_at: a.createdAt,
    };
  }

  function createApplication(params: Record<string, unknown>): Reply {
    const alias = text(params.alias);
    const endUserId = text(params.end_user_id);
    const countryIso2 = text(params.country_iso2)?.toUpperCase();
    if (!alias) return fail(400, 'alias is required');
    if (!endUserId) return fail(400, 'end_user_id is required');
    const endUser = endUsers.get(endUserId);
    if (!endUser) return fail(400, `end user ${endUserId} does not exist`);
    if (!countryIso2 || !/^[A-Z]{2}$/.test(countryIso2)) return fail(400, 'country_iso2 is required');
    const rawIds = params.document_ids;
    const documentIds =
      rawIds === undefined
        ? []
        : Array.isArray(rawIds)
          ? rawIds.map(String)
          : String(rawIds)
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean);
    const missing = documentIds.filter((id) => !documents.has(id));
    if (missing.length > 0) return fail(400, `documents do not exist: ${missing.join(', ')}`);
    const stored: StoredApplication = {
      complianceApplicationId: randomUUID(),
      alias,
      status: 'draft',
      endUserId,
      endUserType: text(params.end_user_type) ?? endUser.endUserType,
      countryIso2,
      numberType: text(params.number_type)?.toLowerCase() ?? null,
      complianceRequirementId: text(params.compliance_requirement_id) ?? null,
      documentIds,
      rejectionReason: null,
      createdAt: plivoIsoTime(new Date()),
      params,
    };
    applications.set(stored.complianceApplicationId, stored);
    return {
      status: 201,
      body: { api_id: apiId(), ...applicationObject(stored), message: 'Created' },
    };
  }

  function submitApplication(id: string): Reply {
    const application = applications.get(id);
    if (!application) return fail(404, 'compliance application not found');
    if (application.status !== 'draft' && application.status !== 'rejected') {
      return fail(400, `compliance application is already ${application.status}`);
    }
    application.status = 'submitted';
    application.rejectionReason = null;
    return {
      status: 200,
      body: {
        api_id: apiId(),
        compliance_application_id: id,
        status: 'submitted',
        message: 'Submitted',
      },
    };
  }

  function getApplication(id: string): Reply {
    const application = applications.get(id);
    if (!application) return fail(404, 'compliance application not found');
    return { status: 200, body: { api_id: apiId(), ...applicationObject(application) } };
  }

  function createCall(params: Record<string, unknown>): Reply {
    const from = text(params.from);
    const to = text(params.to);
    const answerUrl = text(params.answer_url);
    if (!from) return fail(400, 'from is required');
    if (!to) return fail(400, 'to is required');
    if (!answerUrl) return fail(400, 'answer_url is required');
    const urls: Record<string, string | null> = {
      answer_url: answerUrl,
      hangup_url: text(params.hangup_url) ?? null,
      ring_url: text(params.ring_url) ?? null,
    };
    for (const [name, value] of Object.entries(urls)) {
      if (value !== null && !isHttpUrl(value)) return fail(400, `${name} is not a valid URL`);
    }
    const methods: Record<string, 'GET' | 'POST'> = {};
    for (const name of ['answer_method', 'hangup_method', 'ring_method']) {
      const value = (text(params[name]) ?? 'POST').toUpperCase();
      if (value !== 'GET' && value !== 'POST') return fail(400, `${name} must be GET or POST`);
      methods[name] = value;
    }
    let timeLimit: number | null = null;
    if (params.time_limit !== undefined) {
      timeLimit = Number(params.time_limit);
      if (!Number.isInteger(timeLimit) || timeLimit < 1)
        return fail(400, 'time_limit must be a positive integer');
    }
    const destinations = to
      .split('<')
      .map((d) => d.trim())
      .filter(Boolean);
    if (destinations.length === 0) return fail(400, 'to is required');
    const placed = destinations.map((destination): PlacedCall => {
      const call: PlacedCall = {
        requestUuid: randomUUID(),
        callUuid: randomUUID(),
        from,
        to: destination,
        answerUrl,
        answerMethod: methods.answer_method,
        hangupUrl: urls.hangup_url,
        hangupMethod: methods.hangup_method,
        ringUrl: urls.ring_url,
        ringMethod: methods.ring_method,
        timeLimit,
        params,
        status: 'queued',
        hungUp: false,
        placedAt: new Date(),
        answeredAt: null,
        endedAt: null,
      };
      calls.set(call.requestUuid, call);
      return call;
    });
    return {
      status: 201,
      body: {
        api_id: apiId(),
        message: placed.length === 1 ? 'call fired' : 'calls fired',
        request_uuid: placed.length === 1 ? placed[0].requestUuid : placed.map((c) => c.requestUuid),
      },
    };
  }

  function hangupCall(uuid: string): Reply {
    const call = calls.get(uuid) ?? [...calls.values()].find((c) => c.callUuid === uuid);
    if (!call || call.hungUp || call.endedAt !== null) return fail(404, 'call not found');
    call.hungUp = true;
    return { status: 204, body: null };
  }

  function dispatch(
    route: PlivoRouteName,
    rawId: string | undefined,
    query: URLSearchParams,
    body: ParsedBody,
  ): Reply {
    const id = rawId === undefined ? '' : decodeURIComponent(rawId);
    switch (route) {
      case 'search':
        return search(query);
      case 'buy':
        return buy(id, body.params);
      case 'unrent':
        return unrent(id);
      case 'endUser':
        return createEndUser(body.params);
      case 'document':
        return createDocument(body);
      case 'application':
        return createApplication(body.params);
      case 'submit':
        return submitApplication(id);
      case 'getApplication':
        return getApplication(id);
      case 'call':
        return createCall(body.params);
      case 'hangup':
        return hangupCall(id);
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse, raw: Buffer | null): void {
    const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const tls = req.socket instanceof TLSSocket;
    const accountMatch = /^\/v1\/Account\/([^/]+)\/(.*)$/.exec(parsed.pathname);
    const account = accountMatch ? decodeURIComponent(accountMatch[1]) : null;
    const rest = accountMatch ? accountMatch[2] : null;
    const body = raw === null ? tooLargeBody() : parseBody(req.headers['content-type'], raw);
    const isAuthorized = authorized(req, account);
    let route: PlivoRouteName | null = null;
    let reply: Reply;
    try {
      const byPath = rest === null ? [] : ROUTES.filter((r) => r.pattern.test(rest));
      const def = byPath.find((r) => r.method === method);
      route = def?.name ?? null;
      const host = (req.headers.host ?? '').replace(/:443$/, '').toLowerCase();
      if (raw === null) {
        reply = fail(413, 'Request entity too large');
      } else if (tls && host !== VOICE_HOST) {
        reply = fail(421, `this listener serves ${VOICE_HOST} only, not ${host || 'an empty Host'}`);
      } else if (!isAuthorized) {
        reply = fail(401, 'Authentication credentials invalid');
      } else if (!def || rest === null) {
        reply =
          byPath.length > 0
            ? fail(
                405,
                `Method ${method} not allowed (the double serves ${byPath.map((r) => r.method).join(', ')} here)`,
              )
            : fail(404, 'not found');
      } else if (body.error) {
        reply = fail(body.error.status, body.error.message);
      } else {
        const queued = failures.get(def.name)?.shift();
        reply = queued ?? dispatch(def.name, def.pattern.exec(rest)?.[1], parsed.searchParams, body);
      }
    } catch (error) {
      reply = fail(500, error instanceof Error ? error.message : 'Internal error');
    }
    requests.push({
      method,
      path: parsed.pathname,
      query: Object.fromEntries(parsed.searchParams),
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
      ),
      body: body.recorded,
      authorized: isAuthorized,
      tls,
      route,
      status: reply.status,
      at: new Date(),
    });
    if (requests.length > MAX_RECORDED_REQUESTS) requests.shift();
    const headers: Record<string, string | number> = raw === null ? { connection: 'close' } : {};
    if (reply.body === null || reply.status === 204) {
      res.writeHead(reply.status, headers);
      res.end();
      return;
    }
    const json = JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      ...headers,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(json),
      ...(reply.status === 401 ? { 'www-authenticate': 'Basic realm="Plivo API"' } : {}),
    });
    res.end(json);
  }

  const onRequest = withBody(maxBodyBytes, handle);
  const server = createServer(onRequest);
  const secureServer = createHttpsServer(
    {
      key: readFileSync(join(__dirname, 'fixtures', 'plivo-double.key')),
      cert: readFileSync(join(__dirname, 'fixtures', 'plivo-double.crt')),
    },
    onRequest,
  );
  for (const s of [server, secureServer]) {
    s.requestTimeout = 10_000;
    s.headersTimeout = 5_000;
    s.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
  }
  const listen = (s: typeof server | typeof secureServer) =>
    new Promise<number>((resolve, reject) => {
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
    });
  const httpPort = await listen(server);
  const httpsPort = await listen(secureServer).catch(async (error: unknown) => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw error;
  });

  function signFor(
    method: 'GET' | 'POST',
    url: string,
    params: Record<string, string>,
    nonce: string,
  ): string {
    return plivoSignatureV3(authToken, method, url, params, nonce);
  }

  async function sendCallback(
    method: 'GET' | 'POST',
    url: string,
    params: Record<string, string>,
    opts: CallbackOptions = {},
  ): Promise<CallbackResponse> {
    const encoded = new URLSearchParams(params).toString();
    // A GET carries the parameters in the query of the URL Plivo calls, and is signed over that URL.
    const called = method === 'GET' && encoded ? `${url}${url.includes('?') ? '&' : '?'}${encoded}` : url;
    const nonce = opts.nonce ?? randomNonce();
    const signature = opts.signature ?? signFor(method, called, method === 'GET' ? {} : params, nonce);
    const target = callbackTarget ? callbackTarget(called) : called;
    assertLoopback(target);
    const response = await fetch(target, {
      method,
      redirect: 'manual',
      signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
      headers: {
        ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        'X-Plivo-Signature-V3': signature,
        'X-Plivo-Signature-V3-Nonce': nonce,
        ...opts.headers,
      },
      body: method === 'POST' ? encoded : undefined,
    });
    return {
      status: response.status,
      body: await response.text(),
      contentType: response.headers.get('content-type'),
    };
  }

  function placedCall(requestUuid: string, action: string): PlacedCall {
    const call = calls.get(requestUuid);
    if (!call) throw new Error(`${action}: no call with request_uuid ${requestUuid}`);
    return call;
  }

  function callFields(call: PlacedCall, status: PlivoCallStatus, event: string): Record<string, string> {
    return {
      CallUUID: call.callUuid,
      RequestUUID: call.requestUuid,
      ALegUUID: call.callUuid,
      ALegRequestUUID: call.requestUuid,
      From: call.from,
      To: call.to,
      CallStatus: status,
      Direction: 'outbound',
      Event: event,
    };
  }

  return {
    url: `http://127.0.0.1:${httpPort}`,
    httpsUrl: `https://127.0.0.1:${httpsPort}`,
    inventory,
    rented,
    endUsers,
    documents,
    applications,
    calls,
    requests,
    installVoiceRedirect() {
      const agent = new LoopbackTlsAgent(httpsPort);
      const previousAgent: unknown = axios.defaults.httpsAgent;
      const previousProxy = axios.defaults.proxy;
      axios.defaults.httpsAgent = agent;
      // An environment proxy (HTTPS_PROXY) would tunnel past the agent to the real host.
      axios.defaults.proxy = false;
      let undone = false;
      const undo = () => {
        if (undone) return;
        undone = true;
        redirects.delete(undo);
        if (axios.defaults.httpsAgent === agent) axios.defaults.httpsAgent = previousAgent;
        axios.defaults.proxy = previousProxy;
        agent.destroy();
      };
      redirects.add(undo);
      return undo;
    },
    failNext(route, status, body) {
      if (!ROUTE_NAMES.has(route)) throw new Error(`failNext: unknown route ${String(route)}`);
      if (!Number.isInteger(status) || status < 400 || status > 599) {
        throw new Error(`failNext: status must be 4xx or 5xx, got ${status}`);
      }
      const queue = failures.get(route) ?? [];
      queue.push(body ? { status, body } : fail(status, STATUS_CODES[status] ?? 'error'));
      failures.set(route, queue);
    },
    setComplianceStatus(id, status, reason) {
      const application = applications.get(id);
      if (!application) throw new Error(`setComplianceStatus: no compliance application ${id}`);
      if (status !== 'accepted' && status !== 'rejected') {
        throw new Error(`setComplianceStatus: status must be accepted or rejected, got ${String(status)}`);
      }
      application.status = status;
      application.rejectionReason =
        status === 'rejected' ? (reason ?? 'Documents could not be verified') : null;
    },
    sign(url, params, nonce) {
      return signFor('POST', url, params, nonce);
    },
    postCallback(url, params, opts) {
      return sendCallback('POST', url, params, opts);
    },
    setCallbackTarget(mapper) {
      callbackTarget = mapper;
    },
    async ring(requestUuid, extra = {}) {
      const call = placedCall(requestUuid, 'ring');
      if (call.endedAt) throw new Error(`ring: call ${requestUuid} has ended`);
      call.status = 'ringing';
      if (!call.ringUrl) return null;
      return sendCallback(call.ringMethod, call.ringUrl, {
        ...callFields(call, 'ringing', 'Ring'),
        ...extra,
      });
    },
    async answer(requestUuid, extra = {}) {
      const call = placedCall(requestUuid, 'answer');
      if (call.endedAt) throw new Error(`answer: call ${requestUuid} has ended`);
      call.status = 'in-progress';
      call.answeredAt = new Date();
      return sendCallback(call.answerMethod, call.answerUrl, {
        ...callFields(call, 'in-progress', 'StartApp'),
        ...extra,
      });
    },
    async complete(requestUuid, opts) {
      const call = placedCall(requestUuid, 'complete');
      if (call.endedAt) throw new Error(`complete: call ${requestUuid} has already ended`);
      const status = opts.status ?? 'completed';
      const duration = opts.duration;
      if (!Number.isInteger(duration) || duration < 0) {
        throw new Error(`complete: duration must be a whole number of seconds, got ${duration}`);
      }
      const answered = status === 'completed';
      const answeredAt = answered ? (call.answeredAt ?? call.placedAt) : null;
      const endedAt = answeredAt ? new Date(answeredAt.getTime() + duration * 1000) : new Date();
      const billDuration = opts.billDuration ?? (duration > 0 ? Math.ceil(duration / 60) * 60 : 0);
      call.status = status;
      call.answeredAt = answeredAt;
      call.endedAt = endedAt;
      const source = opts.hangupSource ?? (call.hungUp ? 'API' : status === 'cancel' ? 'Caller' : 'Callee');
      return sendCallback(
        call.hangupUrl ? call.hangupMethod : call.answerMethod,
        call.hangupUrl ?? call.answerUrl,
        {
          ...callFields(call, status, 'Hangup'),
          Duration: String(answered ? duration : 0),
          BillDuration: String(answered ? billDuration : 0),
          HangupCause: opts.hangupCause ?? HANGUP_CAUSES[status],
          HangupSource: source,
          StartTime: plivoCallbackTime(call.placedAt),
          AnswerTime: answeredAt ? plivoCallbackTime(answeredAt) : '',
          EndTime: plivoCallbackTime(endedAt),
          ...opts.extra,
        },
      );
    },
    reset() {
      seedInventory();
      rented.clear();
      endUsers.clear();
      documents.clear();
      applications.clear();
      calls.clear();
      requests.length = 0;
      failures.clear();
    },
    async close() {
      for (const undo of [...redirects]) undo();
      const closing = [server, secureServer].map(
        (s) => new Promise<void>((resolve) => s.close(() => resolve())),
      );
      server.closeAllConnections();
      secureServer.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await Promise.all(closing);
    },
  };
}

/**
 * Every connection it makes goes to the double's HTTPS listener on 127.0.0.1, whatever host the
 * request names, with SNI api.plivo.com; the self-signed certificate is accepted.
 */
class LoopbackTlsAgent extends HttpsAgent {
  constructor(private readonly port: number) {
    super({ keepAlive: false });
  }

  override createConnection(
    _options: RequestOptions,
    _callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex {
    return tlsConnect({
      host: '127.0.0.1',
      port: this.port,
      servername: VOICE_HOST,
      rejectUnauthorized: false,
    });
  }
}

/**
 * X-Plivo-Signature-V3 as the plivo SDK's validateV3Signature computes it (utils/v3Security.js):
 * base64(HMAC-SHA256(authToken, base + '.' + nonce)), where for a POST base is
 * `scheme://host[:port]/path?` + the URL's query as sorted `k=v` pairs joined by '&' (then '.' when
 * both a query and params are present) + the params as sorted `keyvalue` pairs concatenated; with no
 * params the '?' appears only when there is a query. A GET's base is the URL with its query (merged
 * with params) sorted. Like the SDK, the URL, token and nonce are UTF-8-encoded one extra time, so
 * non-ASCII in them signs as the SDK checks it (ASCII, the usual case, is unaffected).
 *
 * Under jest only, the SDK itself mis-sorts a URL query that repeats a key: Node's querystring
 * (not sandboxed) returns arrays that fail the SDK's `instanceof Array` in jest's realm, so it signs
 * `b=2,1` where plain Node (and this function) sign `b=1&b=2`. Keep callback URLs free of repeated keys.
 */
export function plivoSignatureV3(
  authToken: string,
  method: 'GET' | 'POST',
  url: string,
  params: Record<string, string>,
  nonce: string,
): string {
  const uri = utf8Twice(url);
  const parts = /^([^:/?#.]+):\/\/(?:[^@/?#]*@)?([^:/?#]*)(?::(\d*))?([^?#]*)(?:\?([^#]*))?/.exec(uri);
  if (!parts) throw new Error(`plivoSignatureV3: not an absolute URL: ${url}`);
  const [, scheme, host, port, path, rawQuery] = parts;
  const trimmedPath = path.trim();
  let base = `${scheme}://${host}${port ? `:${port}` : ''}`;
  if (trimmedPath) base += trimmedPath.startsWith('/') ? trimmedPath : `/${trimmedPath}`;

  const query = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(rawQuery ?? '')) {
    query.set(key, [...(query.get(key) ?? []), value]);
  }
  const postParams = method === 'POST' ? params : {};
  if (method === 'GET') {
    for (const [key, value] of Object.entries(params)) query.set(key, [...(query.get(key) ?? []), value]);
  }
  const sortedQuery = [...query.keys()]
    .sort()
    .flatMap((key) => [...(query.get(key) ?? [])].sort().map((value) => `${key}=${value}`))
    .join('&');
  const hasPostParams = Object.keys(postParams).length > 0;
  if (sortedQuery.length > 0 || hasPostParams) base += `?${sortedQuery}`;
  if (sortedQuery.length > 0 && hasPostParams) base += '.';
  base += Object.keys(postParams)
    .sort()
    .map((key) => `${key}${postParams[key]}`)
    .join('');
  return createHmac('sha256', utf8Twice(authToken))
    .update(`${base}.${utf8Twice(nonce)}`)
    .digest('base64');
}

/** The `utf8` package's encode: each UTF-8 byte as one character (Node then encodes it again). */
function utf8Twice(value: string): string {
  return Buffer.from(value, 'utf8').toString('latin1');
}

function randomNonce(): string {
  let nonce = String(randomInt(1, 10));
  for (let i = 1; i < 20; i += 1) nonce += String(randomInt(0, 10));
  return nonce;
}

/** Callbacks must stay on this machine. */
function assertLoopback(target: string): void {
  let host: string;
  try {
    host = new URL(target).hostname;
  } catch {
    throw new Error(`callback URL is not absolute: ${target}`);
  }
  if (!(host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host))) {
    throw new Error(`refusing to send a callback off this machine (${host}); map it with setCallbackTarget`);
  }
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** A parameter as text: strings as they are, numbers and booleans stringified, anything else undefined. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** tastypie's paging numbers: absent → fallback, not a non-negative integer → the error text. */
function pageNumber(raw: string | null, name: string, fallback: number): number | string {
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) return `Invalid ${name} '${raw}' provided. Please provide a positive integer >= 0.`;
  return Number(raw);
}

/** `*` stands for any one digit; the pattern matches the start of the national number. */
function matchesPattern(national: string, pattern: string): boolean {
  if (pattern.length > national.length) return false;
  for (let i = 0; i < pattern.length; i += 1) {
    if (pattern[i] !== '*' && pattern[i] !== national[i]) return false;
  }
  return true;
}

/** 'YYYY-MM-DD HH:mm:ss' in UTC, as Plivo's call callbacks carry times. */
function plivoCallbackTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** '2026-11-27T10:15:00.123000Z', as Plivo's compliance APIs write created_at. */
function plivoIsoTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

const HANGUP_CAUSES: Record<PlivoHangupStatus, string> = {
  completed: 'NORMAL_CLEARING',
  busy: 'USER_BUSY',
  failed: 'CALL_REJECTED',
  timeout: 'NO_ANSWER',
  'no-answer': 'NO_ANSWER',
  cancel: 'ORIGINATOR_CANCEL',
};

function tooLargeBody(): ParsedBody {
  return { recorded: { kind: 'too-large' }, params: {}, files: [], error: null };
}

function parseBody(contentType: string | undefined, raw: Buffer): ParsedBody {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const unusable = (status: number, message: string): ParsedBody => ({
    recorded: { kind: 'raw', contentType: contentType ?? '', raw },
    params: {},
    files: [],
    error: new HttpError(status, message),
  });
  if (raw.length === 0) return { recorded: { kind: 'empty' }, params: {}, files: [], error: null };
  if (type === 'application/json') {
    let value: unknown;
    try {
      value = JSON.parse(raw.toString('utf8'));
    } catch {
      return unusable(400, 'Malformed JSON body');
    }
    // The SDK sends `""` as the body of a call without parameters (DELETE Number/…/, POST …/Submit/).
    const params =
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : {};
    return { recorded: { kind: 'json', json: value }, params, files: [], error: null };
  }
  if (type === 'application/x-www-form-urlencoded') {
    const fields = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
    return { recorded: { kind: 'form', fields }, params: fields, files: [], error: null };
  }
  if (type === 'multipart/form-data') {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
    if (!boundary) return unusable(400, 'multipart/form-data without a boundary');
    try {
      const { fields, files } = parseMultipart(raw, boundary[1] ?? boundary[2]);
      const last = Object.fromEntries(fields);
      return { recorded: { kind: 'multipart', fields: last, files }, params: last, files, error: null };
    } catch (error) {
      return unusable(400, error instanceof Error ? error.message : 'Malformed multipart body');
    }
  }
  return unusable(415, `Unsupported content type: ${type || 'none'}`);
}

/**
 * multipart/form-data (RFC 7578) as form-data writes it for the SDK. A part is a file when it has a
 * filename or a Content-Type (form-data gives a Buffer `application/octet-stream` but no filename).
 */
function parseMultipart(
  raw: Buffer,
  boundary: string,
): { fields: Array<[string, string]>; files: PlivoUploadedFile[] } {
  return parseMultipartBody(raw, boundary, {
    decodeName: (v) => v.replace(/\\(.)/g, '$1'),
    isFile: (filename, contentType) => filename !== undefined || contentType !== undefined,
  });
}

interface CountryInfo {
  name: string;
  code: string;
}

const COUNTRIES: Record<string, CountryInfo> = {
  US: { name: 'UNITED STATES', code: '1' },
  CA: { name: 'CANADA', code: '1' },
  GB: { name: 'UNITED KINGDOM', code: '44' },
  DE: { name: 'GERMANY', code: '49' },
  FR: { name: 'FRANCE', code: '33' },
  IN: { name: 'INDIA', code: '91' },
  AU: { name: 'AUSTRALIA', code: '61' },
  BR: { name: 'BRAZIL', code: '55' },
};

/** [country, kind, prefix, first national number (the block counts up from it), count, city, state, rate center, LATA] */
type SeedRow = [
  country: string,
  kind: PlivoNumberKind,
  prefix: string,
  first: string,
  count: number,
  city?: string,
  state?: string,
  rateCenter?: string,
  lata?: number,
];

/**
 * The inventory, about ten numbers a country: fictional or drama ranges where the country has them
 * (NANP 555-01xx, Ofcom's 020 7946 0xxx / 07700 900xxx, ACMA's 02 5550 xxxx / 0491 570 xxx, ARCEP's
 * 01 99 00 xx xx). SMS: US/CA local and toll-free, and mobiles outside IN and BR; MMS: US/CA local.
 */
const SEED: SeedRow[] = [
  ['US', 'local', '415', '4155550100', 4, 'SAN FRANCISCO', 'California', 'SNFC CNTRL', 722],
  ['US', 'local', '212', '2125550100', 3, 'NEW YORK CITY', 'New York', 'NWYRCYZN01', 132],
  ['US', 'local', '312', '3125550100', 2, 'CHICAGO', 'Illinois', 'CHICAGO', 358],
  ['US', 'tollfree', '888', '8885550100', 2],
  ['CA', 'local', '604', '6045550100', 4, 'VANCOUVER', 'British Columbia', 'VANCOUVER', 888],
  ['CA', 'local', '416', '4165550100', 3, 'TORONTO', 'Ontario', 'TORONTO', 888],
  ['CA', 'local', '514', '5145550100', 2, 'MONTREAL', 'Quebec', 'MONTREAL', 888],
  ['CA', 'tollfree', '833', '8335550100', 1],
  ['GB', 'local', '20', '2079460100', 4, 'LONDON', 'London'],
  ['GB', 'local', '161', '1614960100', 2, 'MANCHESTER', 'Manchester'],
  ['GB', 'mobile', '7700', '7700900100', 3],
  ['GB', 'tollfree', '808', '8081570100', 1],
  ['GB', 'national', '3069', '3069990100', 1],
  ['DE', 'local', '30', '3023125000', 4, 'BERLIN', 'Berlin'],
  ['DE', 'local', '89', '8923125000', 2, 'MUNICH', 'Bavaria'],
  ['DE', 'mobile', '151', '15123125000', 3],
  ['DE', 'tollfree', '800', '8001231250', 1],
  ['DE', 'national', '32', '32212312500', 1],
  ['FR', 'local', '1', '199000100', 4, 'PARIS', 'Ile-de-France'],
  ['FR', 'local', '4', '465710100', 2, 'LYON', 'Auvergne-Rhone-Alpes'],
  ['FR', 'mobile', '6', '639980100', 3],
  ['FR', 'tollfree', '800', '805710100', 1],
  ['FR', 'national', '9', '975180100', 1],
  ['IN', 'local', '11', '1140000100', 4, 'NEW DELHI', 'Delhi'],
  ['IN', 'local', '22', '2240000100', 2, 'MUMBAI', 'Maharashtra'],
  ['IN', 'mobile', '90', '9000000100', 3],
  ['IN', 'tollfree', '1800', '18001000100', 1],
  ['AU', 'local', '2', '255500100', 4, 'SYDNEY', 'New South Wales'],
  ['AU', 'local', '3', '370100100', 2, 'MELBOURNE', 'Victoria'],
  ['AU', 'mobile', '4', '491570100', 3],
  ['AU', 'tollfree', '1800', '1800160100', 1],
  ['AU', 'national', '1300', '1300975707', 1],
  ['BR', 'local', '11', '1130000100', 4, 'SAO PAULO', 'Sao Paulo'],
  ['BR', 'local', '21', '2130000100', 2, 'RIO DE JANEIRO', 'Rio de Janeiro'],
  ['BR', 'mobile', '11', '11930000100', 3],
  ['BR', 'tollfree', '800', '8001000100', 1],
];

const RATES: Record<PlivoNumberKind, { monthly: string; voice: string }> = {
  local: { monthly: '0.80000', voice: '0.00850' },
  national: { monthly: '0.80000', voice: '0.00850' },
  mobile: { monthly: '2.00000', voice: '0.01000' },
  tollfree: { monthly: '1.00000', voice: '0.02180' },
};

function seedNumbers(): AvailableNumber[] {
  return SEED.flatMap(([iso, kind, prefix, first, count, city, state, rateCenter, lata]) => {
    const country = COUNTRIES[iso];
    const northAmerica = iso === 'US' || iso === 'CA';
    const sms = northAmerica ? kind !== 'mobile' : kind === 'mobile' && iso !== 'IN' && iso !== 'BR';
    const mms = northAmerica && kind === 'local';
    return Array.from({ length: count }, (_, i): AvailableNumber => ({
      number: `${country.code}${String(Number(first) + i).padStart(first.length, '0')}`,
      countryIso: iso,
      countryCode: country.code,
      kind,
      prefix,
      city: city ?? null,
      region: state ? `${state}, ${country.name}` : country.name,
      rateCenter: rateCenter ?? null,
      lata: lata ?? null,
      setupRate: '0.00000',
      monthlyRentalRate: RATES[kind].monthly,
      smsEnabled: sms,
      smsRate: sms ? '0.00000' : null,
      mmsEnabled: mms,
      mmsRate: mms ? '0.00000' : null,
      voiceEnabled: true,
      voiceRate: RATES[kind].voice,
    }));
  });
}

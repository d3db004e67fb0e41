import { randomUUID } from 'node:crypto';
import { Client } from 'plivo';
import { PhoneNumberType } from './number-type.js';

/**
 * The telephony provider behind a small interface (CONTRACT §8, §12): Plivo through its SDK when
 * credentials are configured, else a simulation that behaves the same way (numbers to rent,
 * compliance decided at once, calls that ring, answer and hang up through the same callback code).
 * Nothing outside this file imports the SDK.
 */

export type ProviderName = 'PLIVO' | 'SIMULATED';

/** A number the provider offers for rent. */
export interface AvailableNumber {
  /** E.164. */
  number: string;
  country: string;
  numberType: PhoneNumberType;
  monthlyRentalRate: string | null;
  voiceEnabled: boolean;
  smsEnabled: boolean;
  region: string | null;
}

export interface NumberSearch {
  country: string;
  numberType: PhoneNumberType;
  /** Digits the national part starts with (or contains), as the provider matches them. */
  pattern: string | null;
  limit: number;
}

export interface ComplianceDocumentFile {
  type: string;
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** What goes to the provider's compliance API. */
export interface ComplianceSubmission {
  alias: string;
  country: string;
  numberType: PhoneNumberType;
  endUserType: 'BUSINESS' | 'INDIVIDUAL';
  name: string;
  lastName: string | null;
  documents: ComplianceDocumentFile[];
}

export interface ComplianceDecision {
  status: 'SUBMITTED' | 'APPROVED' | 'REJECTED';
  reason: string | null;
}

/** One outbound call: the provider rings `to` from `from`, then asks `answerUrl` what to do. */
export interface DialRequest {
  callId: string;
  from: string;
  to: string;
  answerUrl: string;
  /** Ring and hangup callbacks. */
  statusUrl: string;
}

/** A call event as the provider reports it (Plivo's callback fields). */
export type CallEvent = Record<string, string>;

export interface Telephony {
  readonly provider: ProviderName;
  search(query: NumberSearch): Promise<AvailableNumber[]>;
  rent(number: string, providerApplicationId: string | null): Promise<void>;
  release(number: string): Promise<void>;
  submitCompliance(submission: ComplianceSubmission): Promise<{ id: string; decision: ComplianceDecision }>;
  complianceDecision(providerApplicationId: string): Promise<ComplianceDecision>;
  /** Places the call; resolves with the provider's request id. */
  dial(request: DialRequest): Promise<string>;
  /** Ends a call by the provider's call (or request) id. */
  hangup(providerCallId: string): Promise<void>;
}

/** The provider refused or failed; `status` is its HTTP status when it answered. */
export class TelephonyError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

const PLIVO_TYPES: Record<PhoneNumberType, string> = {
  LOCAL: 'local',
  MOBILE: 'mobile',
  TOLL_FREE: 'tollfree',
  NATIONAL: 'national',
};

type Json = Record<string, unknown>;
const field = (o: Json, ...keys: string[]): unknown => keys.map((k) => o[k]).find((x) => x !== undefined);
const str = (o: Json, ...keys: string[]): string | null => {
  const v = field(o, ...keys);
  return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
};
const bool = (o: Json, ...keys: string[]): boolean => {
  const v = field(o, ...keys);
  return v === true || v === 'true';
};

/**
 * The SDK rejects with an Error carrying the reply's HTTP `status` and its `error` text as the
 * message (its error classes do not survive its build), with a plain Error for statuses it has no
 * class for, or with a string (a stack) when Plivo could not be reached.
 */
function providerError(err: unknown): TelephonyError {
  if (err instanceof TelephonyError) return err;
  const status = typeof err === 'object' && err !== null ? (err as { status?: unknown }).status : undefined;
  const known = typeof status === 'number' && Number.isInteger(status) ? status : null;
  const raw = err instanceof Error ? err.message : '';
  let message = known === null ? 'the telephony provider could not be reached' : raw.slice(0, 300);
  try {
    const text = str(JSON.parse(raw) as Json, 'error', 'message');
    if (text) message = text.slice(0, 300);
  } catch {
    // Not JSON: the message as it is.
  }
  return new TelephonyError(message || `the provider answered ${known}`, known);
}

async function call<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw providerError(err);
  }
}

const DECISIONS: Record<string, ComplianceDecision['status']> = {
  accepted: 'APPROVED',
  approved: 'APPROVED',
  rejected: 'REJECTED',
};

/** Plivo through its SDK. Voice requests go to Plivo's fixed host; the rest to `url`. */
export class PlivoTelephony implements Telephony {
  readonly provider = 'PLIVO' as const;
  private readonly client: Client;

  constructor(opts: { authId: string; authToken: string; url: string; timeoutMs?: number }) {
    const base = opts.url.replace(/\/$/, '');
    this.client = new Client(opts.authId, opts.authToken, {
      url: `${base}/v1/Account/${opts.authId}`,
      timeout: opts.timeoutMs ?? 15_000,
    });
  }

  async search(q: NumberSearch): Promise<AvailableNumber[]> {
    const params: Json = { type: PLIVO_TYPES[q.numberType], limit: q.limit };
    if (q.pattern) params.pattern = q.pattern;
    const found = await call(() => this.client.numbers.search(q.country, params));
    return (found as unknown as Json[]).map((n) => ({
      number: `+${(str(n, 'number') ?? '').replace(/^\+/, '')}`,
      country: q.country,
      numberType: q.numberType,
      monthlyRentalRate: str(n, 'monthlyRentalRate', 'monthly_rental_rate'),
      voiceEnabled: bool(n, 'voiceEnabled', 'voice_enabled'),
      smsEnabled: bool(n, 'smsEnabled', 'sms_enabled'),
      region: str(n, 'region'),
    }));
  }

  async rent(number: string, providerApplicationId: string | null): Promise<void> {
    await call(() =>
      this.client.numbers.buy(
        number.replace(/^\+/, ''),
        undefined,
        undefined,
        undefined,
        providerApplicationId ?? undefined,
      ),
    );
  }

  async release(number: string): Promise<void> {
    await call(() => this.client.numbers.unrent(number.replace(/^\+/, '')));
  }

  async submitCompliance(s: ComplianceSubmission): Promise<{ id: string; decision: ComplianceDecision }> {
    return call(async () => {
      const endUserType = s.endUserType === 'BUSINESS' ? 'Business' : 'Individual';
      const user = (await this.client.endUsers.create({
        name: s.name,
        lastName: s.lastName ?? '',
        endUserType,
      })) as unknown as Json;
      const endUserId = str(user, 'endUserId', 'end_user_id');
      if (!endUserId) throw new TelephonyError('the provider returned no end user id', null);
      const documentIds: string[] = [];
      for (const d of s.documents) {
        const created = (await this.client.complianceDocuments.create({
          endUserId,
          documentTypeId: d.type,
          alias: d.fileName,
          file: d.content,
        })) as unknown as Json;
        const id = str(created, 'documentId', 'document_id');
        if (id) documentIds.push(id);
      }
      const application = (await this.client.complianceApplications.create({
        alias: s.alias,
        endUserId,
        endUserType,
        countryIso2: s.country,
        numberType: PLIVO_TYPES[s.numberType],
        documentIds,
      })) as unknown as Json;
      const id = str(application, 'complianceApplicationId', 'compliance_application_id');
      if (!id) throw new TelephonyError('the provider returned no application id', null);
      const submitted = (await this.client.complianceApplications.submit(id)) as unknown as Json;
      return { id, decision: decisionOf(submitted) };
    });
  }

  async complianceDecision(providerApplicationId: string): Promise<ComplianceDecision> {
    const got = await call(() => this.client.complianceApplications.get(providerApplicationId));
    return decisionOf(got as unknown as Json);
  }

  async dial(r: DialRequest): Promise<string> {
    const created = (await call(() =>
      this.client.calls.create(r.from.replace(/^\+/, ''), r.to.replace(/^\+/, ''), r.answerUrl, {
        answerMethod: 'POST',
        ringUrl: r.statusUrl,
        ringMethod: 'POST',
        hangupUrl: r.statusUrl,
        hangupMethod: 'POST',
      }),
    )) as unknown as Json;
    const id = str(created, 'requestUuid', 'request_uuid');
    if (!id) throw new TelephonyError('the provider returned no request id', null);
    return id;
  }

  async hangup(providerCallId: string): Promise<void> {
    await call(() => this.client.calls.hangup(providerCallId));
  }
}

function decisionOf(o: Json): ComplianceDecision {
  const status = (str(o, 'status') ?? '').toLowerCase();
  return {
    status: DECISIONS[status] ?? 'SUBMITTED',
    reason: str(o, 'rejectionReason', 'rejection_reason'),
  };
}

/** Where simulated calls report their events: the same code Plivo's callbacks reach. */
export type SimulatedCallSink = (callId: string, event: CallEvent, answer: boolean) => Promise<void>;

/** Country calling codes of the simulated inventory (numbers in the 555-01xx style of each plan). */
const SIMULATED_PREFIX: Record<string, string> = {
  US: '1415555',
  CA: '1604555',
  GB: '4420794',
  DE: '4930901',
  FR: '3319900',
  IN: '9180400',
  AU: '6128010',
  BR: '5511300',
};

/**
 * No Plivo credentials: numbers come from a small made-up inventory, applications are approved
 * on submission, and calls walk ringing → in-progress → completed on timers, each step reported
 * to the same code Plivo's callbacks reach (so `callStatusChanged` works offline).
 */
export class SimulatedTelephony implements Telephony {
  readonly provider = 'SIMULATED' as const;
  private readonly timers = new Set<NodeJS.Timeout>();
  private sink: SimulatedCallSink | null = null;

  constructor(private readonly talkMs: number) {}

  /** Set once the calls module is wired. */
  deliverTo(sink: SimulatedCallSink): void {
    this.sink = sink;
  }

  async search(q: NumberSearch): Promise<AvailableNumber[]> {
    const prefix = SIMULATED_PREFIX[q.country];
    if (!prefix) return [];
    const typeDigit = Object.keys(PLIVO_TYPES).indexOf(q.numberType);
    const all = Array.from({ length: 20 }, (_, i) => `+${prefix}${typeDigit}${String(i).padStart(3, '0')}`);
    return all
      .filter((n) => !q.pattern || n.slice(1).includes(q.pattern))
      .slice(0, q.limit)
      .map((number) => ({
        number,
        country: q.country,
        numberType: q.numberType,
        monthlyRentalRate: q.numberType === 'TOLL_FREE' ? '1.00000' : '0.80000',
        voiceEnabled: true,
        smsEnabled: q.numberType !== 'TOLL_FREE',
        region: null,
      }));
  }

  async rent(): Promise<void> {}

  async release(): Promise<void> {}

  async submitCompliance(): Promise<{ id: string; decision: ComplianceDecision }> {
    return { id: `sim-${randomUUID()}`, decision: { status: 'APPROVED', reason: null } };
  }

  async complianceDecision(): Promise<ComplianceDecision> {
    return { status: 'APPROVED', reason: null };
  }

  async dial(r: DialRequest): Promise<string> {
    const requestId = randomUUID();
    const callUuid = randomUUID();
    const base = {
      CallUUID: callUuid,
      RequestUUID: requestId,
      From: r.from,
      To: r.to,
      Direction: 'outbound',
    };
    const start = Date.now();
    const stamp = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
    const steps: Array<[number, CallEvent, boolean]> = [
      [300, { ...base, CallStatus: 'ringing', Event: 'Ring' }, false],
      [1500, { ...base, CallStatus: 'in-progress', Event: 'StartApp' }, true],
    ];
    const talk = Math.round(this.talkMs / 1000);
    steps.push([
      1500 + this.talkMs,
      {
        ...base,
        CallStatus: 'completed',
        Event: 'Hangup',
        Duration: String(talk),
        BillDuration: String(Math.max(60, Math.ceil(talk / 60) * 60)),
        HangupCause: 'NORMAL_CLEARING',
        StartTime: stamp(start + 300),
        AnswerTime: stamp(start + 1500),
        EndTime: stamp(start + 1500 + this.talkMs),
      },
      false,
    ]);
    for (const [at, event, answer] of steps) this.later(at, () => this.sink?.(r.callId, event, answer));
    return requestId;
  }

  async hangup(): Promise<void> {}

  private later(ms: number, work: () => Promise<void> | undefined): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void work()?.catch(() => undefined);
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  /** Stops pending simulated events (shutdown). */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

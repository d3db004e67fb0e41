import { startServer, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';
import { clientFor, errorOf, pkOf } from './support/graphql';
import { connect, disposeSockets } from './support/ws';
import { startPlivoDouble, type PlivoDouble } from './support/plivo-double';
import { completeApplication, rentNumber } from './support/telephony';
import { metric } from './support/usage';

/**
 * Telephony through the real plivo SDK against a loopback Plivo (test/support/plivo-double.ts):
 * numbers and compliance over its REST routes, voice over its HTTPS routes (the SDK's fixed host
 * redirected at the HTTP layer), and Plivo's signed callbacks posted back to the app over the
 * public URL it was configured with.
 */

const AUTH_ID = 'MAWORKPEXTESTACCOUNT1';
const AUTH_TOKEN = 'plivo-test-auth-token-0123456789';
const PUBLIC_URL = 'https://crm.workpex.test/api';

const CALL =
  'id status direction fromNumber toNumber userNumber startedAt answeredAt endedAt duration billDuration hangupCause';
interface CallView {
  id: string;
  status: string;
  direction: string;
  fromNumber: string;
  toNumber: string;
  userNumber: string | null;
  startedAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  duration: number | null;
  billDuration: number | null;
  hangupCause: string | null;
}
const PLACE = `mutation($input: PlaceCallInput!) { placeCall(input: $input) { call { ${CALL} } } }`;
const RENT =
  'mutation($input: RentPhoneNumberInput!) { rentPhoneNumber(input: $input) { phoneNumber { id number status complianceApplication { id } } } }';

describe('telephony through Plivo (real SDK, loopback double)', () => {
  let plivo: PlivoDouble;
  let restoreVoice: () => void;
  let server: TestServer;
  let org: SeededOrg;
  let from: { id: string; number: string };

  beforeAll(async () => {
    plivo = await startPlivoDouble({
      authId: AUTH_ID,
      authToken: AUTH_TOKEN,
      regulatedCountries: ['DE', 'FR', 'IN'],
    });
    restoreVoice = plivo.installVoiceRedirect();
    server = await startServer({
      env: { PLIVO_AUTH_ID: AUTH_ID, PLIVO_AUTH_TOKEN: AUTH_TOKEN, PLIVO_URL: plivo.url, PUBLIC_URL },
    });
    // Plivo calls the public URL; here it reaches the test server (the signature stays over PUBLIC_URL).
    plivo.setCallbackTarget((url) => url.replace(PUBLIC_URL, server.origin));
    org = await seed(server).org('Plivo Co').withContacts(1);
    await clientFor(server, org.key).data(
      'mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { id } } }',
      { input: { id: org.contacts[0].id, phones: ['+14155550142'] } },
    );
    from = await rentNumber(server, org.key, 'US', 'LOCAL', 0);
  });
  afterEach(() => disposeSockets());
  afterAll(async () => {
    await server?.close();
    restoreVoice?.();
    await plivo?.close();
  });

  const placed = async (input: Record<string, unknown>) => {
    const { placeCall } = await clientFor(server, org.key).data<{ placeCall: { call: CallView } }>(PLACE, {
      input: { fromNumberId: from.id, userPhone: '+14155550199', ...input },
    });
    const call = [...plivo.calls.values()].find((c) => c.answerUrl.includes(pkOf(placeCall.call.id)));
    if (!call) throw new Error('the call did not reach Plivo');
    return { call: placeCall.call, plivoCall: call };
  };

  it('searches and rents numbers through the SDK, within the plan, shown in usage', async () => {
    expect(from.number).toMatch(/^\+1\d{10}$/);
    expect([...plivo.rented.keys()].map((n) => `+${n.replace(/^\+/, '')}`)).toContain(from.number);
    const search = plivo.requests.find((r) => r.route === 'search');
    expect(search?.authorized).toBe(true);
    expect(search?.query).toMatchObject({ country_iso: 'US', type: 'local' });
    const { usage } = await clientFor(server, org.key).data<{
      usage: { dimensions: Array<{ dimension: string; used: number }> };
    }>('{ usage { dimensions { dimension used } } }');
    expect(usage.dimensions.find((d) => d.dimension === 'PHONE_NUMBERS')?.used).toBe(1);
  });

  it('places a call: rings the user, bridges to the contact, and a subscriber sees ringing → in-progress → completed', async () => {
    const socket = connect(server, org.key);
    await socket.connected();
    const live = socket.subscribe<{ callStatusChanged: CallView }>(
      `subscription { callStatusChanged { ${CALL} } }`,
    );
    await new Promise((r) => setTimeout(r, 100));
    const { call, plivoCall } = await placed({ contactId: org.contacts[0].id });
    expect(call).toMatchObject({ status: 'QUEUED', direction: 'OUTBOUND', toNumber: '+14155550142' });
    // The SDK's voice request: from the rented number to the user's phone, with the callback URLs.
    expect(plivoCall.from.replace(/^\+/, '')).toBe(from.number.slice(1));
    expect(plivoCall.to.replace(/^\+/, '')).toBe('14155550199');
    expect(plivoCall.answerUrl).toBe(`${PUBLIC_URL}/webhooks/plivo/calls/${pkOf(call.id)}/answer`);
    expect(plivoCall.hangupUrl).toBe(`${PUBLIC_URL}/webhooks/plivo/calls/${pkOf(call.id)}`);
    expect(plivo.requests.find((r) => r.route === 'call')?.tls).toBe(true);

    expect((await plivo.ring(plivoCall.requestUuid))?.status).toBe(200);
    const answer = await plivo.answer(plivoCall.requestUuid);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/text\/xml/);
    expect(answer.body).toContain(`<Dial callerId="${from.number}"`);
    expect(answer.body).toContain('<Number>+14155550142</Number>');
    expect((await plivo.complete(plivoCall.requestUuid, { duration: 42, billDuration: 60 })).status).toBe(
      200,
    );

    const done = await live.eventWhere(
      'the completed call',
      (d) => d.callStatusChanged.status === 'COMPLETED',
    );
    expect(live.results.map((r) => r.data?.callStatusChanged.status)).toEqual([
      'QUEUED',
      'RINGING',
      'IN_PROGRESS',
      'COMPLETED',
    ]);
    expect(done.callStatusChanged).toMatchObject({
      id: call.id,
      duration: 42,
      billDuration: 60,
      hangupCause: 'NORMAL_CLEARING',
    });
    expect(done.callStatusChanged.answeredAt).not.toBeNull();

    // Duplicates and late callbacks answer 200 and never move the call back.
    const base = { CallUUID: plivoCall.callUuid, RequestUUID: plivoCall.requestUuid, Direction: 'outbound' };
    const url = `${PUBLIC_URL}/webhooks/plivo/calls/${pkOf(call.id)}`;
    expect((await plivo.postCallback(url, { ...base, CallStatus: 'ringing' })).status).toBe(200);
    expect(
      (await plivo.postCallback(`${url}/answer`, { ...base, CallStatus: 'in-progress' })).body,
    ).toContain('<Hangup');
    expect(
      (await plivo.postCallback(url, { ...base, CallStatus: 'failed', Duration: '99', HangupCause: 'X' }))
        .status,
    ).toBe(200);
    const rows = await server.db('select status, duration from call where id = $1', [pkOf(call.id)]);
    expect(rows[0]).toEqual({ status: 'COMPLETED', duration: 42 });
    await live.settle(200);
    expect(live.unread()).toEqual([]);
  });

  it('keeps the final state when callbacks arrive out of order', async () => {
    const { call, plivoCall } = await placed({ to: '+14155550177' });
    const base = { CallUUID: plivoCall.callUuid, RequestUUID: plivoCall.requestUuid, Direction: 'outbound' };
    const url = `${PUBLIC_URL}/webhooks/plivo/calls/${pkOf(call.id)}`;
    // Plivo's callbacks can overtake each other: the hangup first, then the answer and the ring.
    expect((await plivo.postCallback(url, { ...base, CallStatus: 'busy', Duration: '0' })).status).toBe(200);
    const late = await plivo.postCallback(`${url}/answer`, { ...base, CallStatus: 'in-progress' });
    expect(late.status).toBe(200);
    expect(late.body).toContain('<Hangup');
    expect((await plivo.postCallback(url, { ...base, CallStatus: 'ringing' })).status).toBe(200);
    const rows = await server.db('select status from call where id = $1', [pkOf(call.id)]);
    expect(rows[0].status).toBe('BUSY');
  });

  it('refuses forged, replayed and unsigned callbacks (403), unknown calls (404)', async () => {
    const { call, plivoCall } = await placed({ to: '+14155550178' });
    const url = `${PUBLIC_URL}/webhooks/plivo/calls/${pkOf(call.id)}`;
    const params = {
      CallUUID: plivoCall.callUuid,
      RequestUUID: plivoCall.requestUuid,
      CallStatus: 'completed',
      Duration: '1',
    };
    // Forged: a signature that is not the auth token's.
    expect((await plivo.postCallback(url, params, { signature: 'bm90LWEtc2lnbmF0dXJl' })).status).toBe(403);
    // Signed for another URL (another call): refused for this one.
    const other = `${PUBLIC_URL}/webhooks/plivo/calls/00000000-0000-4000-8000-000000000000`;
    expect(
      (
        await plivo.postCallback(url, params, {
          signature: plivo.sign(other, params, '12345'),
          nonce: '12345',
        })
      ).status,
    ).toBe(403);
    // Parameters changed after signing.
    const nonce = '88888888888888888888';
    const signature = plivo.sign(url, params, nonce);
    expect(
      (await plivo.postCallback(url, { ...params, Duration: '3600' }, { signature, nonce })).status,
    ).toBe(403);
    // No signature at all.
    const unsigned = await fetch(
      `${server.origin}/api/webhooks/plivo/calls/${pkOf(call.id)}`.replace('/api', ''),
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
      },
    );
    expect(unsigned.status).toBe(403);
    // The genuine one is accepted once; the same request again (a replay, however late) is refused.
    const replayNonce = '77777777777777777777';
    const genuine = plivo.sign(url, params, replayNonce);
    expect((await plivo.postCallback(url, params, { signature: genuine, nonce: replayNonce })).status).toBe(
      200,
    );
    expect((await plivo.postCallback(url, params, { signature: genuine, nonce: replayNonce })).status).toBe(
      403,
    );
    // Well signed, but no such call: 404 (also for ids that are not ids).
    expect((await plivo.postCallback(other, params)).status).toBe(404);
    expect((await plivo.postCallback(`${PUBLIC_URL}/webhooks/plivo/calls/not-a-call`, params)).status).toBe(
      404,
    );
    // Well signed, but no CallStatus: malformed.
    expect((await plivo.postCallback(url, { CallUUID: plivoCall.callUuid })).status).toBe(400);
    const rows = await server.db('select status, duration from call where id = $1', [pkOf(call.id)]);
    expect(rows[0]).toEqual({ status: 'COMPLETED', duration: 1 });
    // Every answer is counted for /metrics, by provider and status.
    expect(
      await metric(server, 'workpex_webhook_events_total', { provider: 'plivo', status: '403' }),
    ).toBeGreaterThanOrEqual(5);
    expect(
      await metric(server, 'workpex_webhook_events_total', { provider: 'plivo', status: '404' }),
    ).toBeGreaterThanOrEqual(2);
  });

  it('hangs up a live call through the SDK', async () => {
    const { call, plivoCall } = await placed({ to: '+14155550179' });
    await plivo.ring(plivoCall.requestUuid);
    await plivo.answer(plivoCall.requestUuid);
    const { hangupCall } = await clientFor(server, org.key).data<{ hangupCall: { call: CallView } }>(
      `mutation($input: CallIdInput!) { hangupCall(input: $input) { call { ${CALL} } } }`,
      { input: { id: call.id } },
    );
    expect(hangupCall.call.status).toBe('COMPLETED');
    expect(plivo.calls.get(plivoCall.requestUuid)?.hungUp).toBe(true);
    const hangup = plivo.requests.find((r) => r.route === 'hangup');
    expect(hangup?.path).toContain(plivoCall.callUuid);
  });

  it('never sends an emergency number to Plivo', async () => {
    const before = plivo.requests.filter((r) => r.route === 'call').length;
    for (const to of ['911', '+1 911', '1-911', '112', '999']) {
      const res = await clientFor(server, org.key).call(PLACE, {
        input: { to, fromNumberId: from.id, userPhone: '+14155550199' },
      });
      expect(errorOf(res)).toMatchObject({ code: 'EMERGENCY_NUMBER_BLOCKED', field: 'input.to' });
    }
    // A real number that only starts with 911 is dialled.
    await placed({ to: '+19115551234' });
    expect(plivo.requests.filter((r) => r.route === 'call').length).toBe(before + 1);
  });

  it('leaves no call behind when Plivo refuses it, and does not count it', async () => {
    const before = await server.db('select count(*)::int as n from call');
    plivo.failNext('call', 400, { api_id: 'x', error: 'destination not allowed' });
    const res = await clientFor(server, org.key).call(PLACE, {
      input: { to: '+14155550180', fromNumberId: from.id, userPhone: '+14155550199' },
    });
    expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(res.body.errors?.[0].message).toContain('destination not allowed');
    expect(await server.db('select count(*)::int as n from call')).toEqual(before);
  });

  it('rents in a regulated country only under an approved application, naming what is missing', async () => {
    const api = clientFor(server, org.key);
    const { searchPhoneNumbers } = await api.data<{
      searchPhoneNumbers: Array<{ number: string; complianceRequired: boolean }>;
    }>('{ searchPhoneNumbers(country: "DE", numberType: LOCAL, first: 2) { number complianceRequired } }');
    const number = searchPhoneNumbers[0].number;
    expect(searchPhoneNumbers[0].complianceRequired).toBe(true);

    const none = await api.call(RENT, { input: { number, numberType: 'LOCAL' } });
    expect(none.body.errors?.[0].extensions).toMatchObject({
      code: 'COMPLIANCE_INFO_REQUIRED',
      applicationId: null,
    });
    expect(none.body.errors?.[0].extensions?.missing).toEqual(
      expect.arrayContaining(['addressLine', 'postalCode', 'document:PROOF_OF_ADDRESS']),
    );

    // A draft missing its address and documents: renting and submitting name exactly those.
    const draft = { ...completeApplication('DE', 'LOCAL'), addressLine: null, city: null };
    const { createComplianceApplication } = await api.data<{
      createComplianceApplication: {
        complianceApplication: { id: string; status: string; missingDetails: string[] };
      };
    }>(
      'mutation($input: CreateComplianceApplicationInput!) { createComplianceApplication(input: $input) { complianceApplication { id status missingDetails } } }',
      { input: draft },
    );
    const app = createComplianceApplication.complianceApplication;
    expect(app.missingDetails).toEqual([
      'addressLine',
      'city',
      'document:PROOF_OF_ADDRESS',
      'document:BUSINESS_REGISTRATION',
    ]);
    const early = await api.call(
      'mutation($input: ComplianceApplicationIdInput!) { submitComplianceApplication(input: $input) { complianceApplication { id } } }',
      { input: { id: app.id } },
    );
    expect(early.body.errors?.[0].extensions).toMatchObject({
      code: 'COMPLIANCE_INFO_REQUIRED',
      missing: ['addressLine', 'city', 'document:PROOF_OF_ADDRESS', 'document:BUSINESS_REGISTRATION'],
    });
    const withDraft = await api.call(RENT, { input: { number, numberType: 'LOCAL' } });
    expect(withDraft.body.errors?.[0].extensions).toMatchObject({
      code: 'COMPLIANCE_INFO_REQUIRED',
      applicationId: app.id,
      applicationStatus: 'DRAFT',
      missing: ['addressLine', 'city', 'document:PROOF_OF_ADDRESS', 'document:BUSINESS_REGISTRATION'],
    });
    expect(plivo.requests.filter((r) => r.route === 'application')).toHaveLength(0);

    // Completed and submitted: the SDK creates the end user, the documents and the application.
    await api.data(
      'mutation($input: UpdateComplianceApplicationInput!) { updateComplianceApplication(input: $input) { complianceApplication { id } } }',
      { input: { id: app.id, addressLine: 'Unter den Linden 1', city: 'Berlin' } },
    );
    for (const type of ['PROOF_OF_ADDRESS', 'BUSINESS_REGISTRATION']) {
      await api.data(
        'mutation($input: AddComplianceDocumentInput!) { addComplianceDocument(input: $input) { complianceApplication { id } } }',
        {
          input: {
            applicationId: app.id,
            type,
            fileName: `${type}.pdf`,
            contentType: 'application/pdf',
            contentBase64: Buffer.from(`%PDF-1.4 ${type}`).toString('base64'),
          },
        },
      );
    }
    const { submitComplianceApplication } = await api.data<{
      submitComplianceApplication: { complianceApplication: { status: string; missingDetails: string[] } };
    }>(
      'mutation($input: ComplianceApplicationIdInput!) { submitComplianceApplication(input: $input) { complianceApplication { status missingDetails } } }',
      { input: { id: app.id } },
    );
    expect(submitComplianceApplication.complianceApplication).toEqual({
      status: 'SUBMITTED',
      missingDetails: [],
    });
    const stored = [...plivo.applications.values()].at(-1);
    expect(stored).toMatchObject({ countryIso2: 'DE', numberType: 'local', status: 'submitted' });
    expect(stored?.documentIds).toHaveLength(2);
    const sent = [...plivo.documents.values()].filter((d) => stored?.documentIds.includes(d.documentId));
    expect(sent.map((d) => d.files.length)).toEqual([1, 1]);

    const waiting = await api.call(RENT, { input: { number, numberType: 'LOCAL' } });
    expect(waiting.body.errors?.[0].extensions).toMatchObject({
      code: 'COMPLIANCE_INFO_REQUIRED',
      applicationStatus: 'SUBMITTED',
      missing: ['approval'],
    });

    // Plivo approves it: renting asks, then buys under it.
    plivo.setComplianceStatus(stored?.complianceApplicationId ?? '', 'accepted');
    const rented = await api.data<{
      rentPhoneNumber: {
        phoneNumber: { number: string; status: string; complianceApplication: { id: string } };
      };
    }>(RENT, { input: { number, numberType: 'LOCAL' } });
    expect(rented.rentPhoneNumber.phoneNumber).toMatchObject({
      number,
      status: 'ACTIVE',
      complianceApplication: { id: app.id },
    });
    const buy = plivo.requests.filter((r) => r.route === 'buy').at(-1);
    expect(JSON.stringify(buy?.body)).toContain(stored?.complianceApplicationId ?? 'missing');
    const { complianceApplication } = await api.data<{ complianceApplication: { status: string } }>(
      'query($id: ID!) { complianceApplication(id: $id) { status } }',
      { id: app.id },
    );
    expect(complianceApplication.status).toBe('APPROVED');
  });

  it('shows a rejection with its reason, and a rejected application can be corrected', async () => {
    const api = clientFor(server, org.key);
    const { createComplianceApplication } = await api.data<{
      createComplianceApplication: { complianceApplication: { id: string } };
    }>(
      'mutation($input: CreateComplianceApplicationInput!) { createComplianceApplication(input: $input) { complianceApplication { id } } }',
      { input: { ...completeApplication('FR', 'MOBILE') } },
    );
    const id = createComplianceApplication.complianceApplication.id;
    await api.data(
      'mutation($input: AddComplianceDocumentInput!) { addComplianceDocument(input: $input) { complianceApplication { id } } }',
      {
        input: {
          applicationId: id,
          type: 'PROOF_OF_ADDRESS',
          fileName: 'bill.pdf',
          contentType: 'application/pdf',
          contentBase64: Buffer.from('%PDF').toString('base64'),
        },
      },
    );
    await api.data(
      'mutation($input: AddComplianceDocumentInput!) { addComplianceDocument(input: $input) { complianceApplication { id } } }',
      {
        input: {
          applicationId: id,
          type: 'BUSINESS_REGISTRATION',
          fileName: 'kbis.pdf',
          contentType: 'application/pdf',
          contentBase64: Buffer.from('%PDF').toString('base64'),
        },
      },
    );
    await api.data(
      'mutation($input: ComplianceApplicationIdInput!) { submitComplianceApplication(input: $input) { complianceApplication { id } } }',
      { input: { id } },
    );
    const stored = [...plivo.applications.values()].at(-1);
    plivo.setComplianceStatus(
      stored?.complianceApplicationId ?? '',
      'rejected',
      'Proof of address is older than 3 months',
    );
    const { refreshComplianceApplication } = await api.data<{
      refreshComplianceApplication: { complianceApplication: { status: string; rejectionReason: string } };
    }>(
      'mutation($input: ComplianceApplicationIdInput!) { refreshComplianceApplication(input: $input) { complianceApplication { status rejectionReason } } }',
      { input: { id } },
    );
    expect(refreshComplianceApplication.complianceApplication).toEqual({
      status: 'REJECTED',
      rejectionReason: 'Proof of address is older than 3 months',
    });
    const { updateComplianceApplication } = await api.data<{
      updateComplianceApplication: { complianceApplication: { status: string } };
    }>(
      'mutation($input: UpdateComplianceApplicationInput!) { updateComplianceApplication(input: $input) { complianceApplication { status } } }',
      { input: { id, postalCode: '75001' } },
    );
    expect(updateComplianceApplication.complianceApplication.status).toBe('DRAFT');
  });
});

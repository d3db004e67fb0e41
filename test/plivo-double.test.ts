import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import axios from 'axios';
import * as plivo from 'plivo';
import { startPlivoDouble, type PlivoDouble } from './support/plivo-double';

const AUTH_ID = 'MAODQ5ZDCWNZK2YJQWNJ';
const AUTH_TOKEN = 'ZjM0YTk2ZGI4N2E2NzQ0ZmE1ZTVjNzBhNGM0ODk3';

/**
 * What the SDK rejects with, as a plain object (jest's toMatchObject will not match an Error against
 * one). Its PlivoRestError classes are Babel ES5 subclasses of Error, so the instance is a plain Error
 * (name 'Error', not AuthenticationError…) carrying status, statusText, apiID (the body's api_id) and
 * message (the body's `error`).
 */
interface Rejection {
  type: string;
  status: number | undefined;
  message: string;
  apiID: string | undefined;
}

async function rejectionOf(promise: Promise<unknown>): Promise<Rejection> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { status?: number; apiID?: string };
    return { type: e.constructor.name, status: e.status, message: e.message, apiID: e.apiID };
  }
  throw new Error('expected the call to fail');
}

interface Received {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  fields: Record<string, string>;
}

/** A stand-in for the app's callback endpoints: records each request and answers per path. */
async function startReceiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      received.push({
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        fields: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))),
      });
      if (url.pathname.endsWith('/answer')) {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end('<Response><Dial callerId="+14155550100"><Number>+14155550123</Number></Dial></Response>');
      } else if (url.pathname.endsWith('/moved')) {
        res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

function clientFor(double: PlivoDouble, token = AUTH_TOKEN, account = AUTH_ID): plivo.Client {
  return new plivo.Client(AUTH_ID, token, { url: `${double.url}/v1/Account/${account}` });
}

describe('Plivo test double, driven through the plivo SDK', () => {
  let double: PlivoDouble;
  let client: plivo.Client;

  beforeAll(async () => {
    double = await startPlivoDouble({ authId: AUTH_ID, authToken: AUTH_TOKEN });
    client = clientFor(double);
  });
  afterAll(() => double.close());
  beforeEach(() => double.reset());

  it('searches the inventory; the SDK returns PhoneNumber objects with camelCased keys and a meta', async () => {
    const found = await client.numbers.search('US', { type: 'local', pattern: '415' });

    expect(found.map((n) => n.number)).toEqual(['14155550100', '14155550101', '14155550102', '14155550103']);
    // The d.ts promises snake_case (rate_center, sub_type, …); at runtime every key is camelCased.
    expect(found[0]).toMatchObject({
      id: '14155550100',
      number: '14155550100',
      prefix: '415',
      city: 'SAN FRANCISCO',
      country: 'UNITED STATES',
      region: 'California, UNITED STATES',
      rateCenter: 'SNFC CNTRL',
      lata: 722,
      type: 'fixed',
      subType: 'local',
      monthlyRentalRate: '0.80000',
      voiceEnabled: true,
      smsEnabled: true,
      restriction: null,
      resourceUri: `/v1/Account/${AUTH_ID}/PhoneNumber/14155550100/`,
    });
    expect(found[0]).not.toHaveProperty('rate_center');
    expect((found as unknown as { meta: unknown }).meta).toEqual({
      limit: 20,
      next: null,
      offset: 0,
      previous: null,
      totalCount: 4,
    });
    expect(double.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: `/v1/Account/${AUTH_ID}/PhoneNumber/`,
      query: { type: 'local', pattern: '415', country_iso: 'US' },
      authorized: true,
      tls: false,
      route: 'search',
      status: 200,
    });

    const page = await client.numbers.search('GB', { limit: 3, offset: 3 });
    expect(page.map((n) => n.number)).toEqual(['442079460103', '441614960100', '441614960101']);
    const meta = (page as unknown as { meta: Record<string, unknown> }).meta;
    expect(meta).toMatchObject({ limit: 3, offset: 3, totalCount: 11 });
    expect(meta.next).toContain('offset=6');
    expect(meta.previous).toContain('offset=0');

    expect((await client.numbers.search('GB', { type: 'mobile', pattern: '7700' })).length).toBe(3);
    expect((await client.numbers.search('FR', { type: 'tollfree' }))[0]).toMatchObject({
      number: '33805710100',
      type: 'tollfree',
      restriction: 'country-address',
    });
    for (const country of ['US', 'CA', 'GB', 'DE', 'FR', 'IN', 'AU', 'BR']) {
      expect((await client.numbers.search(country, {})).length).toBeGreaterThanOrEqual(10);
    }
    expect(await rejectionOf(client.numbers.search('US', { type: 'premium' }))).toMatchObject({
      status: 400,
      message: expect.stringContaining('invalid type'),
    });
  });

  it('buys a number (201, fulfilled) and unrents it (204); both 404 when the number is not there', async () => {
    const bought = await client.numbers.buy('14155550101', 'app-123');

    expect(bought).toEqual({
      apiId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      numbers: [{ number: '14155550101', status: 'Success' }],
      status: 'fulfilled',
      message: 'created',
      statusCode: 201,
    });
    expect(double.rented.get('14155550101')).toMatchObject({ countryIso: 'US', appId: 'app-123' });
    expect(double.inventory.has('14155550101')).toBe(false);
    expect(double.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: `/v1/Account/${AUTH_ID}/PhoneNumber/14155550101/`,
      body: { kind: 'json', json: { app_id: 'app-123' } },
      status: 201,
    });
    expect((await client.numbers.search('US', { pattern: '415' })).map((n) => n.number)).not.toContain(
      '14155550101',
    );

    const again = await rejectionOf(client.numbers.buy('14155550101'));
    expect(again).toMatchObject({ status: 404, message: 'Number not found' });

    await expect(client.numbers.unrent('14155550101')).resolves.toBe(true);
    expect(double.requests.at(-1)).toMatchObject({
      method: 'DELETE',
      path: `/v1/Account/${AUTH_ID}/Number/14155550101/`,
      // The SDK sends a call without parameters as the JSON body `""`.
      body: { kind: 'json', json: '' },
      status: 204,
    });
    expect(double.rented.size).toBe(0);
    expect(double.inventory.has('14155550101')).toBe(true);
    expect((await rejectionOf(client.numbers.unrent('14155550101'))).status).toBe(404);
  });

  it('refuses a regulated number until its compliance application is accepted', async () => {
    const [berlin] = await client.numbers.search('DE', { type: 'local', pattern: '30' });
    expect(berlin).toMatchObject({ number: '493023125000', restriction: 'city-address' });

    const bare = await rejectionOf(client.numbers.buy(berlin.number));
    expect(bare).toMatchObject({ type: 'Error', status: 400 });
    expect(bare.message).toMatch(/compliance/);

    const endUser = await client.endUsers.create({
      name: 'Ada',
      lastName: 'Lovelace',
      endUserType: 'Individual',
    });
    expect(endUser).toEqual({
      apiId: expect.any(String),
      endUserId: expect.any(String),
      endUserType: 'Individual',
      name: 'Ada',
      lastName: 'Lovelace',
      message: 'Added successfully.',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
    });
    expect(double.endUsers.get(endUser.endUserId)).toMatchObject({ name: 'Ada', endUserType: 'Individual' });

    const passport = Buffer.from('%PDF-1.4\n\x00\xff binary passport scan\n');
    const document = await client.complianceDocuments.create({
      endUserId: endUser.endUserId,
      documentTypeId: 'doc-type-passport',
      alias: 'Ada passport',
      file: passport,
      uniqueIdentificationNumber: 'P1234567',
    });
    expect(document).toEqual({
      apiId: expect.any(String),
      documentId: expect.any(String),
      message: 'Created',
    });
    const stored = double.documents.get(document.documentId);
    expect(stored).toMatchObject({
      endUserId: endUser.endUserId,
      documentTypeId: 'doc-type-passport',
      alias: 'Ada passport',
      fields: { unique_identification_number: 'P1234567' },
    });
    // form-data sends a Buffer as application/octet-stream with no filename.
    expect(stored?.files).toEqual([
      { field: 'file', filename: null, contentType: 'application/octet-stream', data: passport },
    ]);
    expect(double.requests.at(-1)).toMatchObject({
      path: `/v1/Account/${AUTH_ID}/ComplianceDocument/`,
      headers: { 'content-type': expect.stringMatching(/^multipart\/form-data; boundary=/) },
      body: { kind: 'multipart', fields: { end_user_id: endUser.endUserId, alias: 'Ada passport' } },
    });

    const application = await client.complianceApplications.create({
      alias: 'Berlin local',
      endUserId: endUser.endUserId,
      endUserType: 'individual',
      countryIso2: 'DE',
      numberType: 'local',
      documentIds: [document.documentId],
      complianceRequirementId: 'req-de-local-individual',
    });
    expect(application).toMatchObject({
      complianceApplicationId: expect.any(String),
      status: 'draft',
      countryIso2: 'DE',
      numberType: 'local',
      endUserId: endUser.endUserId,
      message: 'Created',
      documents: [
        { documentId: document.documentId, name: 'Ada passport', documentTypeId: 'doc-type-passport' },
      ],
    });
    // The SDK snake-cases the keys (countryIso2 → country_iso2) and sends JSON.
    expect(double.requests.at(-1)?.body).toEqual({
      kind: 'json',
      json: {
        alias: 'Berlin local',
        end_user_id: endUser.endUserId,
        end_user_type: 'individual',
        country_iso2: 'DE',
        number_type: 'local',
        document_ids: [document.documentId],
        compliance_requirement_id: 'req-de-local-individual',
      },
    });
    const id = application.complianceApplicationId;

    expect(
      (await rejectionOf(client.numbers.buy(berlin.number, undefined, undefined, undefined, id))).message,
    ).toMatch(/draft, not accepted/);

    const submitted = await client.complianceApplications.submit(id);
    expect(submitted).toMatchObject({ complianceApplicationId: id, status: 'submitted' });
    expect(double.requests.at(-1)?.path).toBe(`/v1/Account/${AUTH_ID}/ComplianceApplication/${id}/Submit/`);
    expect(await client.complianceApplications.get(id)).toMatchObject({
      status: 'submitted',
      rejectionReason: null,
    });

    double.setComplianceStatus(id, 'rejected', 'Passport scan unreadable');
    expect(await client.complianceApplications.get(id)).toMatchObject({
      status: 'rejected',
      rejectionReason: 'Passport scan unreadable',
    });
    expect(
      (await rejectionOf(client.numbers.buy(berlin.number, undefined, undefined, undefined, id))).message,
    ).toMatch(/rejected, not accepted/);

    double.setComplianceStatus(id, 'accepted');
    expect(await client.complianceApplications.get(id)).toMatchObject({
      status: 'accepted',
      rejectionReason: null,
    });
    await expect(
      client.numbers.buy(berlin.number, undefined, undefined, undefined, id),
    ).resolves.toMatchObject({
      status: 'fulfilled',
    });
    expect(double.rented.get(berlin.number)).toMatchObject({ complianceApplicationId: id, countryIso: 'DE' });
    expect(double.requests.at(-1)?.body).toEqual({ kind: 'json', json: { compliance_application_id: id } });

    // An accepted application only covers its own country and number type.
    const mobile = (await client.numbers.search('DE', { type: 'mobile' }))[0].number;
    expect(
      (await rejectionOf(client.numbers.buy(mobile, undefined, undefined, undefined, id))).message,
    ).toMatch(/for local numbers, not mobile/);
    expect((await rejectionOf(client.complianceApplications.get('missing'))).status).toBe(404);
  });

  it('rejects wrong credentials and another account id with 401 (the SDK rejects with a plain Error, status 401)', async () => {
    const wrongToken = await rejectionOf(clientFor(double, 'not-the-token').numbers.search('US', {}));
    expect(wrongToken).toMatchObject({
      type: 'Error',
      status: 401,
      message: 'Authentication credentials invalid',
      apiID: expect.any(String),
    });
    expect(double.requests.at(-1)).toMatchObject({ authorized: false, status: 401, route: 'search' });

    const otherAccount = await rejectionOf(
      clientFor(double, AUTH_TOKEN, 'MAOTHERACCOUNT000000').numbers.buy('14155550100'),
    );
    expect(otherAccount).toMatchObject({ status: 401 });
    expect(double.rented.size).toBe(0);
  });

  it('fails the next request to a route as told, changing nothing, then serves the retry', async () => {
    double.failNext('search', 500);
    expect(await rejectionOf(client.numbers.search('US', {}))).toMatchObject({
      status: 500,
      message: 'Internal Server Error',
    });
    expect((await client.numbers.search('US', {})).length).toBe(11);

    double.failNext('buy', 400, { api_id: 'fixed-api-id', error: 'insufficient credit' });
    expect(await rejectionOf(client.numbers.buy('14155550100'))).toMatchObject({
      status: 400,
      message: 'insufficient credit',
      apiID: 'fixed-api-id',
    });
    expect(double.inventory.has('14155550100')).toBe(true);

    // Statuses the SDK has no class for (429, 413, 403 off the voice POSTs…) reject as a plain Error
    // whose message is the stringified AxiosError: no status, no body.
    double.failNext('buy', 429);
    const throttled = await rejectionOf(client.numbers.buy('14155550100'));
    expect(throttled).toEqual({
      type: 'Error',
      status: undefined,
      message: 'AxiosError: Request failed with status code 429',
      apiID: undefined,
    });
    await expect(client.numbers.buy('14155550100')).resolves.toMatchObject({ status: 'fulfilled' });

    expect(() => double.failNext('search', 200)).toThrow(/4xx or 5xx/);
  });

  it('answers 413 to a body over 10 MB and 404 JSON to an unknown route', async () => {
    const endUser = await client.endUsers.create({ name: 'Big', lastName: 'File', endUserType: 'Business' });
    const huge = await rejectionOf(
      client.complianceDocuments.create({
        endUserId: endUser.endUserId,
        documentTypeId: 'doc-type-passport',
        alias: 'too big',
        file: Buffer.alloc(10 * 1024 * 1024 + 1),
      }),
    );
    expect(huge.message).toMatch(/status code 413/);
    expect(double.requests.at(-1)).toMatchObject({ status: 413, body: { kind: 'too-large' } });
    expect(double.documents.size).toBe(0);

    const unknown = await fetch(`${double.url}/v1/Account/${AUTH_ID}/Nope/`, {
      headers: { authorization: `Basic ${Buffer.from(`${AUTH_ID}:${AUTH_TOKEN}`).toString('base64')}` },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/json');
    expect(await unknown.json()).toEqual({ api_id: expect.any(String), error: 'not found' });
  });

  it('presents a certificate for api.plivo.com on its HTTPS listener (the fixture)', async () => {
    const port = Number(new URL(double.httpsUrl).port);
    const ca = readFileSync(join(__dirname, 'support', 'fixtures', 'plivo-double.crt'));
    const socket = tlsConnect({ host: '127.0.0.1', port, servername: 'api.plivo.com', ca });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('secureConnect', resolve);
        socket.once('error', reject);
      });
      expect(socket.authorized).toBe(true);
      expect(socket.getPeerCertificate().subject.CN).toBe('api.plivo.com');
    } finally {
      socket.destroy();
    }
  });

  describe('voice, through installVoiceRedirect', () => {
    let undo: () => void;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;

    beforeAll(async () => {
      undo = double.installVoiceRedirect();
      receiver = await startReceiver();
    });
    afterAll(async () => {
      undo();
      await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
    });
    beforeEach(() => {
      receiver.received.length = 0;
    });

    function placeCall(extra: Record<string, unknown> = {}) {
      return client.calls.create('+14155550100', '+14155550123', `${receiver.url}/plivo/answer`, {
        answerMethod: 'POST',
        hangupUrl: `${receiver.url}/plivo/hangup`,
        ringUrl: `${receiver.url}/plivo/ring`,
        timeLimit: 3600,
        ...extra,
      });
    }

    it('places a call over TLS to "api.plivo.com" (JSON body) and hangs it up', async () => {
      const created = await placeCall();

      expect(created).toEqual({
        apiId: expect.any(String),
        message: 'call fired',
        requestUuid: expect.any(String),
      });
      const uuid = created.requestUuid as string;
      expect(double.requests.at(-1)).toMatchObject({
        method: 'POST',
        path: `/v1/Account/${AUTH_ID}/Call/`,
        tls: true,
        authorized: true,
        headers: { host: 'api.plivo.com', 'content-type': 'application/json' },
        status: 201,
      });
      expect(double.requests.at(-1)?.body).toEqual({
        kind: 'json',
        json: {
          from: '+14155550100',
          to: '+14155550123',
          answer_url: `${receiver.url}/plivo/answer`,
          answer_method: 'POST',
          hangup_url: `${receiver.url}/plivo/hangup`,
          ring_url: `${receiver.url}/plivo/ring`,
          time_limit: 3600,
        },
      });
      const call = double.calls.get(uuid);
      expect(call).toMatchObject({
        from: '+14155550100',
        to: '+14155550123',
        answerUrl: `${receiver.url}/plivo/answer`,
        answerMethod: 'POST',
        hangupUrl: `${receiver.url}/plivo/hangup`,
        ringUrl: `${receiver.url}/plivo/ring`,
        timeLimit: 3600,
        hungUp: false,
        status: 'queued',
      });
      expect(call?.callUuid).not.toBe(uuid);

      await expect(client.calls.hangup(uuid)).resolves.toBe(true);
      expect(double.requests.at(-1)).toMatchObject({
        method: 'DELETE',
        path: `/v1/Account/${AUTH_ID}/Call/${uuid}/`,
        tls: true,
        status: 204,
      });
      expect(double.calls.get(uuid)?.hungUp).toBe(true);
      expect(await rejectionOf(client.calls.hangup(uuid))).toMatchObject({ status: 404 });
    });

    it('places one call per destination for a bulk `to`, answering request_uuid as a list', async () => {
      // The SDK joins an array `to` with '<' too; its d.ts only admits a string.
      const created = await client.calls.create(
        '+14155550100',
        '+14155550123<+14155550124',
        `${receiver.url}/a`,
      );
      expect(created.message).toBe('calls fired');
      expect(created.requestUuid).toHaveLength(2);
      expect([...double.calls.values()].map((c) => c.to)).toEqual(['+14155550123', '+14155550124']);
    });

    it('lets the SDK retry a voice 5xx (it retries twice), and rejects a voice 4xx', async () => {
      double.failNext('call', 503);
      await expect(placeCall()).resolves.toMatchObject({ message: 'call fired' });
      expect(double.requests.map((r) => `${r.method} ${r.route} ${r.status}`)).toEqual([
        'POST call 503',
        'POST call 201',
      ]);

      double.failNext('call', 400, { api_id: 'a', error: 'invalid to number' });
      expect(await rejectionOf(placeCall())).toMatchObject({ status: 400, message: 'invalid to number' });
      expect(double.calls.size).toBe(1);
    });

    it('refuses a voice request with wrong credentials', async () => {
      const intruder = clientFor(double, 'not-the-token');
      expect(
        await rejectionOf(intruder.calls.create('+14155550100', '+14155550123', `${receiver.url}/a`)),
      ).toMatchObject({ status: 401, message: 'Authentication credentials invalid' });
      expect(double.requests.at(-1)).toMatchObject({ tls: true, authorized: false });
      expect(double.calls.size).toBe(0);
    });

    it('walks a call: ring, answer (XML back), complete, each signed as Plivo signs', async () => {
      const { requestUuid } = await placeCall();
      const call = double.calls.get(requestUuid as string);
      if (!call) throw new Error('call not stored');

      const rang = await double.ring(call.requestUuid);
      expect(rang).toEqual({ status: 200, body: 'ok', contentType: 'text/plain' });
      const answered = await double.answer(call.requestUuid);
      expect(answered.status).toBe(200);
      expect(answered.contentType).toBe('text/xml');
      expect(answered.body).toContain('<Dial callerId="+14155550100">');
      const completed = await double.complete(call.requestUuid, { duration: 65 });
      expect(completed.status).toBe(200);

      expect(receiver.received.map((r) => `${r.method} ${r.path}`)).toEqual([
        'POST /plivo/ring',
        'POST /plivo/answer',
        'POST /plivo/hangup',
      ]);
      const [ring, answer, hangup] = receiver.received;
      const common = {
        CallUUID: call.callUuid,
        RequestUUID: call.requestUuid,
        From: '+14155550100',
        To: '+14155550123',
        Direction: 'outbound',
      };
      expect(ring.fields).toMatchObject({ ...common, CallStatus: 'ringing', Event: 'Ring' });
      expect(answer.fields).toMatchObject({ ...common, CallStatus: 'in-progress', Event: 'StartApp' });
      expect(hangup.fields).toMatchObject({
        ...common,
        CallStatus: 'completed',
        Event: 'Hangup',
        Duration: '65',
        BillDuration: '120',
        HangupCause: 'NORMAL_CLEARING',
        HangupSource: 'Callee',
        StartTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      });
      const seconds = (time: string) => Date.parse(`${time.replace(' ', 'T')}Z`) / 1000;
      expect(seconds(hangup.fields.EndTime) - seconds(hangup.fields.AnswerTime)).toBe(65);

      for (const [request, path] of [
        [ring, '/plivo/ring'],
        [answer, '/plivo/answer'],
        [hangup, '/plivo/hangup'],
      ] as const) {
        expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
        const nonce = String(request.headers['x-plivo-signature-v3-nonce']);
        expect(nonce).toMatch(/^[1-9]\d{19}$/);
        const signature = String(request.headers['x-plivo-signature-v3']);
        expect(
          plivo.validateV3Signature(
            'POST',
            `${receiver.url}${path}`,
            nonce,
            AUTH_TOKEN,
            signature,
            request.fields,
          ),
        ).toBe(true);
      }
      expect(double.calls.get(call.requestUuid)).toMatchObject({ status: 'completed' });
      await expect(double.answer(call.requestUuid)).rejects.toThrow(/has ended/);
    });

    it('sends a hung-up call to the answer_url by GET when that is its method and it has no hangup_url', async () => {
      const { requestUuid } = await client.calls.create(
        '+14155550100',
        '+14155550123',
        `${receiver.url}/answer?t=1`,
        {
          answerMethod: 'GET',
        },
      );
      const uuid = requestUuid as string;
      await client.calls.hangup(uuid);

      expect(await double.ring(uuid)).toBeNull();
      await double.complete(uuid, { duration: 0, status: 'no-answer' });

      expect(receiver.received).toHaveLength(1);
      const [hangup] = receiver.received;
      expect(hangup).toMatchObject({ method: 'GET', path: '/answer' });
      expect(hangup.query).toMatchObject({
        t: '1',
        CallStatus: 'no-answer',
        HangupCause: 'NO_ANSWER',
        HangupSource: 'API',
        Duration: '0',
        AnswerTime: '',
      });
      const calledUrl = `${receiver.url}/answer?${new URLSearchParams(hangup.query).toString()}`;
      expect(
        plivo.validateV3Signature(
          'GET',
          calledUrl,
          String(hangup.headers['x-plivo-signature-v3-nonce']),
          AUTH_TOKEN,
          String(hangup.headers['x-plivo-signature-v3']),
        ),
      ).toBe(true);
    });

    it('undoes a redirect, restoring the previous agent and proxy setting', () => {
      const previousAgent: unknown = axios.defaults.httpsAgent;
      const previousProxy = axios.defaults.proxy;
      const again = double.installVoiceRedirect();
      expect(axios.defaults.httpsAgent).not.toBe(previousAgent);
      expect(axios.defaults.proxy).toBe(false);
      again();
      expect(axios.defaults.httpsAgent).toBe(previousAgent);
      expect(axios.defaults.proxy).toBe(previousProxy);
    });
  });

  describe('callbacks', () => {
    let receiver: Awaited<ReturnType<typeof startReceiver>>;

    beforeAll(async () => {
      receiver = await startReceiver();
    });
    afterAll(() => new Promise<void>((resolve) => receiver.server.close(() => resolve())));
    beforeEach(() => {
      receiver.received.length = 0;
      double.setCallbackTarget(null);
    });

    it('signs as plivo.validateV3Signature checks, which rejects a changed param, nonce or URL', () => {
      const url = 'https://crm.example.test/plivo/answer';
      const params = { CallUUID: 'c-1', From: '14155550100', To: '14155550123', CallStatus: 'in-progress' };
      const nonce = '12345678901234567890';
      const signature = double.sign(url, params, nonce);

      expect(signature).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      expect(plivo.validateV3Signature('POST', url, nonce, AUTH_TOKEN, signature, params)).toBe(true);
      expect(
        plivo.validateV3Signature('POST', url, nonce, AUTH_TOKEN, signature, {
          ...params,
          CallStatus: 'completed',
        }),
      ).toBe(false);
      expect(
        plivo.validateV3Signature('POST', url, nonce, AUTH_TOKEN, signature, { ...params, Extra: 'x' }),
      ).toBe(false);
      const { To: _to, ...withoutTo } = params;
      expect(plivo.validateV3Signature('POST', url, nonce, AUTH_TOKEN, signature, withoutTo)).toBe(false);
      expect(
        plivo.validateV3Signature('POST', url, '12345678901234567891', AUTH_TOKEN, signature, params),
      ).toBe(false);
      expect(plivo.validateV3Signature('POST', `${url}/`, nonce, AUTH_TOKEN, signature, params)).toBe(false);
      expect(plivo.validateV3Signature('POST', url, nonce, 'other-token', signature, params)).toBe(false);

      // A query in the URL, a port, unsorted keys, non-ASCII values, and no params at all. (No key
      // repeated in the query: under jest the SDK itself mis-sorts those; see plivoSignatureV3.)
      const withQuery = 'https://crm.example.test:8443/plivo/hangup?tenant=t%201&b=2&a=%C3%A9';
      const odd = { Zeta: 'Zoë & co', alpha: '', Alpha: 'ü=1&x' };
      expect(
        plivo.validateV3Signature(
          'POST',
          withQuery,
          nonce,
          AUTH_TOKEN,
          double.sign(withQuery, odd, nonce),
          odd,
        ),
      ).toBe(true);
      expect(
        plivo.validateV3Signature('POST', withQuery, nonce, AUTH_TOKEN, double.sign(withQuery, {}, nonce)),
      ).toBe(true);
      expect(plivo.validateV3Signature('POST', url, nonce, AUTH_TOKEN, double.sign(url, {}, nonce))).toBe(
        true,
      );
    });

    it('posts a form-encoded callback with the signature headers, as given or computed', async () => {
      const url = `${receiver.url}/plivo/status?org=o-1`;
      const params = { CallUUID: 'c-9', CallStatus: 'busy', Note: 'a b+c' };

      const sent = await double.postCallback(url, params);
      expect(sent).toEqual({ status: 200, body: 'ok', contentType: 'text/plain' });
      const [first] = receiver.received;
      expect(first).toMatchObject({
        method: 'POST',
        path: '/plivo/status',
        query: { org: 'o-1' },
        fields: params,
      });
      expect(
        plivo.validateV3Signature(
          'POST',
          url,
          String(first.headers['x-plivo-signature-v3-nonce']),
          AUTH_TOKEN,
          String(first.headers['x-plivo-signature-v3']),
          first.fields,
        ),
      ).toBe(true);

      await double.postCallback(url, params, {
        nonce: '11111111111111111111',
        signature: 'forged',
        headers: { 'x-extra': 'yes' },
      });
      expect(receiver.received[1].headers).toMatchObject({
        'x-plivo-signature-v3': 'forged',
        'x-plivo-signature-v3-nonce': '11111111111111111111',
        'x-extra': 'yes',
      });

      expect(await double.postCallback(`${receiver.url}/moved`, {})).toEqual({
        status: 302,
        body: '',
        contentType: null,
      });
    });

    it('never posts off this machine, but can map a public URL to a local one, signing the public URL', async () => {
      const publicUrl = 'https://crm.example.test/plivo/answer';
      await expect(double.postCallback(publicUrl, {})).rejects.toThrow(/refusing/);
      expect(receiver.received).toHaveLength(0);

      double.setCallbackTarget((url) => url.replace('https://crm.example.test', receiver.url));
      await double.postCallback(publicUrl, { CallUUID: 'c-2' });
      const [request] = receiver.received;
      expect(request.path).toBe('/plivo/answer');
      expect(
        plivo.validateV3Signature(
          'POST',
          publicUrl,
          String(request.headers['x-plivo-signature-v3-nonce']),
          AUTH_TOKEN,
          String(request.headers['x-plivo-signature-v3']),
          request.fields,
        ),
      ).toBe(true);
    });
  });
});

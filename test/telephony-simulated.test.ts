import { startServer, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';
import { clientFor, errorOf, pkOf } from './support/graphql';
import { connect, disposeSockets } from './support/ws';
import { GENEROUS, insertPlan } from './support/usage';

/**
 * Telephony without Plivo credentials (CONTRACT §12: "Without them calls are simulated"): numbers
 * come from a simulated inventory, compliance applications are approved on submission, and a
 * placed call walks ringing → in-progress → completed through the code Plivo's callbacks reach,
 * so `callStatusChanged` works offline.
 */

const CALL =
  'id direction status fromNumber toNumber userNumber placedAt startedAt answeredAt endedAt duration billDuration hangupCause contact { id }';

interface CallView {
  id: string;
  direction: string;
  status: string;
  fromNumber: string;
  toNumber: string;
  userNumber: string | null;
  placedAt: string | null;
  startedAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  duration: number | null;
  billDuration: number | null;
  hangupCause: string | null;
  contact: { id: string } | null;
}

const RENT =
  'mutation($input: RentPhoneNumberInput!) { rentPhoneNumber(input: $input) { phoneNumber { id number status numberType country } } }';
const PLACE = `mutation($input: PlaceCallInput!) { placeCall(input: $input) { call { ${CALL} } } }`;

describe('telephony, simulated (no Plivo credentials)', () => {
  let server: TestServer;
  let org: SeededOrg;
  let fromNumberId: string;

  beforeAll(async () => {
    server = await startServer({ env: { SIMULATED_CALL_MS: '300', LOG_LEVEL: 'error' } });
    org = await seed(server).org('Dialer Co').withContacts(1);
    await clientFor(server, org.key).data(
      'mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { id } } }',
      { input: { id: org.contacts[0].id, phones: ['+1 415 555 0142'] } },
    );
    const { searchPhoneNumbers } = await clientFor(server, org.key).data<{
      searchPhoneNumbers: Array<{ number: string; complianceRequired: boolean }>;
    }>('{ searchPhoneNumbers(country: "US", numberType: LOCAL, first: 3) { number complianceRequired } }');
    expect(searchPhoneNumbers).toHaveLength(3);
    expect(searchPhoneNumbers[0].complianceRequired).toBe(false);
    const rented = await clientFor(server, org.key).data<{
      rentPhoneNumber: { phoneNumber: { id: string; status: string } };
    }>(RENT, { input: { number: searchPhoneNumbers[0].number, numberType: 'LOCAL' } });
    expect(rented.rentPhoneNumber.phoneNumber.status).toBe('ACTIVE');
    fromNumberId = rented.rentPhoneNumber.phoneNumber.id;
  });
  afterEach(() => disposeSockets());
  afterAll(() => server.close());

  it('places a call that rings, is answered and completes, seen live by a subscriber', async () => {
    const socket = connect(server, org.key);
    await socket.connected();
    const live = socket.subscribe<{ callStatusChanged: CallView }>(
      `subscription { callStatusChanged { ${CALL} } }`,
    );
    await new Promise((r) => setTimeout(r, 100));
    const { placeCall } = await clientFor(server, org.key).data<{ placeCall: { call: CallView } }>(PLACE, {
      input: { contactId: org.contacts[0].id, fromNumberId, userPhone: '+1 (415) 555-0199' },
    });
    expect(placeCall.call).toMatchObject({
      direction: 'OUTBOUND',
      status: 'QUEUED',
      toNumber: '+14155550142',
      userNumber: '+14155550199',
      contact: { id: org.contacts[0].id },
    });
    const done = await live.eventWhere(
      'the completed call',
      (d) => d.callStatusChanged.status === 'COMPLETED',
      8000,
    );
    const statuses = live.results.map((r) => r.data?.callStatusChanged.status);
    expect(statuses).toEqual(expect.arrayContaining(['RINGING', 'IN_PROGRESS', 'COMPLETED']));
    expect(statuses.indexOf('RINGING')).toBeLessThan(statuses.indexOf('IN_PROGRESS'));
    expect(done.callStatusChanged).toMatchObject({ id: placeCall.call.id, hangupCause: 'NORMAL_CLEARING' });
    expect(done.callStatusChanged.answeredAt).not.toBeNull();
    expect(done.callStatusChanged.endedAt).not.toBeNull();
    expect(typeof done.callStatusChanged.duration).toBe('number');
  });

  it('never dials an emergency number: refused before anything is written', async () => {
    const before = await server.db('select count(*)::int as n from call');
    for (const to of ['911', '+911', '9-1-1', '112']) {
      const res = await clientFor(server, org.key).call(PLACE, {
        input: { to, fromNumberId, userPhone: '+14155550199' },
      });
      expect(errorOf(res)).toMatchObject({ code: 'EMERGENCY_NUMBER_BLOCKED' });
    }
    const asUser = await clientFor(server, org.key).call(PLACE, {
      input: { to: '+14155550142', fromNumberId, userPhone: '(911)' },
    });
    expect(errorOf(asUser)).toMatchObject({ code: 'EMERGENCY_NUMBER_BLOCKED', field: 'input.userPhone' });
    expect(await server.db('select count(*)::int as n from call')).toEqual(before);
  });

  it('hangs up a ringing call: canceled, and the simulation moves it no further', async () => {
    const { placeCall } = await clientFor(server, org.key).data<{ placeCall: { call: CallView } }>(PLACE, {
      input: { to: '+14155550143', fromNumberId, userPhone: '+14155550199' },
    });
    const { hangupCall } = await clientFor(server, org.key).data<{ hangupCall: { call: CallView } }>(
      `mutation($input: CallIdInput!) { hangupCall(input: $input) { call { ${CALL} } } }`,
      { input: { id: placeCall.call.id } },
    );
    expect(hangupCall.call.status).toBe('CANCELED');
    await new Promise((r) => setTimeout(r, 2500));
    const rows = await server.db('select status from call where id = $1', [pkOf(placeCall.call.id)]);
    expect(rows[0].status).toBe('CANCELED');
    const again = await clientFor(server, org.key).call(
      'mutation($input: CallIdInput!) { hangupCall(input: $input) { call { id } } }',
      { input: { id: placeCall.call.id } },
    );
    expect(errorOf(again)).toMatchObject({ code: 'CONFLICT' });
  });

  it("counts placed calls against the plan's calls per day, shown in usage", async () => {
    await insertPlan(server, 'TWO_CALLS', { ...GENEROUS, callsPerDay: 2 });
    const other = await seed(server).org('Counted Co').onPlan('TWO_CALLS');
    const c = clientFor(server, other.key);
    const { searchPhoneNumbers } = await c.data<{ searchPhoneNumbers: Array<{ number: string }> }>(
      '{ searchPhoneNumbers(country: "US", numberType: LOCAL, first: 5) { number } }',
    );
    const from = (
      await c.data<{ rentPhoneNumber: { phoneNumber: { id: string } } }>(RENT, {
        input: { number: searchPhoneNumbers[4].number, numberType: 'LOCAL' },
      })
    ).rentPhoneNumber.phoneNumber.id;
    {
      for (let i = 0; i < 2; i++) {
        await c.data(PLACE, {
          input: { to: `+1415555017${i}`, fromNumberId: from, userPhone: '+14155550199' },
        });
      }
      const refused = await c.call(PLACE, {
        input: { to: '+14155550179', fromNumberId: from, userPhone: '+14155550199' },
      });
      expect(refused.status).toBe(429);
      const e = refused.body.errors?.[0].extensions ?? {};
      expect(e).toMatchObject({ code: 'USAGE_LIMIT_EXCEEDED', dimension: 'CALLS_PLACED', limit: 2, used: 2 });
      expect(new Date(String(e.resetAt)).getUTCHours()).toBe(0);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      const { usage } = await c.data<{
        usage: { dimensions: Array<{ dimension: string; used: number; limit: number }> };
      }>('{ usage { dimensions { dimension used limit } } }');
      const byName = Object.fromEntries(usage.dimensions.map((d) => [d.dimension, d]));
      expect(byName.CALLS_PLACED).toMatchObject({ used: 2, limit: 2 });
      expect(byName.PHONE_NUMBERS).toMatchObject({ used: 1 });
    }
  });

  it("limits rented numbers to the plan's phone numbers and releases them", async () => {
    const other = await seed(server).org('Numbered Co').onPlan('FREE');
    const c = clientFor(server, other.key);
    const { searchPhoneNumbers } = await c.data<{ searchPhoneNumbers: Array<{ number: string }> }>(
      '{ searchPhoneNumbers(country: "GB", numberType: MOBILE, first: 5) { number } }',
    );
    const first = await c.data<{ rentPhoneNumber: { phoneNumber: { id: string } } }>(RENT, {
      input: { number: searchPhoneNumbers[0].number, numberType: 'MOBILE' },
    });
    const second = await c.call(RENT, {
      input: { number: searchPhoneNumbers[1].number, numberType: 'MOBILE' },
    });
    expect(second.body.errors?.[0].extensions).toMatchObject({
      code: 'USAGE_LIMIT_EXCEEDED',
      dimension: 'PHONE_NUMBERS',
      limit: 1,
      used: 1,
    });
    const released = await c.data<{
      releasePhoneNumber: { phoneNumber: { status: string; releasedAt: string } };
    }>(
      'mutation($input: PhoneNumberIdInput!) { releasePhoneNumber(input: $input) { phoneNumber { status releasedAt } } }',
      { input: { id: first.rentPhoneNumber.phoneNumber.id } },
    );
    expect(released.releasePhoneNumber.phoneNumber.status).toBe('RELEASED');
    await c.data(RENT, { input: { number: searchPhoneNumbers[1].number, numberType: 'MOBILE' } });
    const { phoneNumbers } = await c.data<{ phoneNumbers: { totalCount: number } }>(
      '{ phoneNumbers { totalCount } }',
    );
    expect(phoneNumbers.totalCount).toBe(2);
  });

  it('rents in a regulated country only with an approved application (approved on submission here)', async () => {
    const c = clientFor(server, org.key);
    const { searchPhoneNumbers } = await c.data<{
      searchPhoneNumbers: Array<{ number: string; complianceRequired: boolean }>;
    }>('{ searchPhoneNumbers(country: "DE", numberType: LOCAL, first: 1) { number complianceRequired } }');
    expect(searchPhoneNumbers[0].complianceRequired).toBe(true);
    const refused = await c.call(RENT, {
      input: { number: searchPhoneNumbers[0].number, numberType: 'LOCAL' },
    });
    expect(refused.body.errors?.[0].extensions).toMatchObject({
      code: 'COMPLIANCE_INFO_REQUIRED',
      country: 'DE',
      numberType: 'LOCAL',
      applicationId: null,
    });
    expect(refused.body.errors?.[0].extensions?.missing).toEqual(
      expect.arrayContaining(['addressLine', 'document:PROOF_OF_ADDRESS']),
    );
  });

  it('keeps numbers, applications and calls to their organisation', async () => {
    const { placeCall } = await clientFor(server, org.key).data<{ placeCall: { call: CallView } }>(PLACE, {
      input: { to: '+14155550144', fromNumberId, userPhone: '+14155550199' },
    });
    const intruder = clientFor(server, (await seed(server).org('Intruder Co')).key);
    const seen = await intruder.call<{ phoneNumber: unknown }>(
      'query($id: ID!) { phoneNumber(id: $id) { id } }',
      {
        id: fromNumberId,
      },
    );
    expect(errorOf(seen)).toMatchObject({ code: 'NOT_FOUND' });
    const { phoneNumbers } = await intruder.data<{ phoneNumbers: { totalCount: number } }>(
      '{ phoneNumbers { totalCount } }',
    );
    expect(phoneNumbers.totalCount).toBe(0);
    const released = await intruder.call(
      'mutation($input: PhoneNumberIdInput!) { releasePhoneNumber(input: $input) { phoneNumber { id } } }',
      { input: { id: fromNumberId } },
    );
    expect(errorOf(released)).toMatchObject({ code: 'NOT_FOUND' });
    const dialled = await intruder.call(PLACE, {
      input: { to: '+14155550145', fromNumberId, userPhone: '+14155550199' },
    });
    expect(errorOf(dialled)).toMatchObject({ code: 'NOT_FOUND' });
    const hungUp = await intruder.call(
      'mutation($input: CallIdInput!) { hangupCall(input: $input) { call { id } } }',
      { input: { id: placeCall.call.id } },
    );
    expect(errorOf(hungUp)).toMatchObject({ code: 'NOT_FOUND' });
    const rows = await server.db('select status from phone_number where id = $1', [pkOf(fromNumberId)]);
    expect(rows[0].status).toBe('ACTIVE');
  });
});

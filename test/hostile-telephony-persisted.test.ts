import { startServer, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';

/**
 * Hostile input to the telephony and persisted-query surfaces: every refusal is a typed 4xx answer
 * (BAD_USER_INPUT, NOT_FOUND, BAD_REQUEST, 413), never an internal error or a 5xx.
 */

const big = 'x'.repeat(200_000);
const RENT = 'mutation($i: RentPhoneNumberInput!) { rentPhoneNumber(input: $i) { phoneNumber { id } } }';
const PLACE = 'mutation($i: PlaceCallInput!) { placeCall(input: $i) { call { id } } }';
const REGISTER =
  'mutation($i: RegisterPersistedDocumentsInput!) { registerPersistedDocuments(input: $i) { registered } }';

const GRAPHQL_CASES: Array<[name: string, query: string, variables: Record<string, unknown>, code: string]> =
  [
    ['a country that is not one', '{ searchPhoneNumbers(country: "💥") { number } }', {}, 'BAD_USER_INPUT'],
    [
      'a pattern too long',
      '{ searchPhoneNumbers(country: "US", pattern: "1234567890123") { number } }',
      {},
      'BAD_USER_INPUT',
    ],
    [
      'too many results',
      '{ searchPhoneNumbers(country: "US", first: 100000) { number } }',
      {},
      'BAD_USER_INPUT',
    ],
    [
      'a 200 kB country',
      'query($c: String!) { searchPhoneNumbers(country: $c) { number } }',
      { c: big },
      'BAD_USER_INPUT',
    ],
    ['a 200 kB number to rent', RENT, { i: { number: big, numberType: 'LOCAL' } }, 'BAD_USER_INPUT'],
    ['a number of no country', RENT, { i: { number: '+999999', numberType: 'LOCAL' } }, 'BAD_USER_INPUT'],
    [
      '200 kB numbers to call',
      PLACE,
      { i: { to: big, fromNumberId: 'x', userPhone: big } },
      'BAD_USER_INPUT',
    ],
    [
      'a from number of no organisation',
      PLACE,
      { i: { to: '+14155550100', fromNumberId: 'UGhvbmVOdW1iZXI6eA', userPhone: '+14155550101' } },
      'BAD_USER_INPUT',
    ],
    [
      'both a contact and a number',
      PLACE,
      { i: { contactId: 'x', to: '1', fromNumberId: 'x', userPhone: '2' } },
      'BAD_USER_INPUT',
    ],
    [
      'hanging up no call',
      'mutation($i: CallIdInput!) { hangupCall(input: $i) { call { id } } }',
      { i: { id: 'zzz' } },
      'BAD_USER_INPUT',
    ],
    [
      'a 200 kB country in an application',
      'mutation($i: CreateComplianceApplicationInput!) { createComplianceApplication(input: $i) { complianceApplication { id } } }',
      { i: { country: big, numberType: 'LOCAL', endUserType: 'BUSINESS' } },
      'BAD_USER_INPUT',
    ],
    [
      'a document that is not base64',
      'mutation($i: AddComplianceDocumentInput!) { addComplianceDocument(input: $i) { complianceApplication { id } } }',
      {
        i: {
          applicationId: 'x',
          type: 'PROOF_OF_ADDRESS',
          fileName: 'a',
          contentType: 'application/pdf',
          contentBase64: '!!',
        },
      },
      'BAD_USER_INPUT',
    ],
    ['a manifest of numbers', REGISTER, { i: { clientName: 'x', manifest: { a: 1 } } }, 'BAD_USER_INPUT'],
    ['a 200 kB client name', REGISTER, { i: { clientName: big, manifest: {} } }, 'BAD_USER_INPUT'],
    [
      'a manifest of 600 documents',
      REGISTER,
      {
        i: {
          clientName: 'ok',
          manifest: Object.fromEntries(Array.from({ length: 600 }, (_, k) => [String(k), 'q'])),
        },
      },
      'BAD_USER_INPUT',
    ],
    [
      'a hash that is not the document’s',
      REGISTER,
      { i: { clientName: 'ok', manifest: { ['a'.repeat(64)]: '{ __typename }' } } },
      'BAD_USER_INPUT',
    ],
  ];

const BODIES: Array<[name: string, body: Record<string, unknown>]> = [
  ['a documentId and a query', { documentId: `sha256:${'f'.repeat(64)}`, query: '{ __typename }' }],
  ['a documentId that is a number', { documentId: 5 }],
  ['an APQ hash that is a number', { extensions: { persistedQuery: { version: 1, sha256Hash: 5 } } }],
  ['an APQ version 2', { extensions: { persistedQuery: { version: 2, sha256Hash: 'a'.repeat(64) } } }],
  ['an APQ extension that is a string', { extensions: { persistedQuery: 'x' } }],
];

describe('hostile input to telephony and persisted queries', () => {
  let server: TestServer;
  let org: SeededOrg;
  beforeAll(async () => {
    server = await startServer();
    org = await seed(server).org('Hostile Telephony Co');
  });
  afterAll(() => server.close());

  it.each(GRAPHQL_CASES)('answers %s with a typed error', async (_name, query, variables, code) => {
    const res = await server.gql(query, variables, org.key);
    expect(res.status).toBeLessThan(500);
    expect(res.body.errors?.[0]?.extensions?.code).toBe(code);
  });

  it.each(BODIES)('answers %s with 400 BAD_REQUEST', async (_name, body) => {
    const res = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${org.key}` },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    const json = (await res.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(json.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it.each(['/webhooks/plivo/calls/x', '/webhooks/plivo/calls/x/answer'])(
    'answers oversized and over-long callbacks to %s with 413',
    async (path) => {
      const many = await fetch(`${server.origin}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-plivo-signature-v3': 'a',
          'x-plivo-signature-v3-nonce': 'b',
        },
        body: 'c=1&'.repeat(300),
      });
      expect(many.status).toBe(413);
      const large = await fetch(`${server.origin}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `a=${'x'.repeat(200_000)}`,
      });
      expect(large.status).toBe(413);
    },
  );
});

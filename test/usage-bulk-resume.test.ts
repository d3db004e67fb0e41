import { startServer, TEST_PLAN, type GraphQLResponse, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';
import { dataOf, pkOf } from './support/graphql';
import { insertPlan, limitErrorOf } from './support/usage';

/**
 * CONTRACT §5, partial execution: a bulk write larger than the plan's records-per-call commits
 * what fits and returns processed/failed/remaining/resumeCursor with a USAGE_LIMIT_EXCEEDED error
 * beside the data; resuming with the cursor until it is null gives exactly what one call gives.
 */

interface BulkItem {
  index: number;
  status: 'CREATED' | 'UPDATED' | 'FAILED';
  error: { code: string; field: string | null } | null;
}
interface BulkPayload {
  processed: number;
  failed: number;
  remaining: number;
  resumeCursor: string | null;
  createdCount: number;
  updatedCount: number;
  failedCount: number;
  results: BulkItem[];
}

const PAYLOAD = `processed failed remaining resumeCursor createdCount updatedCount failedCount
  results { index status error { code field } }`;
const UPSERT = `mutation($input: UpsertContactsInput!) { upsertContacts(input: $input) { ${PAYLOAD} } }`;
const CREATE = `mutation($input: CreateContactsInput!) { createContacts(input: $input) { ${PAYLOAD} } }`;

const RECORDS_PER_CALL = 10;

/** Existing contacts, the same in every organisation of this file. */
const EXISTING = Array.from({ length: 4 }, (_, i) => ({
  firstName: `Existing${i}`,
  lastName: 'Person',
  emails: [`existing${i}@shared.test`],
  tags: ['old'],
  jobTitle: `Title ${i}`,
}));

/**
 * 25 items: updates of existing contacts (by email, in another letter case), new contacts,
 * and invalid items, some of them duplicates of an item in an earlier chunk of 10.
 */
const ITEMS: Record<string, unknown>[] = Array.from({ length: 25 }, (_, i) => ({
  firstName: `New${i}`,
  lastName: 'Imported',
  emails: [`new${i}@shared.test`],
  tags: ['imported', `batch${Math.floor(i / 10)}`],
}));
ITEMS[1] = { firstName: 'Renamed0', emails: ['EXISTING0@Shared.Test'], tags: ['vip'] };
ITEMS[9] = { jobTitle: 'Chief', emails: ['Existing1@shared.test'], phones: ['+14155550101'] };
ITEMS[12] = { lastName: 'Updated', emails: ['existing2@SHARED.test'], lifecycleStage: 'CUSTOMER' };
ITEMS[20] = { firstName: 'Renamed3', emails: ['existing3@shared.test'], tags: [] };
ITEMS[4] = { firstName: 'Bad email', emails: ['not-an-email'] };
ITEMS[11] = { firstName: 'No email' }; // upsert matches on the first email: required
ITEMS[15] = { firstName: 'Bad phone', emails: ['badphone@shared.test'], phones: ['12345'] };
ITEMS[17] = { firstName: 'Again', emails: ['NEW3@shared.test'] }; // repeats item 3 (first chunk)
ITEMS[22] = { firstName: 'Twice', emails: ['existing0@shared.test'] }; // repeats item 1 (first chunk)

describe('bulk writes stop at the plan’s records per call and resume exactly', () => {
  let server: TestServer;
  let limited: SeededOrg;
  let unlimited: SeededOrg;

  /** What a client sees of an organisation’s contacts (no ids or timestamps), in a stable order. */
  const rowsOf = async (org: SeededOrg) =>
    server.db(
      `select first_name, last_name, emails, phones, tags, job_title, lifecycle_stage, email_status,
              custom_fields, deleted_at is not null as deleted
         from contact where organization_id = $1
        order by emails[1] nulls first, first_name, last_name`,
      [pkOf(org.organizationId)],
    );

  const bulk = (org: SeededOrg, query: string, contacts: Record<string, unknown>[], resumeCursor?: string) =>
    server.gql<Record<string, BulkPayload>>(query, { input: { contacts, resumeCursor } }, org.key);

  beforeAll(async () => {
    server = await startServer();
    await insertPlan(server, 'RPC10', { recordsPerCall: RECORDS_PER_CALL });
    const existing = { extra: (i: number) => EXISTING[i] };
    limited = await seed(server).org('Limited').onPlan('RPC10').withContacts(EXISTING.length, existing);
    unlimited = await seed(server).org('Unlimited').onPlan(TEST_PLAN).withContacts(EXISTING.length, existing);
  });
  afterAll(() => server.close());

  it('both organisations start with the same contacts', async () => {
    expect(await rowsOf(limited)).toEqual(await rowsOf(unlimited));
    expect(await rowsOf(limited)).toHaveLength(EXISTING.length);
  });

  describe('upsertContacts of 25 items with 10 records per call', () => {
    const chunks: { res: GraphQLResponse<unknown>; payload: BulkPayload; errors: unknown[] }[] = [];
    let rowsAfterFirst: Record<string, unknown>[] = [];
    let single: BulkPayload;

    beforeAll(async () => {
      let cursor: string | undefined;
      for (let call = 0; call < 5; call++) {
        const res = await bulk(limited, UPSERT, ITEMS, cursor);
        const payload = res.body.data?.upsertContacts;
        if (!payload) throw new Error(JSON.stringify(res.body.errors));
        chunks.push({ res, payload, errors: res.body.errors ?? [] });
        if (call === 0) rowsAfterFirst = await rowsOf(limited);
        if (!payload.resumeCursor) break;
        cursor = payload.resumeCursor;
      }
      single = dataOf(await bulk(unlimited, UPSERT, ITEMS)).upsertContacts;
    });

    it('the first call handles 10 items and reports 15 remaining, a cursor and USAGE_LIMIT_EXCEEDED beside the data', () => {
      const [first] = chunks;
      expect(first.res.status).toBe(200);
      expect(first.payload).toMatchObject({ processed: 10, remaining: 15, resumeCursor: expect.any(String) });
      expect(first.payload.results.map((r) => r.index)).toEqual([...Array(10).keys()]);
      expect(first.payload.failed).toBe(1); // item 4
      expect(first.errors).toHaveLength(1);
      expect(limitErrorOf(first.res)).toMatchObject({
        code: 'USAGE_LIMIT_EXCEEDED',
        limit: RECORDS_PER_CALL,
        processed: 10,
        remaining: 15,
        resumeCursor: first.payload.resumeCursor,
      });
    });

    it('the first call committed exactly its 10 items (2 updates, 7 new contacts), nothing of the rest', () => {
      expect(rowsAfterFirst).toHaveLength(EXISTING.length + 7);
      const emails = rowsAfterFirst.map((r) => (r.emails as string[])[0]);
      expect(emails).toContain('new8@shared.test');
      expect(emails).not.toContain('new10@shared.test');
    });

    it('resuming until the cursor is null takes three calls of 10, 10 and 5 items', () => {
      expect(chunks.map((c) => [c.payload.processed, c.payload.remaining])).toEqual([
        [10, 15],
        [10, 5],
        [5, 0],
      ]);
      expect(chunks[1].errors).toHaveLength(1);
      expect(chunks[2].payload.resumeCursor).toBeNull();
      expect(chunks[2].errors).toEqual([]);
    });

    it('one call on the TEST plan handles all 25 items without an error', () => {
      expect(single).toMatchObject({ processed: 25, remaining: 0, resumeCursor: null });
    });

    it('the items earn the same status and error in parts as in one call', () => {
      const parts = chunks.flatMap((c) => c.payload.results);
      expect(parts).toEqual(single.results);
      const counts = (k: 'createdCount' | 'updatedCount' | 'failedCount' | 'failed') =>
        chunks.reduce((n, c) => n + c.payload[k], 0);
      expect({
        created: counts('createdCount'),
        updated: counts('updatedCount'),
        failed: counts('failedCount'),
      }).toEqual({ created: single.createdCount, updated: single.updatedCount, failed: single.failedCount });
      expect(counts('failed')).toBe(single.failed);
      expect(
        single.results.filter((r) => r.status === 'FAILED').map((r) => [r.index, r.error?.code]),
      ).toEqual([
        [4, 'BAD_USER_INPUT'],
        [11, 'BAD_USER_INPUT'],
        [15, 'BAD_USER_INPUT'],
        [17, 'CONFLICT'],
        [22, 'CONFLICT'],
      ]);
    });

    it('and leave exactly the same contacts', async () => {
      const rows = await rowsOf(limited);
      expect(rows).toEqual(await rowsOf(unlimited));
      expect(rows).toHaveLength(EXISTING.length + 16);
    });
  });

  it('a cursor sent with a different list is BAD_USER_INPUT and writes nothing', async () => {
    const org = await seed(server).org('Cursor misuse').onPlan('RPC10');
    const list = Array.from({ length: 12 }, (_, i) => ({
      firstName: `C${i}`,
      emails: [`c${i}@misuse.test`],
    }));
    const first = (await bulk(org, UPSERT, list)).body.data?.upsertContacts;
    expect(first).toMatchObject({ processed: 10, remaining: 2 });
    const cursor = first?.resumeCursor ?? '';
    const before = await rowsOf(org);
    for (const [what, contacts, c] of [
      [
        'another list',
        [...list.slice(0, 11), { firstName: 'Changed', emails: ['changed@misuse.test'] }],
        cursor,
      ],
      ['a shorter list', list.slice(0, 5), cursor],
      ['a forged cursor', list, Buffer.from(JSON.stringify([3, 'nope'])).toString('base64url')],
      ['garbage', list, 'not a cursor'],
    ] as const) {
      const res = await bulk(org, UPSERT, [...contacts], c);
      expect([what, limitErrorOf(res).code, limitErrorOf(res).field]).toEqual([
        what,
        'BAD_USER_INPUT',
        'input.resumeCursor',
      ]);
    }
    expect(await rowsOf(org)).toEqual(before);
    const rest = dataOf(await bulk(org, UPSERT, list, cursor)).upsertContacts;
    expect(rest).toMatchObject({ processed: 2, remaining: 0, resumeCursor: null });
    expect(await rowsOf(org)).toHaveLength(12);
  });

  it('createContacts stops at records per call and resumes the same way', async () => {
    const org = await seed(server).org('Creator').onPlan('RPC10');
    const list = Array.from({ length: 23 }, (_, i) => ({ firstName: `K${i}`, lastName: 'Created' }));
    const seen: [number, number][] = [];
    let cursor: string | undefined;
    for (let call = 0; call < 5; call++) {
      const res = await bulk(org, CREATE, list, cursor);
      const payload = res.body.data?.createContacts;
      if (!payload) throw new Error(JSON.stringify(res.body.errors));
      seen.push([payload.processed, payload.remaining]);
      expect((res.body.errors ?? []).map((e) => e.extensions?.code)).toEqual(
        payload.resumeCursor ? ['USAGE_LIMIT_EXCEEDED'] : [],
      );
      if (!payload.resumeCursor) break;
      cursor = payload.resumeCursor;
    }
    expect(seen).toEqual([
      [10, 13],
      [10, 3],
      [3, 0],
    ]);
    const names = (await rowsOf(org)).map((r) => r.first_name).sort();
    expect(names).toEqual(list.map((c) => c.firstName).sort());
  });

  it('an email that an earlier part gave to a contact matches the same way in parts as in one call', async () => {
    // Item 2 updates an existing contact and adds a second address; item 13 (a later part) is
    // keyed on that address. Item 5 creates a contact with two addresses; item 16 is keyed on its second.
    const items: Record<string, unknown>[] = Array.from({ length: 20 }, (_, i) => ({
      firstName: `Item${i}`,
      emails: [`item${i}@addr.test`],
    }));
    items[2] = { firstName: 'Gains address', emails: ['existing0@shared.test', 'gained@addr.test'] };
    items[13] = { firstName: 'Keyed on gained', emails: ['gained@addr.test'] };
    items[5] = { firstName: 'Two addresses', emails: ['first5@addr.test', 'second5@addr.test'] };
    items[16] = { firstName: 'Keyed on second', emails: ['second5@addr.test'] };
    const existing = { extra: (i: number) => EXISTING[i] };
    const a = await seed(server).org('Parts').onPlan('RPC10').withContacts(EXISTING.length, existing);
    const b = await seed(server).org('Whole').onPlan(TEST_PLAN).withContacts(EXISTING.length, existing);
    const parts: BulkItem[] = [];
    let cursor: string | undefined;
    for (let call = 0; call < 4; call++) {
      const payload = (await bulk(a, UPSERT, items, cursor)).body.data?.upsertContacts;
      if (!payload) throw new Error('no payload');
      parts.push(...payload.results);
      if (!payload.resumeCursor) break;
      cursor = payload.resumeCursor;
    }
    const whole = dataOf(await bulk(b, UPSERT, items)).upsertContacts;
    expect(parts).toEqual(whole.results);
    expect(await rowsOf(a)).toEqual(await rowsOf(b));
  });
});

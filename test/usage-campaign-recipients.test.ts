import { startServer, type TestServer } from './support/server';
import { seed, type SeededOrg } from './support/seed';
import { insertPlan } from './support/usage';
import { pkOf } from './support/graphql';

const ADD = `mutation($input: AddCampaignRecipientsInput!) {
  addCampaignRecipients(input: $input) { added alreadyMembers processed failed remaining resumeCursor }
}`;

interface AddResult {
  addCampaignRecipients: {
    added: number;
    alreadyMembers: number;
    processed: number;
    failed: number;
    remaining: number;
    resumeCursor: string | null;
  };
}

/** CONTRACT §5: adding campaign recipients stops at records-per-call and resumes exactly. */
describe('addCampaignRecipients stops at the plan’s records per call', () => {
  let server: TestServer;
  let limited: SeededOrg;
  let unlimited: SeededOrg;

  async function campaignOf(org: SeededOrg): Promise<string> {
    const res = await server.gql<{ createCampaign: { campaign: { id: string } } }>(
      'mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }',
      { input: { name: 'Launch', subject: 'Hello', fromEmail: 'news@example.test', textBody: 'Hi' } },
      org.key,
    );
    if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data.createCampaign.campaign.id;
  }

  const members = async (campaignId: string) =>
    (
      await server.db(
        `select c.emails[1] as email from campaign_member m join contact c on c.id = m.contact_id
          where m.campaign_id = $1 order by 1`,
        [pkOf(campaignId)],
      )
    ).map((r) => String(r.email).split('@')[0]);

  beforeAll(async () => {
    server = await startServer();
    await insertPlan(server, 'REC3', { recordsPerCall: 3 });
    limited = await seed(server).org('Limited Sender').onPlan('REC3').withContacts(8);
    unlimited = await seed(server).org('Unlimited Sender').withContacts(8);
  });
  afterAll(() => server.close());

  it('adds 3 per call with a cursor and a USAGE_LIMIT_EXCEEDED error, until everything is added', async () => {
    const campaignId = await campaignOf(limited);
    const input = { campaignId, filter: { lastName: { startsWith: 'Last' } } };
    const first = await server.gql<AddResult>(ADD, { input }, limited.key);
    expect(first.status).toBe(200);
    expect(first.body.data?.addCampaignRecipients).toMatchObject({
      added: 3,
      processed: 3,
      failed: 0,
      remaining: 5,
    });
    expect(first.body.errors?.[0].extensions).toMatchObject({
      code: 'USAGE_LIMIT_EXCEEDED',
      dimension: 'RECORDS_PER_CALL',
      limit: 3,
      remaining: 5,
    });
    const second = await server.gql<AddResult>(
      ADD,
      { input: { ...input, resumeCursor: first.body.data?.addCampaignRecipients.resumeCursor } },
      limited.key,
    );
    expect(second.body.data?.addCampaignRecipients).toMatchObject({ added: 3, remaining: 2 });
    const third = await server.gql<AddResult>(
      ADD,
      { input: { ...input, resumeCursor: second.body.data?.addCampaignRecipients.resumeCursor } },
      limited.key,
    );
    expect(third.body.data?.addCampaignRecipients).toMatchObject({
      added: 2,
      remaining: 0,
      resumeCursor: null,
    });
    expect(third.body.errors).toBeUndefined();

    const otherCampaign = await campaignOf(unlimited);
    const once = await server.gql<AddResult>(
      ADD,
      { input: { ...input, campaignId: otherCampaign } },
      unlimited.key,
    );
    expect(once.body.data?.addCampaignRecipients).toMatchObject({
      added: 8,
      remaining: 0,
      resumeCursor: null,
    });
    // Same recipients (addresses differ only by organisation domain).
    expect(await members(campaignId)).toEqual(await members(otherCampaign));
  });

  it('refuses a cursor sent with a different input, adding nothing', async () => {
    const campaignId = await campaignOf(limited);
    const first = await server.gql<AddResult>(
      ADD,
      { input: { campaignId, filter: { lastName: { startsWith: 'Last' } } } },
      limited.key,
    );
    const cursor = first.body.data?.addCampaignRecipients.resumeCursor;
    expect(cursor).toBeTruthy();
    const before = await members(campaignId);
    const res = await server.gql<AddResult>(
      ADD,
      { input: { campaignId, filter: { lastName: { startsWith: 'La' } }, resumeCursor: cursor } },
      limited.key,
    );
    expect(res.body.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.resumeCursor',
    });
    expect(await members(campaignId)).toEqual(before);
  });
});

import { TEST_PLAN, type TestServer } from './server';

export interface SeededOrg {
  key: string;
  organizationId: string;
  /** The admin created at sign-up, then the members added by `withUsers`. */
  users: { id: string; email: string }[];
  companies: { id: string; name: string }[];
  contacts: { id: string; firstName: string | null; lastName: string | null }[];
  deals: { id: string; name: string }[];
}

type Step = (org: SeededOrg) => Promise<void>;

/** Fluent seeding through the public API: `await seed(server).org().withCompanies(3).withContacts(30)`. */
export class OrgBuilder implements PromiseLike<SeededOrg> {
  private readonly steps: Step[] = [];
  private plan = TEST_PLAN;

  /** Puts the organisation on a real plan (default: the unmetered TEST plan). */
  onPlan(plan: string): this {
    this.plan = plan;
    return this;
  }

  constructor(
    private readonly server: TestServer,
    private readonly name: string,
  ) {}

  /** Companies named `<prefix> 1..n`; `extra(i)` adds or overrides input fields. */
  withCompanies(
    n: number,
    prefix = 'Company',
    opts: { extra?: (i: number) => Record<string, unknown> } = {},
  ): this {
    this.steps.push(async (org) => {
      for (let i = 1; i <= n; i++) {
        const res = await this.server.gql<{ createCompany: { company: { id: string; name: string } } }>(
          'mutation($input: CreateCompanyInput!) { createCompany(input: $input) { company { id name } } }',
          { input: { name: `${prefix} ${i}`, ...(opts.extra?.(i) ?? {}) } },
          org.key,
        );
        if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
        org.companies.push(res.body.data.createCompany.company);
      }
    });
    return this;
  }

  /**
   * Contacts `First<i> Last<i>` with `c<i>@<org>.test`, spread over the seeded companies if `spread`;
   * `extra` adds or overrides input fields (it sees the org, e.g. to pick a company).
   */
  withContacts(
    n: number,
    opts: { spread?: boolean; extra?: (i: number, org: SeededOrg) => Record<string, unknown> } = {},
  ): this {
    this.steps.push(async (org) => {
      const slug = this.slug;
      const base = org.contacts.length;
      const batch = async (i: number) => {
        const input: Record<string, unknown> = {
          firstName: `First${base + i}`,
          lastName: `Last${base + i}`,
          emails: [`c${base + i}@${slug}.test`],
          ...(opts.spread && org.companies.length
            ? { companyId: org.companies[i % org.companies.length].id }
            : {}),
          ...(opts.extra?.(i, org) ?? {}),
        };
        const res = await this.server.gql<{ createContact: { contact: SeededOrg['contacts'][number] } }>(
          'mutation($input: CreateContactInput!) { createContact(input: $input) { contact { id firstName lastName } } }',
          { input },
          org.key,
        );
        if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
        return res.body.data.createContact.contact;
      };
      // Sequential so that createdAt order equals creation order.
      for (let i = 0; i < n; i++) org.contacts.push(await batch(i));
    });
    return this;
  }

  /** Members `User <k>` with `user<k>@<org>.test` (k counts from 1 across calls). */
  withUsers(n: number, opts: { role?: 'ADMIN' | 'MEMBER' } = {}): this {
    this.steps.push(async (org) => {
      for (let i = 0; i < n; i++) {
        const k = org.users.length;
        const res = await this.server.gql<{ createUser: { user: { id: string; email: string } } }>(
          'mutation($input: CreateUserInput!) { createUser(input: $input) { user { id email } } }',
          { input: { email: `user${k}@${this.slug}.test`, name: `User ${k}`, role: opts.role ?? 'MEMBER' } },
          org.key,
        );
        if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
        org.users.push(res.body.data.createUser.user);
      }
    });
    return this;
  }

  /**
   * Deals `Deal <i>` (i counts from 0 across calls) in the default pipeline's first stage;
   * `extra` adds or overrides input fields (it sees the org, e.g. to pick contacts).
   */
  withDeals(n: number, opts: { extra?: (i: number, org: SeededOrg) => Record<string, unknown> } = {}): this {
    this.steps.push(async (org) => {
      const base = org.deals.length;
      for (let i = 0; i < n; i++) {
        const res = await this.server.gql<{ createDeal: { deal: { id: string; name: string } } }>(
          'mutation($input: CreateDealInput!) { createDeal(input: $input) { deal { id name } } }',
          { input: { name: `Deal ${base + i}`, ...(opts.extra?.(i, org) ?? {}) } },
          org.key,
        );
        if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
        org.deals.push(res.body.data.createDeal.deal);
      }
    });
    return this;
  }

  private get slug(): string {
    return this.name.toLowerCase().replace(/[^a-z0-9]/g, '');
  }

  private async run(): Promise<SeededOrg> {
    const res = await this.server.gql<{
      signUp: { key: string; organization: { id: string }; user: { id: string; email: string } };
    }>(
      'mutation($input: SignUpInput!) { signUp(input: $input) { key organization { id } user { id email } } }',
      { input: { organizationName: this.name, email: `admin@${this.slug}.test` } },
    );
    if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
    const org: SeededOrg = {
      key: res.body.data.signUp.key,
      organizationId: res.body.data.signUp.organization.id,
      users: [res.body.data.signUp.user],
      companies: [],
      contacts: [],
      deals: [],
    };
    await this.server.setPlan(org.organizationId, this.plan);
    for (const step of this.steps) await step(org);
    return org;
  }

  then<A = SeededOrg, B = never>(
    onfulfilled?: ((value: SeededOrg) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): PromiseLike<A | B> {
    return this.run().then(onfulfilled, onrejected);
  }
}

let orgSeq = 0;

export function seed(server: TestServer) {
  return {
    org: (name?: string) => new OrgBuilder(server, name ?? `Org ${++orgSeq} ${process.pid}`),
  };
}

/** Mints a key for `org` with `scopes` through the public API (the admin key pays for it). */
export async function createApiKey(
  server: TestServer,
  adminKey: string,
  scopes: string[],
  name = `key ${scopes.join('+')}`,
  persistedOnly = false,
): Promise<{ key: string; id: string }> {
  const res = await server.gql<{ createApiKey: { key: string; apiKey: { id: string } } }>(
    'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id } } }',
    { input: { name, scopes, persistedOnly } },
    adminKey,
  );
  if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
  return { key: res.body.data.createApiKey.key, id: res.body.data.createApiKey.apiKey.id };
}

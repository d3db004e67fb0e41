import type { TestServer } from './server';

export interface SeededOrg {
  key: string;
  organizationId: string;
  companies: { id: string; name: string }[];
  contacts: { id: string; firstName: string | null; lastName: string | null }[];
}

type Step = (org: SeededOrg) => Promise<void>;

/** Fluent seeding through the public API: `await seed(server).org().withCompanies(3).withContacts(30)`. */
export class OrgBuilder implements PromiseLike<SeededOrg> {
  private readonly steps: Step[] = [];

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
      const slug = this.name.toLowerCase().replace(/[^a-z0-9]/g, '');
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

  private async run(): Promise<SeededOrg> {
    const res = await this.server.gql<{ signUp: { key: string; organization: { id: string } } }>(
      'mutation($input: SignUpInput!) { signUp(input: $input) { key organization { id } } }',
      {
        input: {
          organizationName: this.name,
          email: `admin@${this.name.toLowerCase().replace(/[^a-z0-9]/g, '')}.test`,
        },
      },
    );
    if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
    const org: SeededOrg = {
      key: res.body.data.signUp.key,
      organizationId: res.body.data.signUp.organization.id,
      companies: [],
      contacts: [],
    };
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
): Promise<{ key: string; id: string }> {
  const res = await server.gql<{ createApiKey: { key: string; apiKey: { id: string } } }>(
    'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id } } }',
    { input: { name, scopes } },
    adminKey,
  );
  if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
  return { key: res.body.data.createApiKey.key, id: res.body.data.createApiKey.apiKey.id };
}

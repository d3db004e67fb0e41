import pg from 'pg';

export const BENCH_DATABASE = 'workpex_bench';
const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The server to use: DATABASE_URL's if set, else the local one; `admin` for CREATE DATABASE, `bench` for the rest. */
export function benchUrls(env: NodeJS.ProcessEnv = process.env): {
  admin: string;
  bench: string;
  shown: string;
} {
  const base = new URL(env.DATABASE_URL || DEFAULT_SERVER);
  const admin = new URL(base.href);
  admin.pathname = '/postgres';
  const bench = new URL(base.href);
  bench.pathname = `/${BENCH_DATABASE}`;
  const shown = `${base.hostname}:${base.port || 5432}${env.DATABASE_URL ? ' (from DATABASE_URL)' : ''}`;
  return { admin: admin.href, bench: bench.href, shown };
}

export class UnreachableError extends Error {}

/** Drops and recreates the bench database; throws UnreachableError if the server cannot be reached. */
export async function recreateDatabase(adminUrl: string, shown: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (err) {
    throw new UnreachableError(
      `Cannot reach PostgreSQL at ${shown}: ${(err as Error).message}\n` +
        'Start PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) or set DATABASE_URL to a server ' +
        `where the role may CREATE DATABASE (the benchmark drops and recreates "${BENCH_DATABASE}" there).`,
    );
  }
  try {
    await client.query(`drop database if exists ${BENCH_DATABASE} with (force)`);
    await client.query(`create database ${BENCH_DATABASE}`);
  } finally {
    await client.end();
  }
}

export interface Dataset {
  organizationId: string;
  companies: number;
  contacts: number;
  deals: number;
  /** Deals of each of the first 20 companies (by created_at). */
  dealsOfFirstCompanies: number;
  seedMs: number;
}

/**
 * Seeds the organisation created by signUp with plain SQL: 1,000 companies one minute apart,
 * 10 contacts each, 5,000 deals in the default pipeline's first stage (14 for each of the first
 * 100 companies, 4 for each of the others), then moves the organisation to a BENCH plan whose
 * limits never refuse the load (ENTERPRISE otherwise), and VACUUM ANALYZEs.
 */
export async function seed(benchUrl: string, organizationName: string): Promise<Dataset> {
  const started = Date.now();
  const client = new pg.Client({ connectionString: benchUrl });
  await client.connect();
  try {
    const org = await client.query<{ id: string }>('select id from organization where name = $1', [
      organizationName,
    ]);
    if (org.rows.length !== 1) throw new Error(`signUp did not create the organisation ${organizationName}`);
    const organizationId = org.rows[0].id;
    const stage = await client.query<{ id: string; pipeline_id: string }>(
      `select s.id, s.pipeline_id from stage s join pipeline p on p.id = s.pipeline_id
        where p.organization_id = $1 and p.is_default and p.deleted_at is null
        order by s.position limit 1`,
      [organizationId],
    );
    if (stage.rows.length !== 1) throw new Error('The organisation has no default pipeline with stages');

    await client.query('begin');
    await client.query(
      `insert into plan (code, name, max_cost, bucket_size, restore_rate, api_calls_per_day, records_per_call,
                         bandwidth_per_day, requests_per_second, concurrent_requests, emails_per_day, calls_per_day,
                         phone_numbers, max_depth, max_aliases, max_root_fields, max_subscriptions, partner_access)
       select 'BENCH', 'Bench (ENTERPRISE without throttling)', max_cost, 1000000000, 100000000, 1000000000000000,
              records_per_call, 1000000000000000000, 1000000000, 100000, emails_per_day, calls_per_day,
              phone_numbers, max_depth, max_aliases, max_root_fields, max_subscriptions, partner_access
         from plan where code = 'ENTERPRISE'`,
    );
    await client.query(`update organization set plan = 'BENCH' where id = $1`, [organizationId]);
    const t0 = '2026-01-01T00:00:00Z';
    await client.query(
      `insert into company (id, organization_id, name, domain, industry, employees, phone, owner_id, tags,
                            custom_fields, created_at, updated_at)
       select gen_random_uuid(), $1, 'Company ' || lpad(i::text, 4, '0'), 'company' || i || '.example',
              (array['Software', 'Retail', 'Finance', 'Health'])[1 + i % 4], 10 + i % 500,
              '+1555' || lpad(i::text, 7, '0'), null, array['bench'], '{}'::jsonb,
              $2::timestamptz + i * interval '1 minute', $2::timestamptz + i * interval '1 minute'
         from generate_series(1, 1000) i`,
      [organizationId, t0],
    );
    const numbered = `select id, created_at, row_number() over (order by created_at, id) as n
                        from company where organization_id = $1`;
    await client.query(
      `insert into contact (id, organization_id, first_name, last_name, emails, phones, job_title, company_id,
                            owner_id, lifecycle_stage, email_status, tags, custom_fields, created_at, updated_at)
       select gen_random_uuid(), $1, 'First' || c.n || '_' || j, 'Last' || c.n || '_' || j,
              array['contact' || j || '@company' || c.n || '.example'], array['+1666' || lpad((c.n * 10 + j)::text, 7, '0')],
              'Buyer', c.id, null, 'LEAD', 'SUBSCRIBED', '{}', '{}'::jsonb,
              c.created_at + j * interval '1 second', c.created_at + j * interval '1 second'
         from (${numbered}) c cross join generate_series(1, 10) j`,
      [organizationId],
    );
    await client.query(
      `insert into deal (id, organization_id, name, amount, currency, pipeline_id, stage_id, company_id, owner_id,
                         expected_close_date, closed_at, tags, created_at, updated_at)
       select gen_random_uuid(), $1, 'Deal ' || c.n || '-' || j, ((c.n * 37 + j * 101) % 100000 + 500)::numeric + 0.25,
              'USD', $3, $2, c.id, null, null, null, '{}', c.created_at + j * interval '1 second',
              c.created_at + j * interval '1 second'
         from (${numbered}) c cross join lateral generate_series(1, case when c.n <= 100 then 14 else 4 end) j`,
      [organizationId, stage.rows[0].id, stage.rows[0].pipeline_id],
    );
    await client.query('commit');
    await client.query('vacuum analyze');

    const counts = await client.query<{ companies: number; contacts: number; deals: number; first: number }>(
      `select (select count(*)::int from company where organization_id = $1) as companies,
              (select count(*)::int from contact where organization_id = $1) as contacts,
              (select count(*)::int from deal where organization_id = $1) as deals,
              (select min(n)::int from (select (select count(*) from deal d where d.company_id = c.id) as n
                 from company c where c.organization_id = $1 order by c.created_at, c.id limit 20) f) as first`,
      [organizationId],
    );
    const c = counts.rows[0];
    return {
      organizationId,
      companies: c.companies,
      contacts: c.contacts,
      deals: c.deals,
      dealsOfFirstCompanies: c.first,
      seedMs: Date.now() - started,
    };
  } finally {
    await client.end();
  }
}

/**
 * Version string of the server, and its postmaster's pid when it runs on this machine (found
 * through this connection's backend, whose parent it is, while the connection is open).
 */
export async function serverInfo(
  benchUrl: string,
  postmasterOf: (backendPid: number) => number | null,
): Promise<{ version: string; postmaster: number | null }> {
  const client = new pg.Client({ connectionString: benchUrl });
  await client.connect();
  try {
    const r = await client.query<{ version: string; pid: number }>(
      `select current_setting('server_version') as version, pg_backend_pid() as pid`,
    );
    return { version: r.rows[0].version, postmaster: postmasterOf(r.rows[0].pid) };
  } finally {
    await client.end();
  }
}

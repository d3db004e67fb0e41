import { isIP } from 'node:net';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

const PROXY_SUBNET_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (PROXY_SUBNET_NAMES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length || !isIP(address)) return false;
  return (
    prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (isIP(address) === 4 ? 32 : 128))
  );
}

/**
 * Express's `trust proxy` setting: `false` (X-Forwarded-For ignored), `true` (trust every hop),
 * a hop count, or a comma-separated list of proxy addresses, CIDR subnets or the names
 * `loopback`, `linklocal`, `uniquelocal`.
 */
const trustProxy = z
  .string()
  .trim()
  .default('false')
  .transform((v, ctx): boolean | number | string[] => {
    if (v === 'false') return false;
    if (v === 'true') return true;
    if (/^\d+$/.test(v)) return Number(v);
    const entries = v.split(',').map((e) => e.trim());
    const bad = entries.filter((e) => !isProxyAddress(e));
    if (bad.length) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `must be false, true, a hop count or a list of proxy addresses/subnets; not ${bad.join(', ')}`,
      });
      return z.NEVER;
    }
    return entries;
  });

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .url()
    .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL')
    .optional(),
  WORKPEX_DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDED_PG_PORT: port.default(54329),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: z.string().url().optional(),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_000_000),
  SIGNUP_LIMIT_PER_HOUR: z.coerce.number().int().min(1).default(20),
  API_KEY_CACHE_SECONDS: z.coerce.number().min(0).max(300).default(5),
  /** off only to measure the metering overhead (bench/): no limits, no extensions.cost. */
  /** Events between instances go through Redis pub/sub when set, else PostgreSQL LISTEN/NOTIFY. */
  REDIS_URL: z
    .string()
    .url()
    .refine((v) => /^rediss?:\/\//.test(v), 'must be a redis:// or rediss:// URL')
    .optional(),
  USAGE_METERING: z.enum(['on', 'off']).default('on'),
  /** Email through Mailgun (CONTRACT §12): without a key, messages go to the local outbox. */
  MAILGUN_API_KEY: z.string().min(1).optional(),
  MAILGUN_DOMAIN: z.string().min(1).default('mg.workpex.local'),
  MAILGUN_WEBHOOK_SIGNING_KEY: z.string().min(1).optional(),
  MAILGUN_URL: z.string().url().default('https://api.mailgun.net'),
  /** Automatic persisted queries kept in PostgreSQL (shared by every instance); the least recently used go first. */
  APQ_MAX_DOCUMENTS: z.coerce.number().int().min(10).max(10_000_000).default(10_000),
  /** Telephony through Plivo (CONTRACT §12): without both, numbers and calls are simulated. */
  PLIVO_AUTH_ID: z.string().min(1).optional(),
  PLIVO_AUTH_TOKEN: z.string().min(1).optional(),
  /** Base of Plivo's non-voice APIs (numbers, compliance); the SDK fixes the voice host itself. */
  PLIVO_URL: z.string().url().default('https://api.plivo.com'),
  /** How long a simulated call talks before it hangs up (ms), when Plivo is not configured. */
  SIMULATED_CALL_MS: z.coerce.number().int().min(0).max(600_000).default(4000),
  /** Bounce policy (CONTRACT §7): rolling window, minimum sample and the rates that restrict sending. */
  EMAIL_BOUNCE_WINDOW_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  EMAIL_BOUNCE_MIN_SENDS: z.coerce.number().int().min(1).default(100),
  EMAIL_HARD_BOUNCE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.05),
  EMAIL_COMPLAINT_THRESHOLD: z.coerce.number().min(0).max(1).default(0.001),
  /** How long a send claim may stay without an outcome before another worker reconciles it (a dead process). */
  EMAIL_STALE_CLAIM_MS: z.coerce.number().int().min(100).default(30_000),
  /** How often the send worker looks for work when nothing woke it (ms). */
  EMAIL_POLL_MS: z.coerce.number().int().min(10).default(1000),
  /**
   * How queries over record types run: `compiled` (one SQL statement per root field, graphql-js
   * for what has no SQL form), `graphql` (graphql-js only), or `verify` (compiled, then checked
   * against graphql-js; a difference is an error — the test suite runs so).
   */
  READ_PATH: z.enum(['compiled', 'graphql', 'verify']).default('compiled'),
  /** How often each instance runs the billing period-end job (renewals, downgrades, ends), in ms. */
  BILLING_TICK_MS: z.coerce.number().int().min(50).max(86_400_000).default(60_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /** PostgreSQL cancels any statement (lock waits included) running longer than this, on every pool. */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1).default(5000),
  TRUST_PROXY: trustProxy,
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment once; every problem is reported together, not the first only. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const relevant = Object.fromEntries(
    Object.keys(schema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = schema.safeParse(relevant);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  problems.push(...crossChecks(relevant));
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  return parsed.data;
}

/** Rules across variables, listed with the others. */
function crossChecks(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if ((env.PLIVO_AUTH_ID === undefined) !== (env.PLIVO_AUTH_TOKEN === undefined)) {
    problems.push('PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN: set both (Plivo) or neither (simulated calls).');
  }
  if (env.PLIVO_AUTH_ID !== undefined && env.PUBLIC_URL === undefined) {
    problems.push(
      "PUBLIC_URL: required with PLIVO_AUTH_ID (Plivo's answer and status callbacks are built from it).",
    );
  }
  return problems;
}

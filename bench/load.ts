import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { checkResponse } from './queries.js';

export interface Target {
  port: number;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface Reply {
  status: number;
  text: string;
}

/** One request on `agent`; network errors reject. */
export function send(agent: http.Agent, target: Target, timeoutMs = 10_000): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: '127.0.0.1',
        port: target.port,
        path: target.path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'content-length': Buffer.byteLength(target.body),
          ...target.headers,
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(target.body);
  });
}

export interface LoadOptions {
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Called when the measured window opens and when it closes, while the load is still running. */
  snapshot: () => Promise<void>;
}

export interface LoadResult {
  /** Length of the measured window, in seconds. */
  seconds: number;
  /** Complete, correct responses started and finished inside the window. */
  ok: number;
  /** Wrong status, missing data, GraphQL errors or network errors inside the window. */
  errors: number;
  /** The same over the whole run, warm-up included. */
  errorsTotal: number;
  errorSamples: string[];
  /** Latencies (ms) of the window's correct responses, sorted. */
  latencies: number[];
  /** Mean response size in bytes. */
  bytes: number;
  /** Correct responses completed between the two snapshots (for per-request ratios). */
  betweenSnapshots: number;
}

/**
 * Closed-loop load: `concurrency` workers on keep-alive connections, each sending the next
 * request when the previous answer is in. Runs warm-up + duration; measures the second part.
 */
export async function runLoad(target: Target, opts: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let errorsTotal = 0;
  let ok = 0;
  let bytes = 0;
  let completed = 0;
  let windowStart = Infinity;
  let windowEnd = Infinity;
  let stop = false;

  const worker = async () => {
    while (!stop) {
      const start = performance.now();
      let problem: string | null;
      let size = 0;
      try {
        const reply = await send(agent, target);
        problem = checkResponse(reply.status, reply.text);
        size = Buffer.byteLength(reply.text);
      } catch (err) {
        problem = `network: ${(err as Error).message}`;
        await new Promise((r) => setTimeout(r, 10));
      }
      const end = performance.now();
      if (problem) {
        errorsTotal += 1;
        if (errorSamples.length < 5) errorSamples.push(problem);
      } else {
        completed += 1;
      }
      if (start >= windowStart && end <= windowEnd) {
        if (problem) {
          errors += 1;
        } else {
          ok += 1;
          bytes += size;
          latencies.push(end - start);
        }
      }
    }
  };

  const workers = Array.from({ length: opts.concurrency }, worker);
  await new Promise((r) => setTimeout(r, opts.warmupMs));
  windowStart = performance.now();
  await opts.snapshot();
  const completedAtStart = completed;
  await new Promise((r) => setTimeout(r, Math.max(0, windowStart + opts.durationMs - performance.now())));
  windowEnd = performance.now();
  await opts.snapshot();
  const betweenSnapshots = completed - completedAtStart;
  stop = true;
  await Promise.all(workers);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    seconds: (windowEnd - windowStart) / 1000,
    ok,
    errors,
    errorsTotal,
    errorSamples,
    latencies,
    bytes: ok ? bytes / ok : 0,
    betweenSnapshots,
  };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

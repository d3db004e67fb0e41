import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** Linux clock ticks per second, the unit of utime/stime in /proc/<pid>/stat. */
export const CLOCK_TICKS: number = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

export const hasTaskset: boolean = spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;

/** Cores to pin to: the server on one, this process (the load generator) on another. */
export const pinning: { server: number; load: number } | null =
  hasTaskset && os.availableParallelism() >= 2 ? { server: 1, load: 0 } : null;

/** Pins every thread of this process to `core` (taskset -a). */
export function pinSelf(core: number): boolean {
  return (
    spawnSync('taskset', ['-a', '-cp', String(core), String(process.pid)], { stdio: 'ignore' }).status === 0
  );
}

interface ProcStat {
  ppid: number;
  /** utime + stime of all threads, in clock ticks. */
  ticks: number;
  /** cutime + cstime: CPU of children that exited and were waited for, in clock ticks. */
  childTicks: number;
}

function readStat(pid: number | 'self'): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(fields[1]),
      ticks: Number(fields[11]) + Number(fields[12]),
      childTicks: Number(fields[13]) + Number(fields[14]),
    };
  } catch {
    return null;
  }
}

/** CPU milliseconds used so far by a process (all its threads), or null if unreadable. */
export function cpuMs(pid: number | 'self'): number | null {
  const s = readStat(pid);
  return s ? (s.ticks * 1000) / CLOCK_TICKS : null;
}

/** The PostgreSQL postmaster of a backend (its parent), when that server runs on this machine. */
export function postmasterOf(backendPid: number): number | null {
  const s = readStat(backendPid);
  if (!s) return null;
  try {
    const comm = readFileSync(`/proc/${s.ppid}/comm`, 'utf8').trim();
    return comm.startsWith('postgres') ? s.ppid : null;
  } catch {
    return null;
  }
}

/**
 * CPU milliseconds of a PostgreSQL server: the postmaster, its live children (backends,
 * writers) and its exited children (counted in the postmaster's cutime/cstime once reaped),
 * so the sum never drops when a backend disconnects. Every database of the server counts.
 */
export function postgresCpuMs(postmaster: number): number {
  const own = readStat(postmaster);
  let ticks = own ? own.ticks + own.childTicks : 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s && s.ppid === postmaster) ticks += s.ticks;
  }
  return (ticks * 1000) / CLOCK_TICKS;
}

/** Busy and total CPU milliseconds of the whole machine (/proc/stat, all cores). */
export function machineCpuMs(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = v[3] + (v[4] ?? 0);
  return { busy: ((total - idle) * 1000) / CLOCK_TICKS, total: (total * 1000) / CLOCK_TICKS };
}

export interface Child {
  name: string;
  pid: number;
  port: number;
  /** The last lines the process printed (for error messages). */
  tail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

const ENDPOINT = /GraphQL endpoint: http:\/\/[^:/]+:(\d+)\//;

/** The Node binary the servers run on: `BENCH_NODE` (e.g. a Node 24 from npm), else this process's. */
export const SERVER_NODE = process.env.BENCH_NODE || process.execPath;

/** The version of SERVER_NODE, as `node --version` prints it. */
export const serverNodeVersion = (): string =>
  SERVER_NODE === process.execPath
    ? process.version
    : execFileSync(SERVER_NODE, ['--version'], { encoding: 'utf8' }).trim();

/**
 * Starts `node <args>` (pinned to `core` with taskset when given) and waits for its
 * "GraphQL endpoint: http://…:<port>/graphql" line.
 */
export function startNode(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  core: number | null,
  timeoutMs = 60_000,
): Promise<Child> {
  const [cmd, argv] =
    core === null ? [SERVER_NODE, args] : ['taskset', ['-c', String(core), SERVER_NODE, ...args]];
  const child = spawn(cmd, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      children.delete(child);
      resolve();
    }),
  );
  return new Promise<Child>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(
      () => fail(new Error(`${name} did not start within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const fail = (err: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      err.message += `\n--- last output of ${name} ---\n${lines.join('\n')}`;
      reject(err);
    };
    const onData = (buf: Buffer) => {
      for (const line of buf.toString('utf8').split('\n')) {
        if (!line) continue;
        lines.push(line);
        if (lines.length > 60) lines.shift();
        const m = ENDPOINT.exec(line);
        if (m && !done && child.pid !== undefined) {
          done = true;
          clearTimeout(timer);
          const pid = child.pid;
          resolve({
            name,
            pid,
            port: Number(m[1]),
            tail: () => lines.join('\n'),
            stop: async (graceMs = 10_000) => {
              if (child.exitCode !== null || child.signalCode !== null) return;
              child.kill('SIGTERM');
              const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
              await exited;
              clearTimeout(t);
            },
          });
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (err) => fail(err));
    child.once('exit', (code, signal) =>
      fail(new Error(`${name} exited early (code ${code}, signal ${signal})`)),
    );
  });
}

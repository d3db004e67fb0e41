/** Self time per function and per package from a V8 .cpuprofile (node --cpu-prof). */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileRow {
  name: string;
  ms: number;
  pct: number;
}

export interface ProfileSummary {
  /** Milliseconds of samples counted (inside the window when it overlaps the profile). */
  sampledMs: number;
  windowed: boolean;
  functions: ProfileRow[];
  groups: ProfileRow[];
}

const root = process.cwd();

function groupOf(frame: ProfileNode['callFrame']): string {
  const { functionName, url } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return '(garbage collector)';
    if (functionName === '(program)' || functionName === '(idle)') return functionName;
    return '(native / V8 builtins)';
  }
  if (url.startsWith('node:')) return 'node: internals';
  const file = url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = file.slice(nm + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const rel = path.relative(root, file);
  const m = /^dist\/(src\/(?:platform|modules\/[^/]+)|src|bench)\//.exec(rel);
  return m ? `app: ${m[1]}` : `app: ${rel}`;
}

function frameName(frame: ProfileNode['callFrame']): string {
  const fn = frame.functionName || '(anonymous)';
  if (!frame.url) return fn;
  const file = frame.url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('/node_modules/');
  const shown = nm >= 0 ? file.slice(nm + '/node_modules/'.length) : path.relative(root, file) || file;
  return `${fn} (${shown}:${frame.lineNumber + 1})`;
}

/**
 * Sums self time by function and by package. `windowUs` (CLOCK_MONOTONIC µs, the clock of
 * process.hrtime and of V8's profile timestamps) limits it to the measured window.
 */
export function summariseProfile(file: string, windowUs?: [number, number], top = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const windowed =
    windowUs !== undefined && windowUs[0] >= profile.startTime && windowUs[1] <= profile.endTime + 1_000_000;
  const fnTime = new Map<string, number>();
  const groupTime = new Map<string, number>();
  let t = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    if (windowed && windowUs && (t < windowUs[0] || t > windowUs[1])) continue;
    const node = byId.get(profile.samples[i]);
    if (!node || node.callFrame.functionName === '(idle)') continue;
    total += dt;
    const name = frameName(node.callFrame);
    fnTime.set(name, (fnTime.get(name) ?? 0) + dt);
    const group = groupOf(node.callFrame);
    groupTime.set(group, (groupTime.get(group) ?? 0) + dt);
  }
  const rows = (m: Map<string, number>, n: number): ProfileRow[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, ms: us / 1000, pct: total ? (100 * us) / total : 0 }));
  return { sampledMs: total / 1000, windowed, functions: rows(fnTime, top), groups: rows(groupTime, top) };
}

export function profileMarkdown(s: ProfileSummary, requests: number): string {
  const table = (title: string, rows: ProfileRow[]) =>
    [
      `| ${title} | self ms | % | µs/req |`,
      '|---|--:|--:|--:|',
      ...rows.map(
        (r) =>
          `| ${r.name.replace(/\|/g, '\\|')} | ${r.ms.toFixed(0)} | ${r.pct.toFixed(1)} | ${((r.ms * 1000) / Math.max(1, requests)).toFixed(0)} |`,
      ),
    ].join('\n');
  return [
    `Samples: ${s.sampledMs.toFixed(0)} ms of CPU over ${requests} requests` +
      (s.windowed
        ? ' (measured window only; idle excluded).'
        : ' (whole process: the window could not be matched).'),
    '',
    table('package / area', s.groups),
    '',
    table('function (self time)', s.functions),
  ].join('\n');
}

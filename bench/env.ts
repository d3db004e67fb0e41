/** A number from the environment for a bench setting, or `fallback`; anything else ends the run (exit 2). */
export function envNumber(
  name: string,
  fallback: number,
  min: number,
  opts: { integer?: boolean } = {},
): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  const ok = opts.integer ? Number.isInteger(n) : Number.isFinite(n);
  if (!ok || n < min) {
    console.error(`${name} must be ${opts.integer ? 'an integer' : 'a number'} ≥ ${min}, got ${raw}`);
    process.exit(2);
  }
  return n;
}

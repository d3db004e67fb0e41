export default async function globalTeardown() {
  const pg = globalThis.__WORKPEX_PG__;
  if (pg) await pg.stop();
}

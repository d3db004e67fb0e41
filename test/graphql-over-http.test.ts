import { serverAudits } from 'graphql-http';
import { startServer, type TestServer } from './support/server';
import { seed } from './support/seed';

/**
 * The GraphQL-over-HTTP server audit of graphql-http, run as a client with a read key
 * would (introspection needs one, CONTRACT §11). Every MUST and SHOULD has to pass.
 */
describe('GraphQL over HTTP (graphql-http server audit)', () => {
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    server = await startServer();
    ({ key } = await seed(server).org('Audit Co'));
  });
  afterAll(() => server.close());

  const audits = serverAudits({
    url: () => `${server.origin}/graphql`,
    fetchFn: (input: Parameters<typeof fetch>[0], init: RequestInit = {}) =>
      fetch(input, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${key}` },
      }),
  });

  for (const audit of audits.filter((a) => !a.name.startsWith('MAY'))) {
    it(audit.name, async () => {
      const result = await audit.fn();
      expect({ status: result.status, reason: result.status === 'ok' ? undefined : result.reason }).toEqual({
        status: 'ok',
        reason: undefined,
      });
    });
  }
});

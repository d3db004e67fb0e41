import type { MailgunDouble } from './mailgun-double';
import type { TestServer } from './server';

/**
 * What a campaign needs to pass the pre-send checks (sendCampaign and scheduleCampaign refuse it
 * otherwise): a from address on a VERIFIED sending domain of its organisation, the organisation's
 * postal address in the email settings and in every body, and the unsubscribe merge tag in
 * every body (plus no blocked links and a low spam score, which plain bodies have).
 */

/** The postal address `readyToSend` sets; `passingBodies` puts it in each body's footer. */
export const POSTAL_ADDRESS = 'Workpex Test Ltd, 1 Example Street, Springfield 12345';

/** Footers that pass the checks: the unsubscribe merge tag and the postal address. */
export const HTML_FOOTER = `<p><a href="%unsubscribe_url%">Unsubscribe</a></p><p>${POSTAL_ADDRESS}</p>`;
export const TEXT_FOOTER = `Unsubscribe: %unsubscribe_url%\n${POSTAL_ADDRESS}`;

/**
 * Campaign bodies that pass the checks: the given content with the footer added (an omitted body
 * stays omitted; pass `''` for a body with the footer only).
 */
export function passingBodies(content: { html?: string; text?: string }): {
  htmlBody?: string;
  textBody?: string;
} {
  return {
    ...(content.html === undefined ? {} : { htmlBody: `${content.html}${HTML_FOOTER}` }),
    ...(content.text === undefined ? {} : { textBody: `${content.text}\n${TEXT_FOOTER}` }),
  };
}

interface DomainRow {
  id: string;
  name: string;
  state: 'VERIFIED' | 'UNVERIFIED';
}

async function gql<T>(
  server: TestServer,
  key: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<T> {
  const res = await server.gql<T>(query, variables, key);
  if (res.body.errors?.length || !res.body.data) {
    throw new Error(`readyToSend: ${JSON.stringify(res.body.errors)}`);
  }
  return res.body.data;
}

/**
 * Makes the organisation of `key` (an ADMIN key) ready to send from addresses on `domain`:
 * sets its postal address (`POSTAL_ADDRESS` unless given) and registers `domain` as a sending
 * domain, verified. Without Mailgun the domain verifies at once (LOCAL). With Mailgun (the server
 * started with MAILGUN_API_KEY and MAILGUN_URL: double.url) pass the double: its DNS is marked
 * published (`double.verifyDomain`) and the domain refreshed until VERIFIED. Calling it again for
 * the same domain is fine. Resolves with the domain's id and the postal address set.
 */
export async function readyToSend(
  server: TestServer,
  key: string,
  domain: string,
  opts: { double?: MailgunDouble; postalAddress?: string } = {},
): Promise<{ domainId: string; postalAddress: string }> {
  const postalAddress = opts.postalAddress ?? POSTAL_ADDRESS;
  await gql(
    server,
    key,
    'mutation($input: UpdateEmailSettingsInput!) { updateEmailSettings(input: $input) { emailSettings { postalAddress } } }',
    { input: { postalAddress } },
  );
  const { sendingDomains } = await gql<{ sendingDomains: DomainRow[] }>(
    server,
    key,
    '{ sendingDomains { id name state } }',
    {},
  );
  let row = sendingDomains.find((d) => d.name === domain);
  if (!row) {
    const created = await gql<{ createSendingDomain: { sendingDomain: DomainRow } }>(
      server,
      key,
      'mutation($input: CreateSendingDomainInput!) { createSendingDomain(input: $input) { sendingDomain { id name state } } }',
      { input: { name: domain } },
    );
    row = created.createSendingDomain.sendingDomain;
  }
  if (row.state !== 'VERIFIED') {
    if (!opts.double) {
      throw new Error(`readyToSend: ${domain} is ${row.state}; pass the Mailgun double to verify it.`);
    }
    opts.double.verifyDomain(domain);
    const refreshed = await gql<{ refreshSendingDomain: { sendingDomain: DomainRow } }>(
      server,
      key,
      'mutation($input: SendingDomainIdInput!) { refreshSendingDomain(input: $input) { sendingDomain { id name state } } }',
      { input: { id: row.id } },
    );
    row = refreshed.refreshSendingDomain.sendingDomain;
    if (row.state !== 'VERIFIED') throw new Error(`readyToSend: ${domain} is still ${row.state}.`);
  }
  return { domainId: row.id, postalAddress };
}

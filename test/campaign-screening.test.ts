import {
  DEFAULT_BLOCKED_HOSTS,
  DEFAULT_MAX_SCORE,
  UNSUBSCRIBE_TAG,
  screenCampaign,
  spamScore,
  type Finding,
  type ScreeningInput,
  type ScreeningPolicy,
} from '../src/modules/campaigns/screening.js';

// Pure module: no server, no database.

const POSTAL = 'Acme & Sons Ltd, 12 Main Street, Springfield, IL 62701';
const POSTAL_HTML = 'Acme &amp; Sons Ltd, 12 Main Street, Springfield, IL 62701';

const POLICY: ScreeningPolicy = {
  verifiedDomains: ['acme.com', 'acme-news.org'],
  postalAddress: POSTAL,
  blockedHosts: DEFAULT_BLOCKED_HOSTS,
  maxScore: DEFAULT_MAX_SCORE,
};

const HTML_POSTAL = `<p class="footer">${POSTAL_HTML}</p>`;
const HTML_UNSUBSCRIBE = `<p><a href="${UNSUBSCRIBE_TAG}">Unsubscribe</a></p>`;
const TEXT_POSTAL = `\n--\n${POSTAL}`;
const TEXT_UNSUBSCRIBE = `\nUnsubscribe: ${UNSUBSCRIBE_TAG}`;

const INTRO_HTML =
  '<h1>Spring update</h1><p>Here is what we shipped this quarter: faster exports, a new calendar view and ' +
  'better search. <a href="https://www.acme.com/blog/spring">Read the post</a>.</p>';
const INTRO_TEXT =
  'Spring update\n\nHere is what we shipped this quarter: faster exports, a new calendar view and better ' +
  'search. Read the post: https://www.acme.com/blog/spring';
const HERO = '<img src="https://cdn.acme.com/hero.png" alt="Spring">';

const page = (content: string) =>
  `<!DOCTYPE html><html><head><title>Spring</title></head><body>${content}</body></html>`;
/** An HTML body: `content` plus the footer parts asked for (both by default). */
const html = (content: string, footer: { postal?: boolean; unsubscribe?: boolean } = {}) =>
  page(
    content +
      (footer.postal === false ? '' : HTML_POSTAL) +
      (footer.unsubscribe === false ? '' : HTML_UNSUBSCRIBE),
  );
const text = (content: string, footer: { postal?: boolean; unsubscribe?: boolean } = {}) =>
  content +
  (footer.postal === false ? '' : TEXT_POSTAL) +
  (footer.unsubscribe === false ? '' : TEXT_UNSUBSCRIBE);

/** A campaign that passes every check. */
const CLEAN: ScreeningInput = {
  subject: 'Our spring product update',
  htmlBody: html(INTRO_HTML + HERO),
  textBody: text(INTRO_TEXT),
  fromEmail: 'news@acme.com',
};

/** Findings as compared: CODE, or CODE:detail when the finding has a detail. */
const summary = (findings: Finding[]) =>
  findings.map((f) => (f.detail === undefined ? f.code : `${f.code}:${f.detail}`));

interface Row {
  name: string;
  input?: Partial<ScreeningInput>;
  policy?: Partial<ScreeningPolicy>;
  expected: string[];
}

const ROWS: Row[] = [
  { name: 'clean campaign', expected: [] },

  // NO_BODY
  { name: 'no body at all', input: { htmlBody: null, textBody: null }, expected: ['NO_BODY'] },
  { name: 'blank bodies are no bodies', input: { htmlBody: ' \n ', textBody: '' }, expected: ['NO_BODY'] },

  // NO_UNSUBSCRIBE_LINK
  {
    name: 'HTML body without unsubscribe link',
    input: { htmlBody: html(INTRO_HTML + HERO, { unsubscribe: false }) },
    expected: ['NO_UNSUBSCRIBE_LINK:html'],
  },
  {
    name: 'text body without unsubscribe tag',
    input: { textBody: text(INTRO_TEXT, { unsubscribe: false }) },
    expected: ['NO_UNSUBSCRIBE_LINK:text'],
  },
  {
    name: 'unsubscribe tag hidden in an HTML comment and a data attribute does not count',
    input: {
      htmlBody: html(
        `${INTRO_HTML}${HERO}<!-- ${UNSUBSCRIBE_TAG} --><span data-u="${UNSUBSCRIBE_TAG}">Bye</span>`,
        {
          unsubscribe: false,
        },
      ),
    },
    expected: ['NO_UNSUBSCRIBE_LINK:html'],
  },
  {
    name: 'unsubscribe tag in visible HTML text counts',
    input: {
      htmlBody: html(`${INTRO_HTML}${HERO}<p>To unsubscribe open ${UNSUBSCRIBE_TAG}</p>`, {
        unsubscribe: false,
      }),
    },
    expected: [],
  },
  {
    name: 'unsubscribe tag in the wrong case is not replaced by the sender, so it is missing',
    input: {
      htmlBody: html(`${INTRO_HTML}${HERO}<a href="%UNSUBSCRIBE_URL%">Unsubscribe</a>`, {
        unsubscribe: false,
      }),
      textBody: text(`${INTRO_TEXT}\nUnsubscribe: %Unsubscribe_Url%`, { unsubscribe: false }),
    },
    expected: ['NO_UNSUBSCRIBE_LINK:html', 'NO_UNSUBSCRIBE_LINK:text'],
  },
  { name: 'HTML-only campaign (no text body) passes', input: { textBody: null }, expected: [] },
  { name: 'text-only campaign (no HTML body) passes', input: { htmlBody: null }, expected: [] },

  // NO_POSTAL_ADDRESS
  {
    name: 'HTML body without the postal address',
    input: { htmlBody: html(INTRO_HTML + HERO, { postal: false }) },
    expected: ['NO_POSTAL_ADDRESS:html'],
  },
  {
    name: 'text body without the postal address',
    input: { textBody: text(INTRO_TEXT, { postal: false }) },
    expected: ['NO_POSTAL_ADDRESS:text'],
  },
  {
    name: 'postal address with other case and whitespace, <br> line breaks and &amp; / &nbsp; entities passes',
    input: {
      htmlBody: html(
        `${INTRO_HTML}${HERO}<address>ACME &amp;&nbsp;SONS <b>LTD</b>,<br>\n   12 Main Street,<br/>Springfield,  IL&#32;62701</address>`,
        { postal: false },
      ),
      textBody: text(`${INTRO_TEXT}\n\nacme & sons ltd,\n12   main street,\n\tspringfield, il 62701`, {
        postal: false,
      }),
    },
    expected: [],
  },
  {
    name: 'postal address only in an HTML comment and an alt attribute is not shown',
    input: {
      htmlBody: html(`${INTRO_HTML}${HERO}<!-- ${POSTAL_HTML} --><img alt="${POSTAL_HTML}" src="cid:logo">`, {
        postal: false,
      }),
    },
    // The second image still has enough text: 2 images, > 200 characters.
    expected: ['NO_POSTAL_ADDRESS:html'],
  },
  { name: 'no postal address configured', policy: { postalAddress: null }, expected: ['NO_POSTAL_ADDRESS'] },
  {
    name: 'blank postal address configured',
    policy: { postalAddress: ' \n\t ' },
    expected: ['NO_POSTAL_ADDRESS'],
  },

  // UNVERIFIED_SENDING_DOMAIN
  {
    name: 'unverified sending domain',
    input: { fromEmail: 'news@acme-mail.com' },
    expected: ['UNVERIFIED_SENDING_DOMAIN:acme-mail.com'],
  },
  {
    name: 'a subdomain of a verified domain must itself be verified (exact match only)',
    input: { fromEmail: 'news@mail.acme.com' },
    expected: ['UNVERIFIED_SENDING_DOMAIN:mail.acme.com'],
  },
  {
    name: 'a parent of a verified domain is not verified either',
    input: { fromEmail: 'news@org' },
    policy: { verifiedDomains: ['acme.org'] },
    expected: ['UNVERIFIED_SENDING_DOMAIN:org'],
  },
  {
    name: 'sending domain is compared case-insensitively',
    input: { fromEmail: 'News@ACME-News.ORG' },
    expected: [],
  },
  {
    name: 'no verified domains at all',
    policy: { verifiedDomains: [] },
    expected: ['UNVERIFIED_SENDING_DOMAIN:acme.com'],
  },

  // BLOCKED_LINK
  {
    name: 'URL shortener link in an HTML href',
    input: { htmlBody: html(`${INTRO_HTML}${HERO}<a href="https://bit.ly/3xYz">Offer</a>`) },
    expected: ['BLOCKED_LINK:bit.ly'],
  },
  {
    name: 'subdomain of a blocked host',
    input: { htmlBody: html(`${INTRO_HTML}${HERO}<a href="https://go.tinyurl.com/abc">Offer</a>`) },
    expected: ['BLOCKED_LINK:go.tinyurl.com'],
  },
  {
    name: 'look-alike hosts that are not subdomains of a blocked host pass',
    input: {
      textBody: text(`${INTRO_TEXT}\nhttps://notbit.ly/a https://bit.ly.acme.com/b https://t.co.uk/c`),
    },
    expected: [],
  },
  {
    name: 'bare shortener URL in the text body',
    input: { textBody: text(`${INTRO_TEXT}\nSee https://t.co/abc, thanks.`) },
    expected: ['BLOCKED_LINK:t.co'],
  },
  {
    name: 'image src on a blocked host',
    input: { htmlBody: html(`${INTRO_HTML}<img src="https://goo.gl/hero.png">`) },
    expected: ['BLOCKED_LINK:goo.gl'],
  },
  {
    name: 'one finding per distinct host, sorted by host; upper-case, protocol-relative and bare links count',
    input: {
      htmlBody: html(
        `${INTRO_HTML}${HERO}<a href="HTTPS://IS.GD/a">A</a><a href="//bit.ly/b">B</a> https://is.gd/c`,
      ),
      textBody: text(`${INTRO_TEXT}\nhttps://bit.ly/d https://bit.ly/e`),
    },
    expected: ['BLOCKED_LINK:bit.ly', 'BLOCKED_LINK:is.gd'],
  },
  {
    name: 'hrefs resolved as a browser does: protocol-relative, backslashes, entity-encoded scheme',
    input: {
      htmlBody: html(
        `${INTRO_HTML}${HERO}<a href="//tinyurl.com/x">A</a><a href='https:\\\\is.gd\\y'>B</a><a href="https&#58;//t.co/z">C</a>`,
      ),
    },
    expected: ['BLOCKED_LINK:is.gd', 'BLOCKED_LINK:t.co', 'BLOCKED_LINK:tinyurl.com'],
  },
  {
    name: "the policy's blocked hosts replace the defaults",
    input: { textBody: text(`${INTRO_TEXT}\nhttps://eu.tracker.example/p https://bit.ly/x`) },
    policy: { blockedHosts: ['tracker.example'] },
    expected: ['BLOCKED_LINK:eu.tracker.example'],
  },
  {
    name: 'IP-literal link',
    input: { htmlBody: html(`${INTRO_HTML}${HERO}<a href="http://192.0.2.10/login">Log in</a>`) },
    expected: ['BLOCKED_LINK:192.0.2.10'],
  },
  {
    name: 'IP literals behind userinfo, in integer form and IPv6 are refused too',
    input: {
      htmlBody: html(`${INTRO_HTML}${HERO}<a href="https://acme.com@198.51.100.7/account">Account</a>`),
      textBody: text(`${INTRO_TEXT}\nhttp://3232235777/ and https://[2001:db8::1]:8443/x`),
    },
    expected: ['BLOCKED_LINK:192.168.1.1', 'BLOCKED_LINK:198.51.100.7', 'BLOCKED_LINK:[2001:db8::1]'],
  },

  // SPAM_SCORE
  {
    name: 'spammy all-caps subject: caps 2 + "!!!" 1 + urgent, winner, act now 3',
    input: { subject: 'URGENT: YOU ARE A WINNER!!! ACT NOW' },
    expected: ['SPAM_SCORE:6'],
  },
  {
    name: 'five trigger phrases reach the threshold of 5',
    input: {
      subject: 'Limited time offer',
      textBody: text(`${INTRO_TEXT}\nDear friend, click here for a risk free trial. Results guaranteed.`),
    },
    expected: ['SPAM_SCORE:5'],
  },
  {
    name: 'four trigger phrases (one repeated) stay below the threshold',
    input: {
      subject: 'Limited time offer',
      textBody: text(`${INTRO_TEXT}\nDear friend, click here, CLICK HERE, for a risk-free trial.`),
    },
    expected: [],
  },
  {
    name: 'a lower threshold from the policy applies',
    input: { subject: 'Limited time offer' },
    policy: { maxScore: 1 },
    expected: ['SPAM_SCORE:1'],
  },
  {
    name: 'image-only HTML (3 points) with a threshold of 3',
    input: { htmlBody: page(`<a href="${UNSUBSCRIBE_TAG}"><img src="https://cdn.acme.com/all.png"></a>`) },
    policy: { maxScore: 3 },
    expected: ['NO_POSTAL_ADDRESS:html', 'SPAM_SCORE:3'],
  },
  {
    name: 'three images with under 300 characters of text (2 points) with a threshold of 2',
    input: { htmlBody: html(`${HERO}${HERO}${HERO}<p>Look!</p>`) },
    policy: { maxScore: 2 },
    expected: ['SPAM_SCORE:2'],
  },

  // Everything at once: the report order.
  {
    name: 'every rule at once, in report order',
    input: {
      subject: 'FREE MONEY!!!',
      htmlBody: page('<p>Dear friend</p><a href="http://10.0.0.1/x"><img src="https://bit.ly/i.png"></a>'),
      textBody: 'Dear friend, see https://is.gd/x',
      fromEmail: 'promo@cheap-deals.biz',
    },
    policy: { maxScore: 4 },
    expected: [
      'NO_UNSUBSCRIBE_LINK:html',
      'NO_UNSUBSCRIBE_LINK:text',
      'NO_POSTAL_ADDRESS:html',
      'NO_POSTAL_ADDRESS:text',
      'UNVERIFIED_SENDING_DOMAIN:cheap-deals.biz',
      'BLOCKED_LINK:10.0.0.1',
      'BLOCKED_LINK:bit.ly',
      'BLOCKED_LINK:is.gd',
      // caps 2 + "!!!" 1 + free money, dear friend 2 + 1 image with 11 characters of text 2
      'SPAM_SCORE:7',
    ],
  },
  {
    name: 'no body, no postal address, unverified domain',
    input: { htmlBody: null, textBody: null, fromEmail: 'x@elsewhere.net' },
    policy: { postalAddress: null },
    expected: ['NO_BODY', 'NO_POSTAL_ADDRESS', 'UNVERIFIED_SENDING_DOMAIN:elsewhere.net'],
  },
];

describe('campaign screening', () => {
  it.each(ROWS)('$name', ({ input, policy, expected }) => {
    const result = screenCampaign({ ...CLEAN, ...input }, { ...POLICY, ...policy });
    expect(summary(result.findings)).toEqual(expected);
    for (const finding of result.findings) expect(finding.message).toMatch(/^[A-Z].*: .+\.$/s);
  });

  it('has the documented constants', () => {
    expect(UNSUBSCRIBE_TAG).toBe('%unsubscribe_url%');
    expect(DEFAULT_MAX_SCORE).toBe(5);
    expect([...DEFAULT_BLOCKED_HOSTS]).toEqual(
      expect.arrayContaining(['bit.ly', 'tinyurl.com', 'goo.gl', 't.co', 'is.gd']),
    );
  });

  it('messages say how to fix each finding', () => {
    const { findings } = screenCampaign(
      {
        subject: 'URGENT WINNER!!!',
        htmlBody: '<p>Hi</p><a href="https://bit.ly/x">x</a>',
        textBody: 'Hi',
        fromEmail: 'a@mail.acme.com',
      },
      { ...POLICY, maxScore: 3 },
    );
    const byCode = (code: string) => findings.filter((f) => f.code === code).map((f) => f.message);
    expect(byCode('NO_UNSUBSCRIBE_LINK')).toEqual([
      expect.stringContaining(`The HTML body has no unsubscribe link: add ${UNSUBSCRIBE_TAG} as a link`),
      expect.stringContaining(`The plain-text body has no unsubscribe link: add ${UNSUBSCRIBE_TAG}`),
    ]);
    expect(byCode('NO_POSTAL_ADDRESS')).toEqual([
      expect.stringContaining(`add "${POSTAL}"`),
      expect.stringContaining(`add "${POSTAL}"`),
    ]);
    expect(byCode('UNVERIFIED_SENDING_DOMAIN')).toEqual([
      expect.stringMatching(/mail\.acme\.com is not verified.*subdomains must be verified separately/),
    ]);
    expect(byCode('BLOCKED_LINK')).toEqual([
      expect.stringMatching(/bit\.ly.*link directly to the destination/),
    ]);
    const [spam] = byCode('SPAM_SCORE');
    expect(spam).toContain('scores 5');
    expect(spam).toContain('limit of 3');
    expect(spam).toContain('the subject is all capitals (+2)');
    expect(spam).toContain('trigger phrase "urgent" (+1)');
    expect(spam).toContain('trigger phrase "winner" (+1)');
  });

  it('is deterministic', () => {
    const input = {
      ...CLEAN,
      subject: 'ACT NOW!!!',
      textBody: 'https://t.co/a http://10.1.1.1/ https://bit.ly/b',
    };
    expect(screenCampaign(input, POLICY)).toEqual(screenCampaign(input, POLICY));
  });

  it('a missing or non-finite maxScore falls back to the default of 5', () => {
    const input = { ...CLEAN, subject: 'URGENT: YOU ARE A WINNER!!! ACT NOW' };
    expect(summary(screenCampaign(input, { ...POLICY, maxScore: Number.NaN }).findings)).toEqual([
      'SPAM_SCORE:6',
    ]);
  });
});

describe('spamScore', () => {
  const subjectScore = (subject: string) => spamScore({ ...CLEAN, subject }).score;

  it.each<[string, number]>([
    ['Our spring product update', 0],
    ['SPRING UPDATE', 2], // all capitals
    ['SALE: 50% OFF', 2], // digits and punctuation do not count as letters
    ['NEW!', 0], // fewer than 4 letters
    ['NEW Calendar', 0], // has lower-case letters
    ['Big news!!!', 1],
    ['Pay $$$ less', 1],
    ['Big news!!', 0],
    ['You are a winner', 1],
    ['Winners of the design award', 0], // word boundary
    ['Risk free for a month', 1], // 'risk-free', punctuation and space alike
    ['Congratulations, you made it', 1], // 'congratulations you'
    ['Act now, act now, ACT NOW', 1], // a distinct phrase counts once
    ['100% FREE!!!', 2 + 1 + 1],
  ])('subject %j scores %d', (subject, score) => {
    expect(subjectScore(subject)).toBe(score);
  });

  it('counts trigger phrases in the visible HTML text and the text body, not in markup', () => {
    const base = { ...CLEAN, textBody: null };
    expect(spamScore({ ...base, htmlBody: html(`${INTRO_HTML}<p>Buy now</p>`) }).reasons).toEqual([
      'trigger phrase "buy now" (+1)',
    ]);
    expect(
      spamScore({ ...base, htmlBody: html(`${INTRO_HTML}<p class="casino" title="viagra">Hi</p>`) }).score,
    ).toBe(0);
    expect(spamScore({ ...CLEAN, textBody: text('Earn extra cash from home') }).reasons).toEqual([
      'trigger phrase "earn extra cash" (+1)',
    ]);
  });

  it('scores the image-to-text ratio of the HTML body', () => {
    const withHtml = (htmlBody: string) => spamScore({ ...CLEAN, textBody: null, htmlBody });
    expect(withHtml(page(HERO))).toEqual({
      score: 3,
      reasons: ['the HTML body has images but no text (+3)'],
    });
    expect(withHtml(page(`${HERO}<p>Hello</p>`))).toEqual({
      score: 2,
      reasons: ['the HTML body has 1 image but only 5 characters of text (+2)'],
    });
    expect(withHtml(page(`${HERO}<p>${'x'.repeat(100)}</p>`)).score).toBe(0);
    expect(withHtml(page(`${HERO}${HERO}<p>${'x'.repeat(150)}</p>`)).score).toBe(2);
    expect(withHtml(page(`<p>${'x'.repeat(10)}</p>`)).score).toBe(0); // no images
  });
});

describe('bounded work on 500,000-character bodies', () => {
  const N = 500_000;
  const fill = (unit: string) => unit.repeat(Math.ceil(N / unit.length)).slice(0, N);

  // Bodies built to trip naive or backtracking parsers. The bound is generous on purpose: it only
  // guards against quadratic or exponential work, which would take far longer.
  it.each<[string, string]>([
    ['realistic newsletter', fill(`<p>${INTRO_HTML} https://www.acme.com/x?y=1&amp;z=2</p>\n`)],
    ['"<" without ">"', fill('<')],
    ['unterminated tags', fill('<a')],
    ['unterminated attribute values', fill('<a href="')],
    ['unterminated comments', fill('<!--')],
    ['unterminated scripts', fill('<script>')],
    ['attribute names made of "="', fill('<a ==')],
    ['URL schemes without hosts', fill('http://')],
    ['a host of dots', `http://${fill('.').slice(8)}x`],
    ['entity-like runs', fill('&abcdefghijklmnopqrstuvwxyzabcdefghijklmnop')],
    ['numeric entity starts', fill('&#')],
    ['whitespace', fill(' \n\t')],
    ['trigger phrases', fill('free money act now ')],
    ['exclamation marks', fill('!')],
  ])('%s is screened in well under 2 seconds', (_name, body) => {
    expect(body.length).toBe(N);
    const input: ScreeningInput = {
      subject: fill('A!$').slice(0, 998),
      htmlBody: body,
      textBody: body,
      fromEmail: `news@${fill('.')}`,
    };
    const started = performance.now();
    screenCampaign(input, POLICY);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('still finds what is at the very end of a 500,000-character body', () => {
    const footer = `${HTML_POSTAL}${HTML_UNSUBSCRIBE}<a href="https://bit.ly/end">x</a>`;
    const filler = fill(`<p>${INTRO_HTML}</p>\n`).slice(0, N - footer.length);
    const input = { ...CLEAN, htmlBody: filler + footer };
    expect(input.htmlBody.length).toBe(N);
    const started = performance.now();
    const { findings } = screenCampaign(input, POLICY);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(summary(findings)).toEqual(['BLOCKED_LINK:bit.ly']);
  });
});

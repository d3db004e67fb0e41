/**
 * Automated anti-spam screening of a campaign, run before it is sent or scheduled (a send is
 * refused with BAD_USER_INPUT listing every finding) and by `previewCampaignChecks` (shows the
 * findings without sending). Pure and deterministic: no I/O, no clock, no randomness.
 *
 * Bounded work: bodies may be up to 500,000 characters, so every pass below is linear in the
 * body. HTML is read by a hand-written scanner (indexOf and single forward passes), never by a
 * backtracking regular expression; the few regular expressions used are either a single
 * character class, a literal, or have bounded repetition.
 *
 * The rules, in the order their findings are reported:
 *  1. NO_BODY: the campaign has neither an HTML nor a plain-text body (a blank string is none).
 *  2. NO_UNSUBSCRIBE_LINK: every present body must carry the merge tag `%unsubscribe_url%`,
 *     which the sender replaces per recipient. Plain text: anywhere. HTML: as (part of) an
 *     `href` value, or in the visible text; a tag hidden in a comment, a script or any other
 *     attribute does not count. The tag is matched exactly (lower-case), as the sender only
 *     replaces that spelling. One finding per body, detail 'html' or 'text'.
 *  3. NO_POSTAL_ADDRESS (CAN-SPAM): the organisation must have a postal address configured
 *     (one finding, no detail, when none is), and every present body must contain it, compared
 *     case-insensitively with runs of whitespace collapsed; for the HTML body the visible text
 *     is used (tags stripped, block tags and <br> read as a space, entities such as &amp; and
 *     &nbsp; decoded). One finding per body, detail 'html' or 'text'.
 *  4. UNVERIFIED_SENDING_DOMAIN: the domain of fromEmail (after the last '@', lower-cased) must
 *     be exactly one of the verified domains. A subdomain of a verified domain is NOT verified:
 *     SPF/DKIM records are published per domain, so a subdomain needs its own verification.
 *     Detail: the domain.
 *  5. BLOCKED_LINK: every http(s) link in either body (href/src values, including
 *     protocol-relative ones, and bare URLs anywhere, HTML comments included since Outlook's
 *     conditional comments are rendered) whose host is a blocked host or a subdomain of one,
 *     or is an IP address literal (IPv4 in any form the browser accepts, or IPv6) — raw-IP
 *     links are a phishing pattern. One finding per distinct host, sorted by host, detail: the
 *     host (as the browser would resolve it: lower-case, userinfo and port removed).
 *  6. SPAM_SCORE: `spamScore` (see there) at or above `policy.maxScore` gives one finding whose
 *     message lists the reasons, the score and the threshold; detail: the score.
 */

export type FindingCode =
  | 'NO_UNSUBSCRIBE_LINK'
  | 'NO_POSTAL_ADDRESS'
  | 'UNVERIFIED_SENDING_DOMAIN'
  | 'BLOCKED_LINK'
  | 'SPAM_SCORE'
  | 'NO_BODY';

export interface Finding {
  code: FindingCode;
  /** A client-facing English sentence saying what is wrong and how to fix it. */
  message: string;
  /** e.g. the offending link or phrase */
  detail?: string;
}

export interface ScreeningInput {
  subject: string;
  htmlBody: string | null;
  textBody: string | null;
  fromEmail: string;
}

export interface ScreeningPolicy {
  /** Domains the organisation has verified for sending (lower-case). */
  verifiedDomains: readonly string[];
  /** The sender's postal address as configured for the organisation (CAN-SPAM), or null when none is configured. */
  postalAddress: string | null;
  /** Link hosts refused (lower-case; a host matches itself and its subdomains). */
  blockedHosts: readonly string[];
  /** Content score at or above which the campaign is blocked (default 5). */
  maxScore: number;
}

/**
 * Link hosts refused by default: public URL shorteners. A shortened link hides its real
 * destination from the recipient (and from this screening), which is why spammers and
 * phishers favour them, and why mailbox providers mark mail carrying them as spam.
 */
export const DEFAULT_BLOCKED_HOSTS: readonly string[] = Object.freeze([
  'bit.ly',
  'tinyurl.com',
  'goo.gl',
  't.co',
  'is.gd',
]);

/** Mailgun-style merge tag the sender replaces per recipient with their unsubscribe URL. */
export const UNSUBSCRIBE_TAG = '%unsubscribe_url%';

/** The content score at or above which a campaign is blocked unless the policy says otherwise. */
export const DEFAULT_MAX_SCORE = 5;

/**
 * Phrases typical of spam, 1 point each when found (once per distinct phrase) in the subject
 * or a body. Matched case-insensitively on word boundaries, with punctuation and whitespace
 * treated alike: 'risk-free' also matches "Risk free", 'congratulations you' matches
 * "Congratulations, you".
 */
export const SPAM_TRIGGER_PHRASES: readonly string[] = Object.freeze([
  'free money',
  'act now',
  'winner',
  '100% free',
  'risk-free',
  'click here',
  'guaranteed',
  'no credit check',
  'cash bonus',
  'limited time',
  'urgent',
  'viagra',
  'casino',
  'earn extra cash',
  'double your',
  'miracle',
  'you have been selected',
  'congratulations you',
  'lowest price',
  'dear friend',
  'buy now',
  'order now',
  'once in a lifetime',
  'no strings attached',
  'work from home',
  'get paid',
  'million dollars',
  'this is not spam',
]);

// ---------------------------------------------------------------------------------------------
// Screening

/** Screens a campaign against the policy: the content score and every finding, in report order. */
export function screenCampaign(
  input: ScreeningInput,
  policy: ScreeningPolicy,
): { score: number; findings: Finding[] } {
  const content = analyse(input);
  const findings: Finding[] = [];

  // 1. NO_BODY
  if (content.html === null && content.text === null) {
    findings.push({
      code: 'NO_BODY',
      message: 'The campaign has no content: add an HTML body, a plain-text body, or both.',
    });
  }

  // 2. NO_UNSUBSCRIBE_LINK: per present body.
  if (content.html && !content.html.hrefs.some((h) => h.includes(UNSUBSCRIBE_TAG))) {
    if (!content.html.visibleText.includes(UNSUBSCRIBE_TAG)) {
      findings.push({
        code: 'NO_UNSUBSCRIBE_LINK',
        message: `The HTML body has no unsubscribe link: add ${UNSUBSCRIBE_TAG} as a link, e.g. <a href="${UNSUBSCRIBE_TAG}">Unsubscribe</a>.`,
        detail: 'html',
      });
    }
  }
  if (content.text !== null && !content.text.includes(UNSUBSCRIBE_TAG)) {
    findings.push({
      code: 'NO_UNSUBSCRIBE_LINK',
      message: `The plain-text body has no unsubscribe link: add ${UNSUBSCRIBE_TAG}, e.g. "Unsubscribe: ${UNSUBSCRIBE_TAG}".`,
      detail: 'text',
    });
  }

  // 3. NO_POSTAL_ADDRESS: configured, then present in every present body.
  const address = policy.postalAddress === null ? '' : collapse(policy.postalAddress);
  const shownAddress = (policy.postalAddress ?? '').replace(/\s+/g, ' ').trim();
  if (address === '') {
    findings.push({
      code: 'NO_POSTAL_ADDRESS',
      message:
        "Your organisation has no postal address configured: add the sender's physical postal address in the organisation settings and include it in the campaign footer.",
    });
  } else {
    if (content.html && !collapse(content.html.visibleText).includes(address)) {
      findings.push({
        code: 'NO_POSTAL_ADDRESS',
        message: `The HTML body does not show your organisation's postal address: add "${shownAddress}" to its footer.`,
        detail: 'html',
      });
    }
    if (content.text !== null && !collapse(content.text).includes(address)) {
      findings.push({
        code: 'NO_POSTAL_ADDRESS',
        message: `The plain-text body does not include your organisation's postal address: add "${shownAddress}" to its footer.`,
        detail: 'text',
      });
    }
  }

  // 4. UNVERIFIED_SENDING_DOMAIN: exact match only.
  const at = input.fromEmail.lastIndexOf('@');
  const domain = normaliseHost(at === -1 ? '' : input.fromEmail.slice(at + 1));
  const verified = policy.verifiedDomains.map(normaliseHost).filter((d) => d !== '');
  if (!verified.includes(domain)) {
    findings.push({
      code: 'UNVERIFIED_SENDING_DOMAIN',
      message: unverifiedMessage(shorten(input.fromEmail.trim()), shorten(domain), verified),
      detail: domain,
    });
  }

  // 5. BLOCKED_LINK: one per distinct host, sorted.
  const blocked = policy.blockedHosts.map(normaliseHost).filter((h) => h !== '');
  const refused = new Map<string, 'blocked' | 'ip'>();
  for (const host of content.linkHosts) {
    if (isIpLiteral(host)) refused.set(host, 'ip');
    else if (blocked.some((b) => host === b || host.endsWith(`.${b}`))) refused.set(host, 'blocked');
  }
  for (const host of [...refused.keys()].sort(byCodeUnits)) {
    findings.push({
      code: 'BLOCKED_LINK',
      message:
        refused.get(host) === 'ip'
          ? `The campaign links to the IP address ${shorten(host)}: link to a domain name instead (links to raw IP addresses are a phishing pattern and are refused).`
          : `The campaign links to ${shorten(host)}, a blocked link host (such as a URL shortener, which hides the real destination): link directly to the destination page instead.`,
      detail: host,
    });
  }

  // 6. SPAM_SCORE
  const { score, reasons } = scoreContent(input.subject, content);
  const maxScore = Number.isFinite(policy.maxScore) ? policy.maxScore : DEFAULT_MAX_SCORE;
  if (score >= maxScore) {
    findings.push({
      code: 'SPAM_SCORE',
      message: `The content scores ${score} on the spam check, at or above the limit of ${maxScore} (${reasons.join('; ')}): rewrite the flagged parts and check again.`,
      detail: String(score),
    });
  }

  return { score, findings };
}

/**
 * The content's spam score and the reason for each point, in a fixed order:
 *  - subject all capitals (at least 4 upper-case letters and no lower-case one): +2;
 *  - subject with a run of 3 or more '!' / '$' characters (e.g. "!!!", "$$$", "$!$"): +1;
 *  - each distinct trigger phrase (SPAM_TRIGGER_PHRASES) in the subject or either body
 *    (visible text of the HTML): +1;
 *  - HTML images with no visible text at all: +3; otherwise HTML with images but less than
 *    100 characters of visible text (whitespace collapsed) per image: +2 (the two exclude
 *    each other).
 */
export function spamScore(input: ScreeningInput): { score: number; reasons: string[] } {
  return scoreContent(input.subject, analyse(input));
}

function scoreContent(subject: string, content: Content): { score: number; reasons: string[] } {
  let score = 0;
  const reasons: string[] = [];
  const add = (points: number, reason: string) => {
    score += points;
    reasons.push(`${reason} (+${points})`);
  };

  const upper = countMatches(subject, /\p{Lu}/gu);
  if (upper >= 4 && !/\p{Ll}/u.test(subject)) add(2, 'the subject is all capitals');
  if (/[!$]{3}/.test(subject)) add(1, 'the subject has a run of "!" or "$"');

  const haystacks = [subject, content.html?.visibleText ?? '', content.text ?? ''].map(phraseForm);
  for (const phrase of SPAM_TRIGGER_PHRASES) {
    const needle = phraseForm(phrase);
    if (haystacks.some((h) => h.includes(needle))) add(1, `trigger phrase "${phrase}"`);
  }

  if (content.html && content.html.images > 0) {
    const { images } = content.html;
    const textLength = collapse(content.html.visibleText).length;
    if (textLength === 0) add(3, 'the HTML body has images but no text');
    else if (textLength < 100 * images) {
      add(
        2,
        `the HTML body has ${images} image${images === 1 ? '' : 's'} but only ${textLength} characters of text`,
      );
    }
  }
  return { score, reasons };
}

function unverifiedMessage(fromEmail: string, domain: string, verified: string[]): string {
  if (domain === '') {
    return `The sender address "${fromEmail}" has no domain: send from an address on a verified domain.`;
  }
  const parent = verified.find((d) => domain.endsWith(`.${d}`));
  const options = verified.length ? ` on a verified domain (${verified.join(', ')})` : '';
  return parent
    ? `The sender domain ${domain} is not verified (only ${parent} is; subdomains must be verified separately): send from an address${options} or verify ${domain} first.`
    : `The sender domain ${domain} is not verified for your organisation: send from an address${options} or verify ${domain} first.`;
}

// ---------------------------------------------------------------------------------------------
// Content analysis

interface HtmlContent {
  /** Visible text, entities decoded, block tags read as a space; whitespace not collapsed. */
  visibleText: string;
  /** Entity-decoded `href` values. */
  hrefs: string[];
  /** Number of <img> elements. */
  images: number;
}

interface Content {
  /** null when the HTML body is absent or blank. */
  html: HtmlContent | null;
  /** null when the text body is absent or blank. */
  text: string | null;
  /** Distinct hosts of every http(s) link in either body. */
  linkHosts: Set<string>;
}

function analyse(input: ScreeningInput): Content {
  const htmlBody = present(input.htmlBody);
  const text = present(input.textBody);
  const linkHosts = new Set<string>();
  let html: HtmlContent | null = null;
  if (htmlBody !== null) {
    const scan = scanHtml(htmlBody);
    html = { visibleText: scan.visibleText, hrefs: scan.hrefs, images: scan.images };
    for (const value of scan.linkValues) {
      const host = attributeLinkHost(value);
      if (host !== null) linkHosts.add(host);
    }
    bareLinkHosts(decodeEntities(htmlBody), linkHosts);
  }
  if (text !== null) bareLinkHosts(text, linkHosts);
  return { html, text, linkHosts };
}

const present = (body: string | null): string | null => (body === null || body.trim() === '' ? null : body);

/** Lower-case with runs of whitespace (including no-break spaces) as one space, trimmed. */
const collapse = (s: string): string => s.toLowerCase().replace(/\s+/g, ' ').trim();

/** Lower-case, every run of characters other than letters, digits and '%' as one space, padded. */
const phraseForm = (s: string): string => ` ${s.toLowerCase().replace(/[^\p{L}\p{N}%]+/gu, ' ')} `;

/** Lower-case, trimmed, without trailing dots (a loop: /\.+$/ would be quadratic on long runs of dots). */
function normaliseHost(s: string): string {
  const t = s.trim().toLowerCase();
  let end = t.length;
  while (end > 0 && t.charCodeAt(end - 1) === 46 /* . */) end--;
  return t.slice(0, end);
}

/** A value quoted in a message, cut to a readable length. */
const shorten = (s: string): string => (s.length > 200 ? `${s.slice(0, 200)}…` : s);

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function countMatches(s: string, re: RegExp): number {
  let n = 0;
  re.lastIndex = 0;
  while (re.exec(s) !== null) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------
// HTML scanning: one forward pass; every step advances, so the work is linear in the input.

/** Elements that break the text flow: read as a space so "Street<br>Town" is "Street Town". */
const BLOCK_TAGS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'br',
  'center',
  'dd',
  'div',
  'dl',
  'dt',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'html',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
]);

/** Elements whose content is not visible text; skipped up to their end tag. */
const HIDDEN_CONTENT = new Map(
  ['script', 'style', 'title', 'template', 'noscript'].map((t) => [t, new RegExp(`</${t}`, 'gi')]),
);

interface HtmlScan {
  visibleText: string;
  hrefs: string[];
  /** Entity-decoded href and src values. */
  linkValues: string[];
  images: number;
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isNameChar = (c: number): boolean =>
  isLetter(c) || (c >= 48 && c <= 57) || c === 45 /* - */ || c === 58 /* : */ || c === 95; /* _ */

const GT = 62; // >
const SLASH = 47;
const EQUALS = 61;
const BANG = 33;
const QUESTION = 63;

function scanHtml(html: string): HtmlScan {
  const n = html.length;
  const text: string[] = [];
  const hrefs: string[] = [];
  const linkValues: string[] = [];
  let images = 0;
  let i = 0;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      text.push(html.slice(i));
      break;
    }
    if (lt > i) text.push(html.slice(i, lt));
    const next = html.charCodeAt(lt + 1);
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end === -1 ? n : end + 3;
      continue;
    }
    if (next === BANG || next === QUESTION) {
      // <!DOCTYPE …>, <![CDATA[…]>, <?xml …?>
      const end = html.indexOf('>', lt + 2);
      i = end === -1 ? n : end + 1;
      continue;
    }
    const closing = next === SLASH;
    const nameStart = lt + (closing ? 2 : 1);
    if (!isLetter(html.charCodeAt(nameStart))) {
      // "a < b": a literal '<'
      text.push('<');
      i = lt + 1;
      continue;
    }
    let k = nameStart + 1;
    while (k < n && isNameChar(html.charCodeAt(k))) k++;
    const name = html.slice(nameStart, k).toLowerCase();

    // Attributes, up to the closing '>' (a '>' inside a quoted value does not close the tag).
    while (k < n) {
      const c = html.charCodeAt(k);
      if (c === GT) {
        k++;
        break;
      }
      if (isSpace(c) || c === SLASH) {
        k++;
        continue;
      }
      const attrStart = k;
      k++; // an attribute name has at least one character, even '='
      while (k < n) {
        const d = html.charCodeAt(k);
        if (isSpace(d) || d === EQUALS || d === GT || d === SLASH) break;
        k++;
      }
      const attr = html.slice(attrStart, k).toLowerCase();
      let p = k;
      while (p < n && isSpace(html.charCodeAt(p))) p++;
      if (html.charCodeAt(p) !== EQUALS) {
        k = p;
        continue;
      }
      p++;
      while (p < n && isSpace(html.charCodeAt(p))) p++;
      const quote = html[p];
      let value: string;
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, p + 1);
        value = html.slice(p + 1, close === -1 ? n : close);
        k = close === -1 ? n : close + 1;
      } else {
        let e = p;
        while (e < n && !isSpace(html.charCodeAt(e)) && html.charCodeAt(e) !== GT) e++;
        value = html.slice(p, e);
        k = e;
      }
      if (!closing && (attr === 'href' || attr === 'src')) {
        const decoded = decodeEntities(value);
        linkValues.push(decoded);
        if (attr === 'href') hrefs.push(decoded);
      }
    }
    i = k; // an unterminated tag runs to the end, as in a browser

    if (!closing && name === 'img') images++;
    if (BLOCK_TAGS.has(name)) text.push(' ');
    const endTag = closing ? undefined : HIDDEN_CONTENT.get(name);
    if (endTag) {
      endTag.lastIndex = i;
      const end = endTag.exec(html);
      i = end === null ? n : end.index;
    }
  }
  return { visibleText: decodeEntities(text.join('')), hrefs, linkValues, images };
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
  shy: '',
  zwnj: '',
  zwj: '',
  copy: '\u00a9',
  reg: '\u00ae',
  trade: '\u2122',
  ndash: '\u2013',
  mdash: '\u2014',
  hellip: '\u2026',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
  laquo: '\u00ab',
  raquo: '\u00bb',
  bull: '\u2022',
  middot: '\u00b7',
  deg: '\u00b0',
  sect: '\u00a7',
  euro: '\u20ac',
  pound: '\u00a3',
  yen: '\u00a5',
  cent: '\u00a2',
  num: '#',
  percnt: '%',
  commat: '@',
  sol: '/',
  colon: ':',
  period: '.',
  comma: ',',
  auml: '\u00e4',
  ouml: '\u00f6',
  uuml: '\u00fc',
  Auml: '\u00c4',
  Ouml: '\u00d6',
  Uuml: '\u00dc',
  szlig: '\u00df',
  aacute: '\u00e1',
  eacute: '\u00e9',
  iacute: '\u00ed',
  oacute: '\u00f3',
  uacute: '\u00fa',
  Eacute: '\u00c9',
  agrave: '\u00e0',
  egrave: '\u00e8',
  ecirc: '\u00ea',
  ccedil: '\u00e7',
  ntilde: '\u00f1',
  oslash: '\u00f8',
  aring: '\u00e5',
};

/** Bounded repetition: at most ~33 characters are examined per '&'. */
const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/g;

/** Decodes numeric character references and the common named entities; unknown ones are kept. */
function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (whole, dec: string | undefined, hex: string | undefined, named?: string) => {
    if (named !== undefined) return Object.hasOwn(NAMED_ENTITIES, named) ? NAMED_ENTITIES[named] : whole;
    const cp = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16);
    if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
    return String.fromCodePoint(cp);
  });
}

// ---------------------------------------------------------------------------------------------
// Links

/** Characters that end a URL's authority (host and port) in running text, besides whitespace. */
const AUTHORITY_END = new Set('/?#\\"\'<>`(){}|^!*,;');

/** Adds the host of every http:// or https:// URL in `s`. */
function bareLinkHosts(s: string, into: Set<string>): void {
  const scheme = /https?:\/\//gi;
  for (let m = scheme.exec(s); m !== null; m = scheme.exec(s)) {
    let e = scheme.lastIndex;
    while (e < s.length && !AUTHORITY_END.has(s[e]) && s[e].trim() !== '') e++;
    const host = hostOf(s.slice(scheme.lastIndex, e));
    if (host !== null) into.add(host);
  }
}

/** The host an href/src value leads to when it is an http(s) link (absolute or protocol-relative). */
function attributeLinkHost(value: string): string | null {
  const v = value.trim();
  let url: URL;
  try {
    url = new URL(/^[/\\]{2}/.test(v) ? `https:${v}` : v);
  } catch {
    return null; // relative, or not a URL
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const host = normaliseHost(url.hostname);
  return host === '' ? null : host;
}

/** The host of an authority ("user@host:port"), as the WHATWG URL parser resolves it. */
function hostOf(authority: string): string | null {
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  if (hostPort === '') return null;
  try {
    const host = normaliseHost(new URL(`http://${hostPort}/`).hostname);
    return host === '' ? null : host;
  } catch {
    // Unparseable (e.g. "999.1.1.1" or a bad port): keep the written host, without a port.
    const raw = hostPort.startsWith('[')
      ? hostPort.slice(0, hostPort.indexOf(']') + 1)
      : hostPort.split(':')[0];
    const host = normaliseHost(raw);
    return host === '' ? null : host;
  }
}

/** IPv4 (the URL parser canonicalises 0x7f.1, 2130706433, … to dotted decimal) or IPv6 ("[…]"). */
const isIpLiteral = (host: string): boolean => host.startsWith('[') || /^[0-9.]+$/.test(host);

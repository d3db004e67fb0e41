/** The benchmark query in each implementation's dialect, and how to read its answer. */

/** Our API: first 20 companies (default order: createdAt ascending), their first 10 contacts and deals with their stage. */
export const OURS_QUERY = `{
  companies(first: 20) {
    nodes {
      id
      name
      contacts(first: 10) { totalCount nodes { id firstName lastName primaryEmail } }
      deals(first: 10) { nodes { id name amount stage { name } } }
    }
  }
}`;

/**
 * PostGraphile v4's generated names for the same selection. The conditions and explicit orders
 * make it the same query as ours: this organisation's rows only, soft-deleted ones left out,
 * ordered by created_at then id. Contacts have no primaryEmail column: `emails` (an array whose
 * first element is the primary address) stands in for it.
 */
export const POSTGRAPHILE_QUERY = `query Bench($org: UUID!) {
  allCompanies(first: 20, orderBy: [CREATED_AT_ASC, ID_ASC], condition: { organizationId: $org, deletedAt: null }) {
    nodes {
      id
      name
      contactsByCompanyId(first: 10, orderBy: [CREATED_AT_ASC, ID_ASC], condition: { organizationId: $org, deletedAt: null }) {
        totalCount
        nodes { id firstName lastName emails }
      }
      dealsByCompanyId(first: 10, orderBy: [CREATED_AT_ASC, ID_ASC], condition: { organizationId: $org, deletedAt: null }) {
        nodes { id name amount stageByStageId { name } }
      }
    }
  }
}`;

/** PostGraphile 5 (amber preset): the primary key is `rowId` there (`id` is the Node id). */
export const POSTGRAPHILE5_QUERY = POSTGRAPHILE_QUERY.replace(/ID_ASC/g, 'ROW_ID_ASC').replace(
  /\bid\b(?=\s)/g,
  'id: rowId',
);

/** The shape every implementation must return, to compare them. */
export interface Shape {
  companies: number;
  contactsPerCompany: number[];
  contactTotals: number[];
  dealsPerCompany: number[];
  /** Deals per company whose stage name came back. */
  stagedDealsPerCompany: number[];
}

interface Connection {
  totalCount?: number;
  nodes?: unknown[];
}
interface CompanyLike {
  id?: unknown;
  contacts?: Connection;
  deals?: Connection;
  contactsByCompanyId?: Connection;
  dealsByCompanyId?: Connection;
}

/** The companies list of a parsed response (any of the three dialects), or null. */
function companiesOf(body: unknown): CompanyLike[] | null {
  if (typeof body !== 'object' || body === null) return null;
  const { data, errors } = body as {
    data?: Record<string, { nodes?: unknown } | null> | null;
    errors?: unknown;
  };
  if (errors !== undefined || !data) return null;
  const list = (data.companies ?? data.allCompanies)?.nodes;
  return Array.isArray(list) ? (list as CompanyLike[]) : null;
}

/** Null if the response is a complete answer, else what is wrong with it. */
export function checkResponse(status: number, text: string): string | null {
  if (status !== 200) return `HTTP ${status}: ${text.slice(0, 300)}`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `not JSON: ${text.slice(0, 300)}`;
  }
  const list = companiesOf(body);
  if (!list) return `no data or errors present: ${text.slice(0, 300)}`;
  if (list.length !== 20) return `${list.length} companies instead of 20`;
  return null;
}

export function shapeOf(text: string): Shape {
  const list = companiesOf(JSON.parse(text)) ?? [];
  const contacts = (c: CompanyLike) => c.contacts ?? c.contactsByCompanyId;
  const deals = (c: CompanyLike) => c.deals ?? c.dealsByCompanyId;
  return {
    companies: list.length,
    contactsPerCompany: list.map((c) => contacts(c)?.nodes?.length ?? -1),
    contactTotals: list.map((c) => contacts(c)?.totalCount ?? -1),
    dealsPerCompany: list.map((c) => deals(c)?.nodes?.length ?? -1),
    stagedDealsPerCompany: list.map(
      (c) =>
        (
          (deals(c)?.nodes ?? []) as { stage?: { name?: unknown }; stageByStageId?: { name?: unknown } }[]
        ).filter((d) => typeof (d.stage ?? d.stageByStageId)?.name === 'string').length,
    ),
  };
}

/** Company names in order, to check that every implementation returns the same rows. */
export function namesOf(text: string): string[] {
  return (companiesOf(JSON.parse(text)) ?? []).map((c) => String((c as { name?: unknown }).name));
}

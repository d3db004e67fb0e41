/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "subscription CallStatus($callId: ID) {\n  callStatusChanged(callId: $callId) {\n    id\n    status\n    direction\n    fromNumber\n    toNumber\n    startedAt\n    answeredAt\n    endedAt\n    duration\n  }\n}": typeof types.CallStatusDocument,
    "query DashboardOverview($companies: Int = 10, $contactsPerCompany: Int = 5) {\n  viewer {\n    organization {\n      id\n      name\n      plan\n    }\n    user {\n      id\n      name\n      email\n      role\n    }\n    apiKey {\n      name\n      scopes\n    }\n  }\n  companies(\n    first: $companies\n    orderBy: [{field: EMPLOYEES, direction: DESC, nulls: LAST}]\n  ) {\n    totalCount\n    nodes {\n      id\n      name\n      domain\n      industry\n      employees\n      tags\n      contacts(\n        first: $contactsPerCompany\n        orderBy: [{field: UPDATED_AT, direction: DESC}]\n      ) {\n        totalCount\n        nodes {\n          id\n          name\n          primaryEmail\n          lifecycleStage\n          updatedAt\n        }\n      }\n    }\n  }\n}": typeof types.DashboardOverviewDocument,
    "fragment CompanySummary on Company {\n  id\n  name\n  domain\n}\n\nfragment ContactListItem on Contact {\n  id\n  name\n  primaryEmail\n  jobTitle\n  lifecycleStage\n  emailStatus\n  tags\n  updatedAt\n  company {\n    ...CompanySummary\n  }\n}": typeof types.CompanySummaryFragmentDoc,
    "query ContactsList($first: Int = 20, $after: String, $filter: ContactFilter, $orderBy: [ContactOrder!]) {\n  contacts(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...ContactListItem\n      }\n    }\n  }\n}": typeof types.ContactsListDocument,
    "mutation CreateContact($input: CreateContactInput!) {\n  createContact(input: $input) {\n    contact {\n      ...ContactListItem\n      firstName\n      lastName\n      emails\n      phones\n      customFields\n      createdAt\n    }\n  }\n}": typeof types.CreateContactDocument,
    "query PartnerContact($id: ID!) {\n  contact(id: $id) {\n    id\n    firstName\n    lastName\n    emails\n    phones\n    lifecycleStage\n    emailStatus\n    tags\n    customFields\n    deletedAt\n    updatedAt\n    company {\n      id\n      name\n    }\n  }\n}": typeof types.PartnerContactDocument,
    "mutation PartnerUpdateContact($input: UpdateContactInput!) {\n  updateContact(input: $input) {\n    contact {\n      id\n      firstName\n      lastName\n      jobTitle\n      lifecycleStage\n      tags\n      customFields\n      updatedAt\n    }\n  }\n}": typeof types.PartnerUpdateContactDocument,
};
const documents: Documents = {
    "subscription CallStatus($callId: ID) {\n  callStatusChanged(callId: $callId) {\n    id\n    status\n    direction\n    fromNumber\n    toNumber\n    startedAt\n    answeredAt\n    endedAt\n    duration\n  }\n}": types.CallStatusDocument,
    "query DashboardOverview($companies: Int = 10, $contactsPerCompany: Int = 5) {\n  viewer {\n    organization {\n      id\n      name\n      plan\n    }\n    user {\n      id\n      name\n      email\n      role\n    }\n    apiKey {\n      name\n      scopes\n    }\n  }\n  companies(\n    first: $companies\n    orderBy: [{field: EMPLOYEES, direction: DESC, nulls: LAST}]\n  ) {\n    totalCount\n    nodes {\n      id\n      name\n      domain\n      industry\n      employees\n      tags\n      contacts(\n        first: $contactsPerCompany\n        orderBy: [{field: UPDATED_AT, direction: DESC}]\n      ) {\n        totalCount\n        nodes {\n          id\n          name\n          primaryEmail\n          lifecycleStage\n          updatedAt\n        }\n      }\n    }\n  }\n}": types.DashboardOverviewDocument,
    "fragment CompanySummary on Company {\n  id\n  name\n  domain\n}\n\nfragment ContactListItem on Contact {\n  id\n  name\n  primaryEmail\n  jobTitle\n  lifecycleStage\n  emailStatus\n  tags\n  updatedAt\n  company {\n    ...CompanySummary\n  }\n}": types.CompanySummaryFragmentDoc,
    "query ContactsList($first: Int = 20, $after: String, $filter: ContactFilter, $orderBy: [ContactOrder!]) {\n  contacts(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...ContactListItem\n      }\n    }\n  }\n}": types.ContactsListDocument,
    "mutation CreateContact($input: CreateContactInput!) {\n  createContact(input: $input) {\n    contact {\n      ...ContactListItem\n      firstName\n      lastName\n      emails\n      phones\n      customFields\n      createdAt\n    }\n  }\n}": types.CreateContactDocument,
    "query PartnerContact($id: ID!) {\n  contact(id: $id) {\n    id\n    firstName\n    lastName\n    emails\n    phones\n    lifecycleStage\n    emailStatus\n    tags\n    customFields\n    deletedAt\n    updatedAt\n    company {\n      id\n      name\n    }\n  }\n}": types.PartnerContactDocument,
    "mutation PartnerUpdateContact($input: UpdateContactInput!) {\n  updateContact(input: $input) {\n    contact {\n      id\n      firstName\n      lastName\n      jobTitle\n      lifecycleStage\n      tags\n      customFields\n      updatedAt\n    }\n  }\n}": types.PartnerUpdateContactDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription CallStatus($callId: ID) {\n  callStatusChanged(callId: $callId) {\n    id\n    status\n    direction\n    fromNumber\n    toNumber\n    startedAt\n    answeredAt\n    endedAt\n    duration\n  }\n}"): (typeof documents)["subscription CallStatus($callId: ID) {\n  callStatusChanged(callId: $callId) {\n    id\n    status\n    direction\n    fromNumber\n    toNumber\n    startedAt\n    answeredAt\n    endedAt\n    duration\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DashboardOverview($companies: Int = 10, $contactsPerCompany: Int = 5) {\n  viewer {\n    organization {\n      id\n      name\n      plan\n    }\n    user {\n      id\n      name\n      email\n      role\n    }\n    apiKey {\n      name\n      scopes\n    }\n  }\n  companies(\n    first: $companies\n    orderBy: [{field: EMPLOYEES, direction: DESC, nulls: LAST}]\n  ) {\n    totalCount\n    nodes {\n      id\n      name\n      domain\n      industry\n      employees\n      tags\n      contacts(\n        first: $contactsPerCompany\n        orderBy: [{field: UPDATED_AT, direction: DESC}]\n      ) {\n        totalCount\n        nodes {\n          id\n          name\n          primaryEmail\n          lifecycleStage\n          updatedAt\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query DashboardOverview($companies: Int = 10, $contactsPerCompany: Int = 5) {\n  viewer {\n    organization {\n      id\n      name\n      plan\n    }\n    user {\n      id\n      name\n      email\n      role\n    }\n    apiKey {\n      name\n      scopes\n    }\n  }\n  companies(\n    first: $companies\n    orderBy: [{field: EMPLOYEES, direction: DESC, nulls: LAST}]\n  ) {\n    totalCount\n    nodes {\n      id\n      name\n      domain\n      industry\n      employees\n      tags\n      contacts(\n        first: $contactsPerCompany\n        orderBy: [{field: UPDATED_AT, direction: DESC}]\n      ) {\n        totalCount\n        nodes {\n          id\n          name\n          primaryEmail\n          lifecycleStage\n          updatedAt\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment CompanySummary on Company {\n  id\n  name\n  domain\n}\n\nfragment ContactListItem on Contact {\n  id\n  name\n  primaryEmail\n  jobTitle\n  lifecycleStage\n  emailStatus\n  tags\n  updatedAt\n  company {\n    ...CompanySummary\n  }\n}"): (typeof documents)["fragment CompanySummary on Company {\n  id\n  name\n  domain\n}\n\nfragment ContactListItem on Contact {\n  id\n  name\n  primaryEmail\n  jobTitle\n  lifecycleStage\n  emailStatus\n  tags\n  updatedAt\n  company {\n    ...CompanySummary\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ContactsList($first: Int = 20, $after: String, $filter: ContactFilter, $orderBy: [ContactOrder!]) {\n  contacts(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...ContactListItem\n      }\n    }\n  }\n}"): (typeof documents)["query ContactsList($first: Int = 20, $after: String, $filter: ContactFilter, $orderBy: [ContactOrder!]) {\n  contacts(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...ContactListItem\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateContact($input: CreateContactInput!) {\n  createContact(input: $input) {\n    contact {\n      ...ContactListItem\n      firstName\n      lastName\n      emails\n      phones\n      customFields\n      createdAt\n    }\n  }\n}"): (typeof documents)["mutation CreateContact($input: CreateContactInput!) {\n  createContact(input: $input) {\n    contact {\n      ...ContactListItem\n      firstName\n      lastName\n      emails\n      phones\n      customFields\n      createdAt\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PartnerContact($id: ID!) {\n  contact(id: $id) {\n    id\n    firstName\n    lastName\n    emails\n    phones\n    lifecycleStage\n    emailStatus\n    tags\n    customFields\n    deletedAt\n    updatedAt\n    company {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["query PartnerContact($id: ID!) {\n  contact(id: $id) {\n    id\n    firstName\n    lastName\n    emails\n    phones\n    lifecycleStage\n    emailStatus\n    tags\n    customFields\n    deletedAt\n    updatedAt\n    company {\n      id\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation PartnerUpdateContact($input: UpdateContactInput!) {\n  updateContact(input: $input) {\n    contact {\n      id\n      firstName\n      lastName\n      jobTitle\n      lifecycleStage\n      tags\n      customFields\n      updatedAt\n    }\n  }\n}"): (typeof documents)["mutation PartnerUpdateContact($input: UpdateContactInput!) {\n  updateContact(input: $input) {\n    contact {\n      id\n      firstName\n      lastName\n      jobTitle\n      lifecycleStage\n      tags\n      customFields\n      updatedAt\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;
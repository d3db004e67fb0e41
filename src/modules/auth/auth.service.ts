import type { EntityManager } from '../../platform/db/orm.js';
import { badInput, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/graphql/context.js';
import { fromGlobalId, toGlobalId } from '../../platform/ids.js';
import * as v from '../../platform/validation.js';
import { generateKey } from './api-key.js';
import { runOrganizationSetup, type OrganizationSetup } from './organization-setup.js';
import { ApiKey, ApiKeyScope, Organization, User, UserRole } from './auth.entity.js';
import type {
  ApiKeyNode,
  CreateApiKeyInput,
  OrganizationNode,
  SignUpInput,
  UserNode,
  Viewer,
} from './auth.types.js';

export const toOrganizationNode = (o: Organization): OrganizationNode => ({
  id: toGlobalId('Organization', o.id),
  name: o.name,
  plan: o.plan,
  createdAt: o.createdAt,
});

export const toUserNode = (u: User): UserNode => ({
  id: toGlobalId('User', u.id),
  email: u.email,
  name: u.name ?? null,
  role: u.role,
  phone: u.phone ?? null,
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
  deletedAt: u.deletedAt ?? null,
});

export const toApiKeyNode = (k: ApiKey): ApiKeyNode => ({
  id: toGlobalId('ApiKey', k.id),
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes as ApiKeyScope[],
  persistedOnly: k.persistedOnly,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt ?? null,
  revokedAt: k.revokedAt ?? null,
});

/** Creates a key entity and returns it with the secret, which is never stored. */
function newApiKey(
  organization: string,
  user: string | null,
  name: string,
  scopes: ApiKeyScope[],
  persistedOnly: boolean,
): { entity: ApiKey; key: string } {
  const { key, hash, prefix } = generateKey();
  const entity = new ApiKey();
  Object.assign(entity, { organization, user, name, hash, prefix, scopes, persistedOnly });
  return { entity, key };
}

export async function signUp(
  em: EntityManager,
  input: SignUpInput,
  setups: readonly OrganizationSetup[],
  opts: { demo?: boolean } = {},
) {
  const organization = new Organization();
  organization.name = v.text(input.organizationName, 'input.organizationName', { max: 100 });
  organization.demo = opts.demo ?? false;
  const user = new User();
  user.organization = organization.id;
  user.email = v.email(input.email, 'input.email');
  user.name = v.optionalText(input.name, 'input.name', 100) ?? null;
  user.role = UserRole.ADMIN;
  const { entity: apiKey, key } = newApiKey(
    organization.id,
    user.id,
    'Admin key (sign-up)',
    [ApiKeyScope.ADMIN],
    false,
  );
  // Insert order matters for foreign keys; one transaction so nothing half-exists.
  await em.transactional(async (tx) => {
    tx.persist(organization);
    await tx.flush();
    tx.persist(user);
    await tx.flush();
    tx.persist(apiKey);
    await runOrganizationSetup(tx, organization.id, setups);
  });
  return {
    organization: toOrganizationNode(organization),
    user: toUserNode(user),
    apiKey: toApiKeyNode(apiKey),
    key,
  };
}

export async function mintApiKey(
  em: EntityManager,
  principal: Pick<Principal, 'organizationId' | 'userId'>,
  input: CreateApiKeyInput,
) {
  const name = v.text(input.name, 'input.name', { max: 100 });
  if (input.scopes.length === 0) throw badInput('input.scopes', 'must name at least one scope.');
  const scopes = [...new Set(input.scopes)];
  const { entity, key } = newApiKey(
    principal.organizationId,
    principal.userId,
    name,
    scopes,
    input.persistedOnly,
  );
  await em.persistAndFlush(entity);
  return { apiKey: toApiKeyNode(entity), key };
}

export async function revokeApiKey(em: EntityManager, id: string): Promise<ApiKey> {
  const pk = fromGlobalId(id, 'ApiKey', 'input.id');
  const key = await em.findOne(ApiKey, { id: pk });
  if (!key) throw notFound('ApiKey', id);
  key.revokedAt ??= new Date();
  await em.flush();
  return key;
}

export async function listApiKeys(em: EntityManager): Promise<ApiKeyNode[]> {
  const keys = await em.find(ApiKey, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
  return keys.map(toApiKeyNode);
}

export async function viewer(em: EntityManager, principal: Principal): Promise<Viewer> {
  const [organization, user, apiKey] = await Promise.all([
    em.findOneOrFail(Organization, { id: principal.organizationId }),
    principal.userId ? em.findOne(User, { id: principal.userId }) : null,
    em.findOneOrFail(ApiKey, { id: principal.apiKeyId }),
  ]);
  return {
    organization: toOrganizationNode(organization),
    user: user ? toUserNode(user) : null,
    apiKey: toApiKeyNode(apiKey),
  };
}

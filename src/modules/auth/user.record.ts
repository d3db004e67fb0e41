import { datetime, defineRecord, enumOf, text } from '../../platform/records/index.js';
import * as v from '../../platform/validation.js';
import { defineEnum, type EnumOf } from '../../platform/graphql/enums.js';

export const UserRole = defineEnum('UserRole', 'ADMIN MEMBER');
export type UserRole = EnumOf<typeof UserRole>;

/**
 * A member of an organisation: the one declaration the entity, GraphQL types and read path derive
 * from. Declared here, beside organisations and keys, because sign-up creates the first admin.
 */
export const userRecord = defineRecord({
  typeName: 'User',
  plural: 'users',
  table: 'app_user',
  softDelete: true,
  description: 'A member of the organisation.',
  columns: {
    /** Stored lower-cased: one address, one member. */
    email: text({ order: true, write: { create: 'required', update: false, check: v.email } }),
    name: text({
      nullable: true,
      order: true,
      write: { create: 'optional', check: (x, f) => v.optionalText(x, f, 100) ?? null },
    }),
    role: enumOf(UserRole, 'UserRole', {
      default: () => UserRole.MEMBER,
      write: { create: 'required', defaultValue: UserRole.MEMBER },
    }),
    /** E.164; click-to-call rings this phone first. */
    phone: text({
      nullable: true,
      filter: false,
      description: 'E.164; click-to-call rings it first.',
      write: { create: 'optional', check: (x, f) => (x ? v.phone(x, f) : null) },
    }),
    updatedAt: datetime({ filter: false }),
    /** Deactivated members keep their records but cannot own new ones. */
    deletedAt: datetime({
      nullable: true,
      filter: false,
      description: 'Set when the member is deactivated.',
    }),
  },
  defaultOrder: [{ field: 'CREATED_AT', direction: 'ASC' }],
  uniques: [['organization', 'email']],
  texts: { includeDeleted: 'Include deactivated members (admin keys only).' },
});

import { defineEnum, type EnumOf } from '../../platform/graphql/enums.js';
import {
  boolean,
  datetime,
  decimal,
  defineRecord,
  enumOf,
  refOf,
  text,
  toOne,
} from '../../platform/records/index.js';
import { complianceRecord } from './compliance.record.js';
import { PhoneNumberType } from './number-type.js';

export const PhoneNumberStatus = defineEnum('PhoneNumberStatus', 'ACTIVE RELEASED', {
  description: 'ACTIVE: rented, calls can be placed from it. RELEASED: given back to the provider.',
});
export type PhoneNumberStatus = EnumOf<typeof PhoneNumberStatus>;

/**
 * A number the organisation rents through the telephony provider (`rentPhoneNumber`); calls are
 * placed from it. Released numbers stay listed with their release time; only ACTIVE ones count
 * against the plan's phone numbers.
 */
export const phoneNumberRecord = defineRecord({
  typeName: 'PhoneNumber',
  plural: 'phoneNumbers',
  table: 'phone_number',
  softDelete: false,
  description: 'A number rented through the telephony provider.',
  columns: {
    number: text({ order: true, description: 'E.164.' }),
    country: text({ order: true, description: 'ISO 3166-1 alpha-2 country code.' }),
    numberType: enumOf(PhoneNumberType, 'PhoneNumberType'),
    status: enumOf(PhoneNumberStatus, 'PhoneNumberStatus', {
      default: () => PhoneNumberStatus.ACTIVE,
      dbDefault: PhoneNumberStatus.ACTIVE,
    }),
    monthlyRentalRate: decimal({
      nullable: true,
      filter: false,
      description: 'Monthly rent in USD as the provider quoted it (decimal string).',
    }),
    voiceEnabled: boolean({ default: () => true, dbDefault: true }),
    smsEnabled: boolean({ default: () => false, dbDefault: false }),
    releasedAt: datetime({ nullable: true, order: true }),
    /** PLIVO or SIMULATED: where the number was rented (a simulated number is never dialled out). */
    provider: text({ filter: false, node: false }),
    updatedAt: datetime({ order: true, filter: false }),
  },
  relations: {
    complianceApplication: toOne(() => refOf(complianceRecord), {
      nullable: true,
      description: 'The approved application the number was rented under (regulated countries).',
    }),
  },
  defaultOrder: [{ field: 'CREATED_AT', direction: 'DESC' }],
  indexes: [['createdAt'], ['number']],
});

import { defineEnum, type EnumOf } from '../../platform/graphql/enums.js';

export const PhoneNumberType = defineEnum('PhoneNumberType', 'LOCAL MOBILE TOLL_FREE NATIONAL', {
  description: "A number's kind, as the telephony provider sells it.",
});
export type PhoneNumberType = EnumOf<typeof PhoneNumberType>;

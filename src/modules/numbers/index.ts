import type { AppModule } from '../../modules.js';
import { complianceRecord } from './compliance.record.js';
import { ComplianceDocument } from './numbers.entity.js';
import { ComplianceResolver, PhoneNumberResolver } from './numbers.resolver.js';
import { phoneNumberRecord } from './phone-number.record.js';

/** Phone numbers rented through the telephony provider and the compliance applications some need. */
export const numbersModule: AppModule = {
  name: 'numbers',
  uses: ['auth'],
  resolvers: [PhoneNumberResolver, ComplianceResolver],
  records: [complianceRecord, phoneNumberRecord],
  entities: [ComplianceDocument],
};

/** What other modules may use of this one. */
export * from './phone-number.record.js';
export * from './number-type.js';
export { phoneNumberList, PhoneNumber, type PhoneNumberRow } from './numbers.entity.js';
export {
  activeNumbers,
  requireTelephony,
  telephonyFailure,
  type NumbersDeps,
  type PlanLimits,
} from './numbers.service.js';
export {
  PlivoTelephony,
  SimulatedTelephony,
  TelephonyError,
  type CallEvent,
  type Telephony,
} from './telephony.js';

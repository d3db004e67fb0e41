import type { AppModule } from '../../modules.js';
import { CustomFieldDefinition } from './custom-field.entity.js';
import { CustomFieldResolver } from './custom-field.resolver.js';

/** Custom field definitions and the validation of their values. */
export const customFieldsModule: AppModule = {
  name: 'custom-fields',
  uses: ['auth'],
  entities: [CustomFieldDefinition],
  resolvers: [CustomFieldResolver],
};

/** What other modules may use of this one. */
export * from './custom-field.service.js';
export * from './custom-field.entity.js';

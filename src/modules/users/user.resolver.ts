import { recordResolver } from '../../platform/records/index.js';
import { userRecord } from '../auth/index.js';
import { userService } from './user.service.js';

/** Members: list, by id, invite, edit, deactivate and restore, all uniform; writes need an admin key. */
export const UserResolver = recordResolver(userRecord, {
  service: userService,
  writeScope: 'admin',
  deletePayload: 'record',
  texts: {
    list: 'Members of the organisation.',
    delete: 'Deactivates a member; their records keep them as owner.',
  },
});

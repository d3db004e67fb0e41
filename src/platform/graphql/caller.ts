import { createParameterDecorator } from 'type-graphql';
import { requireScope, type Principal, type RequestContext } from './context.js';

/**
 * The authenticated caller, as a resolver parameter (`@Caller() caller: Principal`): the
 * method's `@Authorized(…)` has already checked the scopes, so this only names who calls.
 */
export function Caller() {
  return createParameterDecorator<RequestContext>(({ context }): Principal => requireScope(context, null));
}

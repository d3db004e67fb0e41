import { Field, ID, InterfaceType } from 'type-graphql';
import { parseGlobalId } from '../ids.js';

/** Relay's Node: every object with a global id. The type is read from the id itself. */
@InterfaceType('Node', {
  resolveType: (value: { id: string }) => parseGlobalId(value.id)?.type,
  description: 'An object with a globally unique, opaque id (Relay).',
})
export abstract class NodeInterface {
  @Field(() => ID)
  id!: string;
}

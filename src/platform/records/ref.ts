import { recordTypes } from './graphql.js';
import type { RecordDeclaration, RecordRef } from './record.js';

const refs = new WeakMap<RecordDeclaration, RecordRef>();

/** A declared record as the target of relations. */
export function refOf(decl: RecordDeclaration, refName?: string): RecordRef {
  let ref = refs.get(decl);
  if (!ref) {
    ref = {
      typeName: decl.typeName,
      entityName: decl.typeName,
      list: decl.list,
      node: () => recordTypes(decl).node,
      filterInput: () => recordTypes(decl).filter,
      refName,
    };
    refs.set(decl, ref);
  }
  return ref;
}

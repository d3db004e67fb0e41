import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/** Names of the fields selected in `set`, fragments expanded (aliases ignored). */
function fieldsOf(set: SelectionSetNode, info: GraphQLResolveInfo, out: FieldNode[] = []): FieldNode[] {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) out.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) fieldsOf(sel.selectionSet, info, out);
    else {
      const fragment = info.fragments[sel.name.value];
      if (fragment) fieldsOf(fragment.selectionSet, info, out);
    }
  }
  return out;
}

/**
 * The fields a client selected on the nodes of the connection being resolved
 * (`nodes { … }` and `edges { node { … } }`), so that lists read only the columns they need.
 */
export function connectionNodeFields(info: GraphQLResolveInfo): Set<string> {
  const names = new Set<string>();
  const collect = (set: SelectionSetNode | undefined) => {
    if (set) for (const f of fieldsOf(set, info)) names.add(f.name.value);
  };
  for (const node of info.fieldNodes) {
    if (!node.selectionSet) continue;
    for (const f of fieldsOf(node.selectionSet, info)) {
      if (f.name.value === 'nodes') collect(f.selectionSet);
      else if (f.name.value === 'edges' && f.selectionSet) {
        for (const e of fieldsOf(f.selectionSet, info)) if (e.name.value === 'node') collect(e.selectionSet);
      }
    }
  }
  return names;
}

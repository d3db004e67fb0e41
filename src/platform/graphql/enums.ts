import { registerEnumType } from 'type-graphql';

/** The names of a space-separated list, as a union: `Words<'A B'>` is `'A' | 'B'`. */
type Words<S extends string> = S extends `${infer Head} ${infer Tail}` ? Head | Words<Tail> : S;

/** The value type of an enum made by `defineEnum`. */
export type EnumOf<E extends object> = E[keyof E];

/**
 * A GraphQL enum whose values are their own names, declared in one line: a frozen object
 * (`Status.SENT === 'SENT'`) registered with type-graphql under `name`.
 */
export function defineEnum<const S extends string>(
  name: string,
  values: S,
  opts: { description?: string } = {},
): { readonly [K in Words<S>]: K } {
  const entries = values.split(' ').map((v) => [v, v]);
  const enumObject = Object.freeze(Object.fromEntries(entries)) as { readonly [K in Words<S>]: K };
  registerEnumType(enumObject, { name, description: opts.description });
  return enumObject;
}

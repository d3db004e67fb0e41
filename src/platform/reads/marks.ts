import type { RecordDeclaration } from '../records/record.js';
import type { ToMany } from '../records/relations.js';

/** Marks a resolver class with the uniform reads it adds (recordResolver and applyToMany set it). */
export const UNIFORM_READS = Symbol('workpex.uniformReads');

export type UniformReads =
  { kind: 'record'; decl: RecordDeclaration; queries: boolean } | { kind: 'toMany'; relation: ToMany };

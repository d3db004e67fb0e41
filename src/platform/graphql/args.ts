import { ArgsType, Field, Int } from 'type-graphql';

/** Relay paging arguments shared by every list. */
@ArgsType()
export class PageArgsBase {
  @Field(() => Int, {
    nullable: true,
    description: 'Page size from the start or after `after` (max 100, default 20).',
  })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: 'Page size from the end or before `before` (max 100).' })
  last?: number | null;

  @Field(() => String, { nullable: true })
  before?: string | null;
}

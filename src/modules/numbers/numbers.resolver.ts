import {
  Arg,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { Caller } from '../../platform/graphql/caller.js';
import type { Principal, RequestContext } from '../../platform/graphql/context.js';
import { freshRow } from '../../platform/graphql/lists.js';
import { DateTime } from '../../platform/graphql/types.js';
import { fromGlobalId, toGlobalId } from '../../platform/ids.js';
import { recordResolver, recordTypes, recordWriteTypes } from '../../platform/records/index.js';
import { complianceRecord, countryCode, EndUserType } from './compliance.record.js';
import { complianceRule, ComplianceDocumentType, requirementsOf } from './compliance-rules.js';
import {
  ComplianceApplication,
  ComplianceDocument,
  complianceList,
  phoneNumberList,
  type ComplianceRow,
  type PhoneNumberRow,
} from './numbers.entity.js';
import {
  addDocument,
  complianceService,
  missingOf,
  refreshDecision,
  releaseNumber,
  removeDocument,
  rentNumber,
  requireTelephony,
  searchNumbers,
  submitApplication,
  type NumbersDeps,
} from './numbers.service.js';
import { PhoneNumberType } from './number-type.js';
import { phoneNumberRecord } from './phone-number.record.js';
import { notFound } from '../../platform/errors.js';

const { node: PhoneNumberNode } = recordTypes(phoneNumberRecord);
const { payload: PhoneNumberPayload, idInput: PhoneNumberIdInput } = recordWriteTypes(phoneNumberRecord);
const { node: ComplianceNode } = recordTypes(complianceRecord);
const { payload: CompliancePayload, idInput: ComplianceIdInput } = recordWriteTypes(complianceRecord);

@ObjectType({ description: 'A number the telephony provider offers for rent.' })
export class AvailablePhoneNumber {
  @Field({ description: 'E.164.' })
  number!: string;

  @Field({ description: 'ISO 3166-1 alpha-2.' })
  country!: string;

  @Field(() => PhoneNumberType)
  numberType!: PhoneNumberType;

  @Field(() => String, { nullable: true, description: 'Monthly rent in USD (decimal string).' })
  monthlyRentalRate!: string | null;

  @Field()
  voiceEnabled!: boolean;

  @Field()
  smsEnabled!: boolean;

  @Field(() => String, { nullable: true })
  region!: string | null;

  @Field({
    description:
      'Renting it needs an APPROVED compliance application for its country and type (see complianceRequirements).',
  })
  complianceRequired!: boolean;
}

@InputType()
export class RentPhoneNumberInput {
  @Field({ description: 'E.164, as searchPhoneNumbers returned it.' })
  number!: string;

  @Field(() => PhoneNumberType)
  numberType!: PhoneNumberType;
}

@ObjectType({ description: 'What renting numbers of one country and type needs.' })
export class ComplianceRequirements {
  @Field()
  country!: string;

  @Field(() => PhoneNumberType)
  numberType!: PhoneNumberType;

  @Field(() => EndUserType)
  endUserType!: EndUserType;

  @Field({ description: 'False: numbers there can be rented without an application.' })
  required!: boolean;

  @Field(() => [String], { description: 'ComplianceApplication fields that must be filled in.' })
  details!: string[];

  @Field(() => [ComplianceDocumentType])
  documents!: ComplianceDocumentType[];

  @Field({ description: "The address must be in the numbers' country." })
  localAddress!: boolean;

  @Field({ description: 'Only businesses may rent there.' })
  businessOnly!: boolean;
}

@ObjectType({ description: 'A document of a compliance application (its content is never returned).' })
export class ComplianceDocumentInfo {
  @Field(() => ID, { description: 'For removeComplianceDocument.' })
  id!: string;

  @Field(() => ComplianceDocumentType)
  type!: ComplianceDocumentType;

  @Field()
  fileName!: string;

  @Field()
  contentType!: string;

  @Field(() => Int, { description: 'Bytes.' })
  size!: number;

  @Field({ description: 'Hex SHA-256 of the content.' })
  sha256!: string;

  @Field(() => DateTime)
  createdAt!: Date;
}

@InputType({ description: 'A PDF, PNG or JPEG of at most 512 KiB, base64-encoded.' })
export class AddComplianceDocumentInput {
  @Field(() => ID)
  applicationId!: string;

  @Field(() => ComplianceDocumentType)
  type!: ComplianceDocumentType;

  @Field()
  fileName!: string;

  @Field({ description: 'application/pdf, image/png or image/jpeg.' })
  contentType!: string;

  @Field()
  contentBase64!: string;
}

@InputType()
export class RemoveComplianceDocumentInput {
  @Field(() => ID)
  id!: string;
}

/** Rented numbers (CONTRACT §8): search, rent, release; `phoneNumbers` and `phoneNumber` are uniform. */
@Resolver(() => PhoneNumberNode)
export class PhoneNumberResolver extends recordResolver(phoneNumberRecord, {
  texts: { list: 'Numbers rented through the telephony provider, released ones included.' },
}) {
  constructor(private readonly deps: NumbersDeps) {
    super();
  }

  @Authorized('read')
  @Query(() => [AvailablePhoneNumber], {
    description:
      'Numbers the telephony provider offers for rent in a country (ISO 3166-1 alpha-2), of a type, optionally matching digits (at most 50).',
  })
  searchPhoneNumbers(
    @Arg('country') country: string,
    @Arg('numberType', () => PhoneNumberType, { defaultValue: PhoneNumberType.LOCAL })
    numberType: PhoneNumberType,
    @Arg('pattern', () => String, {
      nullable: true,
      description: 'Digits the number starts with or contains.',
    })
    pattern: string | null,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
  ): Promise<AvailablePhoneNumber[]> {
    return searchNumbers(requireTelephony(this.deps), { country, numberType, pattern, first });
  }

  @Authorized('admin')
  @Mutation(() => PhoneNumberPayload, {
    description:
      "Rents a number the provider offers, within the plan's phone numbers; regulated countries need an APPROVED compliance application (COMPLIANCE_INFO_REQUIRED names what is missing).",
  })
  async rentPhoneNumber(
    @Arg('input') input: RentPhoneNumberInput,
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ): Promise<{ phoneNumber: PhoneNumberRow }> {
    const limits = await this.deps.planLimits?.(caller.plan);
    const row = await rentNumber(
      ctx.em,
      requireTelephony(this.deps),
      caller.organizationId,
      limits?.phoneNumbers ?? Number.MAX_SAFE_INTEGER,
      input,
    );
    return { phoneNumber: await freshRow<PhoneNumberRow>(ctx, phoneNumberList, row.id) };
  }

  @Authorized('admin')
  @Mutation(() => PhoneNumberPayload, {
    description: 'Gives a rented number back to the provider; it stays listed as RELEASED.',
  })
  async releasePhoneNumber(
    @Arg('input', () => PhoneNumberIdInput) input: { id: string },
    @Ctx() ctx: RequestContext,
  ): Promise<{ phoneNumber: PhoneNumberRow }> {
    const id = fromGlobalId(input.id, 'PhoneNumber', 'input.id');
    const row = await releaseNumber(ctx.em, requireTelephony(this.deps), id);
    return { phoneNumber: await freshRow<PhoneNumberRow>(ctx, phoneNumberList, row.id) };
  }
}

const application = async (ctx: RequestContext, id: string) => ({
  complianceApplication: await freshRow<ComplianceRow>(ctx, complianceList, id),
});

/**
 * Compliance applications (CONTRACT §8): uniform list, by id, create and update (admin; drafts
 * and rejected ones only), plus documents, submission to the provider and its decision.
 */
@Resolver(() => ComplianceNode)
export class ComplianceResolver extends recordResolver(complianceRecord, {
  service: complianceService,
  writeScope: 'admin',
  mutations: { delete: false, restore: false },
}) {
  constructor(private readonly deps: NumbersDeps) {
    super();
  }

  @Authorized('read')
  @Query(() => ComplianceRequirements, {
    description: 'What renting numbers of a country and type needs (the rules table).',
  })
  complianceRequirements(
    @Arg('country') country: string,
    @Arg('numberType', () => PhoneNumberType) numberType: PhoneNumberType,
    @Arg('endUserType', () => EndUserType, { defaultValue: EndUserType.BUSINESS }) endUserType: EndUserType,
  ): ComplianceRequirements {
    const code = countryCode(country, 'country');
    const rule = complianceRule(code, numberType);
    const needs = rule ? requirementsOf(rule, endUserType) : { details: [], documents: [] };
    return {
      country: code,
      numberType,
      endUserType,
      required: rule !== null,
      details: needs.details,
      documents: needs.documents,
      localAddress: rule?.localAddress ?? false,
      businessOnly: rule?.businessOnly ?? false,
    };
  }

  @FieldResolver(() => [ComplianceDocumentInfo])
  async documents(@Root() row: ComplianceRow, @Ctx() ctx: RequestContext): Promise<ComplianceDocumentInfo[]> {
    const docs = await ctx.em.find(
      ComplianceDocument,
      { application: row.pk },
      {
        orderBy: { createdAt: 'asc' },
        fields: ['type', 'fileName', 'contentType', 'size', 'sha256', 'createdAt'],
      },
    );
    return docs.map((d) => ({
      id: toGlobalId('ComplianceDocument', d.id),
      type: d.type as ComplianceDocumentType,
      fileName: d.fileName,
      contentType: d.contentType,
      size: d.size,
      sha256: d.sha256,
      createdAt: d.createdAt,
    }));
  }

  @FieldResolver(() => [String], {
    description:
      'What the application still lacks under its rule: fields (addressLine), documents (document:PROOF_OF_ADDRESS) and conditions (addressCountry:DE, endUserType:BUSINESS). Empty when complete.',
  })
  async missingDetails(@Root() row: ComplianceRow, @Ctx() ctx: RequestContext): Promise<string[]> {
    const a = await ctx.em.findOne(ComplianceApplication, { id: row.pk });
    return a ? missingOf(ctx.em, a) : [];
  }

  @Authorized('admin')
  @Mutation(() => CompliancePayload, { description: 'Adds a document to a DRAFT or REJECTED application.' })
  async addComplianceDocument(
    @Arg('input') input: AddComplianceDocumentInput,
    @Ctx() ctx: RequestContext,
    @Caller() caller: Principal,
  ) {
    const id = fromGlobalId(input.applicationId, 'ComplianceApplication', 'input.applicationId');
    await addDocument(ctx.em, caller.organizationId, id, input);
    return application(ctx, id);
  }

  @Authorized('admin')
  @Mutation(() => CompliancePayload, {
    description: 'Removes a document from a DRAFT or REJECTED application.',
  })
  async removeComplianceDocument(
    @Arg('input') input: RemoveComplianceDocumentInput,
    @Ctx() ctx: RequestContext,
  ) {
    const id = fromGlobalId(input.id, 'ComplianceDocument', 'input.id');
    return application(ctx, await removeDocument(ctx.em, id));
  }

  @Authorized('admin')
  @Mutation(() => CompliancePayload, {
    description:
      "Sends a complete application to the provider's compliance API (COMPLIANCE_INFO_REQUIRED names what is missing). Without Plivo configured it is approved at once.",
  })
  async submitComplianceApplication(
    @Arg('input', () => ComplianceIdInput) input: { id: string },
    @Ctx() ctx: RequestContext,
  ) {
    const id = fromGlobalId(input.id, 'ComplianceApplication', 'input.id');
    await submitApplication(ctx.em, requireTelephony(this.deps), id);
    return application(ctx, id);
  }

  @Authorized('admin')
  @Mutation(() => CompliancePayload, {
    description: "Asks the provider for a SUBMITTED application's decision (renting asks too).",
  })
  async refreshComplianceApplication(
    @Arg('input', () => ComplianceIdInput) input: { id: string },
    @Ctx() ctx: RequestContext,
  ) {
    const id = fromGlobalId(input.id, 'ComplianceApplication', 'input.id');
    const a = await ctx.em.findOne(ComplianceApplication, { id });
    if (!a) throw notFound('ComplianceApplication', input.id);
    await refreshDecision(ctx.em, requireTelephony(this.deps), a);
    return application(ctx, id);
  }
}

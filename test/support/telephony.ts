import { clientFor } from './graphql';
import type { TestServer } from './server';

/** A complete business application for `country` (its address there) and a PDF for each document type. */
export function completeApplication(country: string, numberType: string): Record<string, unknown> {
  return {
    country,
    numberType,
    endUserType: 'BUSINESS',
    businessName: 'Acme Telecom Ltd',
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada@acme.test',
    addressLine: '1 Main Street',
    city: 'Capital',
    postalCode: '10115',
    addressCountry: country,
    registrationNumber: 'REG-12345',
  };
}

export const DOCUMENT_TYPES = [
  'PROOF_OF_ADDRESS',
  'PROOF_OF_IDENTITY',
  'BUSINESS_REGISTRATION',
  'TAX_CERTIFICATE',
];

/** Creates an application, adds one document of each type, submits it; returns its id. */
export async function submittedApplication(
  server: TestServer,
  key: string,
  country: string,
  numberType: string,
): Promise<string> {
  const api = clientFor(server, key);
  const { createComplianceApplication } = await api.data<{
    createComplianceApplication: { complianceApplication: { id: string } };
  }>(
    'mutation($input: CreateComplianceApplicationInput!) { createComplianceApplication(input: $input) { complianceApplication { id } } }',
    { input: completeApplication(country, numberType) },
  );
  const id = createComplianceApplication.complianceApplication.id;
  for (const type of DOCUMENT_TYPES) {
    await api.data(
      'mutation($input: AddComplianceDocumentInput!) { addComplianceDocument(input: $input) { complianceApplication { id } } }',
      {
        input: {
          applicationId: id,
          type,
          fileName: `${type.toLowerCase()}.pdf`,
          contentType: 'application/pdf',
          contentBase64: Buffer.from(`%PDF-1.4 ${type}`).toString('base64'),
        },
      },
    );
  }
  await api.data(
    'mutation($input: ComplianceApplicationIdInput!) { submitComplianceApplication(input: $input) { complianceApplication { id } } }',
    { input: { id } },
  );
  return id;
}

/** Searches and rents the `index`-th offered number of a country and type; returns the PhoneNumber id. */
export async function rentNumber(
  server: TestServer,
  key: string,
  country: string,
  numberType = 'LOCAL',
  index = 0,
): Promise<{ id: string; number: string }> {
  const api = clientFor(server, key);
  const { searchPhoneNumbers } = await api.data<{ searchPhoneNumbers: Array<{ number: string }> }>(
    'query($c: String!, $t: PhoneNumberType!) { searchPhoneNumbers(country: $c, numberType: $t, first: 20) { number } }',
    { c: country, t: numberType },
  );
  const number = searchPhoneNumbers[index]?.number;
  if (!number) throw new Error(`no number ${index} offered in ${country} ${numberType}`);
  const { rentPhoneNumber } = await api.data<{
    rentPhoneNumber: { phoneNumber: { id: string; number: string } };
  }>(
    'mutation($input: RentPhoneNumberInput!) { rentPhoneNumber(input: $input) { phoneNumber { id number } } }',
    { input: { number, numberType } },
  );
  return rentPhoneNumber.phoneNumber;
}

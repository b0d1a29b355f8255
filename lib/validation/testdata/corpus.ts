/**
 * Every real STU3 document the tests have (the vendored samples) and a spread of the embedded
 * sandbox's resources (every claim type), for the "no false alarm" and "agrees with fhirpath.js" tests.
 */
import { loadSandboxData } from '../../embedded-sandbox.js';
import { loadSample, sampleFiles, type R4SampleFolder, type SampleFolder, type Stu3SampleFolder } from './samples.js';

const { coveragesFor, eobsFor, patientFor, syntheticUser } = await loadSandboxData();

export interface NamedDocument {
  readonly name: string;
  readonly document: unknown;
}

export const STU3_FOLDERS: readonly Stu3SampleFolder[] = ['bb2-webserver-fixtures-v1', 'bfd-endpoint-responses-v1', 'bluebutton-site-legacy-samples'];
export const R4_FOLDERS: readonly R4SampleFolder[] = ['bb2-webserver-fixtures-v2', 'bfd-endpoint-responses-v2', 'sandbox-bbuser29999'];
/** Samples that are not FHIR resources. */
export const NOT_FHIR = new Set(['userinfo_v1.json', 'userinfo_v2.json']);

function documentsOf(folders: readonly SampleFolder[]): NamedDocument[] {
  return folders.flatMap((folder) =>
    sampleFiles(folder)
      .filter((file) => !NOT_FHIR.has(file))
      .map((file) => ({ name: `${folder}/${file}`, document: loadSample(folder, file) })),
  );
}

export function realStu3Documents(): NamedDocument[] {
  return documentsOf(STU3_FOLDERS);
}

export function realR4Documents(): NamedDocument[] {
  return documentsOf(R4_FOLDERS);
}

/** Users across the range: the biggest (BBUser13410, 400 claims), the real sandbox's sample users, and a spread. */
export const SPREAD_USERS: readonly number[] = [0, 1, 42, 9_999, 10_000, 13_410, 17_777, 20_000, 25_555, 28_324, 29_999];

export function sandboxDocuments(users: readonly number[] = SPREAD_USERS): NamedDocument[] {
  return users.flatMap((number) => {
    const user = syntheticUser(number);
    return [patientFor(user), ...coveragesFor(user), ...eobsFor(user)].map((resource) => ({ name: `BBUser${String(number).padStart(5, '0')} ${resource.resourceType}/${resource.id}`, document: resource }));
  });
}

/**
 * The synthetic beneficiaries BBUser00000..BBUser29999 (BB2-FHIR-ID-01; the user list of bluebutton-site-static's
 * synthetic-data documentation). Everything is derived
 * from the user number, so there is no table of 30,000 users: the same number always gives the same
 * person, and two processes agree without sharing state.
 */
import { secretEquals } from '../secret-equality.js';

export const FIRST_USER_NUMBER = 0;
export const LAST_USER_NUMBER = 29_999;
export const USER_COUNT = LAST_USER_NUMBER - FIRST_USER_NUMBER + 1;

export interface SyntheticUser {
  readonly number: number;
  /** "BBUser00042" */
  readonly username: string;
  /** "PW00042!" */
  readonly password: string;
  /** Negative synthetic FHIR Patient id, e.g. "-19990000000043". */
  readonly patientId: string;
  readonly mbi: string;
  readonly hicn: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly email: string;
}

/**
 * Patient ids follow the three 2017 RIF files of BB2's synthetic-data folder: BBUser0NNNN -> -1999000000(NNNN+1),
 * BBUser1NNNN -> -2000000000(NNNN+1), BBUser2NNNN -> -2014000000(NNNN+1). This reproduces the
 * published mappings BBUser00000 -> -19990000000001, BBUser10000 -> -20000000000001 and
 * BBUser29999 -> -20140000010000.
 */
const ID_BLOCKS = ['-1999', '-2000', '-2014'] as const;

export function patientIdForNumber(number: number): string {
  const block = ID_BLOCKS[Math.floor(number / 10_000)];
  if (block === undefined) throw new RangeError(`no synthetic user number ${number}`);
  return `${block}${String((number % 10_000) + 1).padStart(10, '0')}`;
}

export function numberForPatientId(patientId: string): number | undefined {
  const match = /^(-1999|-2000|-2014)(\d{10})$/.exec(patientId);
  if (!match) return undefined;
  const block = ID_BLOCKS.indexOf(match[1] as (typeof ID_BLOCKS)[number]);
  const offset = Number(match[2]) - 1;
  if (offset < 0 || offset >= 10_000) return undefined;
  return block * 10_000 + offset;
}

const GIVEN_NAMES = ['Jane', 'John', 'Maria', 'James', 'Linda', 'Robert', 'Patricia', 'Michael', 'Barbara', 'William', 'Susan', 'David', 'Dorothy', 'Richard', 'Margaret', 'Joseph'];
const FAMILY_NAMES = ['Doe', 'Smith', 'Johnson', 'Garcia', 'Brown', 'Miller', 'Davis', 'Lopez', 'Wilson', 'Anderson', 'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Clark', 'Lewis'];
const MBI_LETTERS = 'ACDEFGHJKMNPQRTUVWXY'; // CMS MBI alphabet: no S, L, O, I, B, Z

/** A synthetic MBI: 11 characters, 'S' in position 2 marks it synthetic. Unique per user number. */
function mbiForNumber(number: number): string {
  const letter = (k: number) => MBI_LETTERS[k % MBI_LETTERS.length];
  const digits = String(number).padStart(5, '0');
  return `${1 + (number % 9)}S${letter(number)}${digits[0]}${letter(number >> 3)}${letter(number >> 5)}${digits[1]}${digits[2]}${letter(number >> 7)}${digits[3]}${digits[4]}`;
}

export function syntheticUser(number: number): SyntheticUser {
  if (!Number.isInteger(number) || number < FIRST_USER_NUMBER || number > LAST_USER_NUMBER) {
    throw new RangeError(`no synthetic user number ${number}`);
  }
  const padded = String(number).padStart(5, '0');
  const givenName = GIVEN_NAMES[number % GIVEN_NAMES.length] as string;
  const familyName = FAMILY_NAMES[Math.floor(number / GIVEN_NAMES.length) % FAMILY_NAMES.length] as string;
  return {
    number,
    username: `BBUser${padded}`,
    password: `PW${padded}!`,
    patientId: patientIdForNumber(number),
    mbi: mbiForNumber(number),
    hicn: `T${String(number).padStart(8, '0')}A`,
    givenName,
    familyName,
    email: `bbuser${padded}@example.com`,
  };
}

export function findUserByUsername(username: string): SyntheticUser | undefined {
  const match = /^BBUser(\d{5})$/i.exec(username.trim());
  if (!match) return undefined;
  const number = Number(match[1]);
  return number <= LAST_USER_NUMBER ? syntheticUser(number) : undefined;
}

export function findUserByPatientId(patientId: string): SyntheticUser | undefined {
  const number = numberForPatientId(patientId);
  return number === undefined ? undefined : syntheticUser(number);
}

/** Checks a login; the comparison takes the same time whatever the password. */
export function verifyPassword(username: string, password: string): SyntheticUser | undefined {
  const user = findUserByUsername(username);
  if (!user) return undefined;
  return secretEquals(password, user.password) ? user : undefined;
}

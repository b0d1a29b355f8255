/**
 * The Redactor's one-pass matcher against the obvious reference (one RegExp alternation of every form,
 * longest first): the same output on edge cases and on thousands of random texts and secrets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDACTED } from '../oauth/secret.js';
import { encodedForms, MIN_SECRET_LENGTH, Redactor } from './redactor.js';

/** Values shorter than MIN_SECRET_LENGTH are not secrets, whatever the length of their encoded forms. */
function referenceRedact(text: string, values: readonly string[]): string {
  const secrets = values.filter((value) => value.length >= MIN_SECRET_LENGTH);
  const forms = [...new Set(secrets.flatMap((value) => encodedForms(value)))].filter((form) => form.length >= MIN_SECRET_LENGTH);
  if (forms.length === 0) return text;
  const escaped = forms.sort((a, b) => b.length - a.length).map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return text.replace(new RegExp(escaped.join('|'), 'g'), REDACTED);
}

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function randomSource(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) % below;
  };
}

function redactorWith(values: readonly string[]): Redactor {
  const redactor = new Redactor();
  for (const value of values) redactor.add(value);
  return redactor;
}

describe('Redactor matching', () => {
  it('replaces a secret at the start, at the end, twice in a row and as the whole text', () => {
    const secret = 'Secret01';
    const redactor = redactorWith([secret]);
    assert.equal(redactor.redact(`${secret}x`), `${REDACTED}x`);
    assert.equal(redactor.redact(`x${secret}`), `x${REDACTED}`);
    assert.equal(redactor.redact(`${secret}${secret}`), `${REDACTED}${REDACTED}`);
    assert.equal(redactor.redact(secret), REDACTED);
    assert.equal(redactor.redact('Secret0'), 'Secret0');
    assert.equal(redactor.redact(''), '');
  });

  it('replaces the longest of secrets that start alike, whole', () => {
    const redactor = redactorWith(['prefix-shared-1', 'prefix-shared-1-and-longer']);
    assert.equal(redactor.redact('a prefix-shared-1-and-longer b prefix-shared-1 c'), `a ${REDACTED} b ${REDACTED} c`);
  });

  it('finds a secret that begins inside an earlier near-miss', () => {
    const redactor = redactorWith(['aaaaaaaab']);
    assert.equal(redactor.redact('aaaaaaaaaaab'), `aaa${REDACTED}`);
    assert.equal(redactor.contains('aaaaaaaaaaab'), true);
    assert.equal(redactor.contains('aaaaaaaaaaaa'), false);
  });

  it('learns secrets added after earlier use', () => {
    const redactor = redactorWith(['firstSecret1']);
    assert.equal(redactor.redact('firstSecret1 secondSecret2'), `${REDACTED} secondSecret2`);
    redactor.add('secondSecret2');
    assert.equal(redactor.redact('firstSecret1 secondSecret2'), `${REDACTED} ${REDACTED}`);
  });

  it('gives the reference output on random texts with many secrets and their encoded forms', () => {
    const random = randomSource(12);
    const alphabet = 'AB+/=%_-.~ "\\:!aé0';
    const pick = (length: number) => Array.from({ length }, () => alphabet[random(alphabet.length)]).join('');
    for (let round = 0; round < 200; round += 1) {
      const values = Array.from({ length: 1 + random(40) }, () => pick(MIN_SECRET_LENGTH - 2 + random(12)));
      const redactor = redactorWith(values);
      const pieces: string[] = [];
      for (let piece = 0; piece < 30; piece += 1) {
        const value = values[random(values.length)] as string;
        const forms = encodedForms(value);
        pieces.push(pick(random(6)), random(3) === 0 ? (forms[random(forms.length)] as string) : pick(random(10)));
      }
      const text = pieces.join('');
      assert.equal(redactor.redact(text), referenceRedact(text, values), `round ${round}`);
      assert.equal(redactor.contains(text), referenceRedact(text, values) !== text, `round ${round}`);
    }
  });

  it('gives the reference output with thousands of secrets', () => {
    const random = randomSource(7);
    const token = () => Array.from({ length: 30 }, () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[random(62)]).join('');
    const values = Array.from({ length: 2_000 }, token);
    const text = Array.from({ length: 500 }, (_, index) => (index % 5 === 0 ? `"access_token": "${values[random(values.length)]}"` : `"id": "${token()}"`)).join(',\n');
    assert.equal(redactorWith(values).redact(text), referenceRedact(text, values));
  });
});

/**
 * BB2's testclient prints the token with Django's `{{ session_token }}`, i.e. Python's repr() of the
 * dict requests-oauthlib keeps. Hand-written: it is repr for str, int, float, bool, None and lists,
 * a few lines, and the page must show exactly that notation.
 */
import type { TokenRecord, TokenValue } from './session.js';

function reprString(value: string): string {
  // Python prefers single quotes and switches to double ones only when that avoids escaping.
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replaceAll(quote, `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}

function reprValue(value: TokenValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return reprString(value);
  // JSON numbers stay as parsed: Python reads 3600 as int 3600.
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${(value as readonly string[]).map(reprString).join(', ')}]`;
  const { float } = value as { readonly float: number };
  return Number.isInteger(float) ? `${float}.0` : String(float);
}

export function pythonDictRepr(record: TokenRecord): string {
  return `{${record.map(([key, value]) => `${reprString(key)}: ${reprValue(value)}`).join(', ')}}`;
}

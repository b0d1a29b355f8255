/** Small helpers for editing parsed JSON (the templates) without `any`. */

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The object at `parent[key]`; a template without it is a programming error, so this throws. */
export function child(parent: JsonObject, key: string): JsonObject {
  const value = parent[key];
  if (!isJsonObject(value)) throw new TypeError(`template has no object at "${key}"`);
  return value;
}

/** The objects in the array at `parent[key]`, or [] when the key is absent. */
export function children(parent: JsonObject, key: string): JsonObject[] {
  const value = parent[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError(`template has no array at "${key}"`);
  return value.filter(isJsonObject);
}

/** Calls `visit` on every object in the tree, parents before children. */
export function forEachObject(node: Json, visit: (object: JsonObject) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) forEachObject(item, visit);
  } else if (isJsonObject(node)) {
    visit(node);
    for (const value of Object.values(node)) forEachObject(value, visit);
  }
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Sets code and display of the first extension with this url (display removed when not given). */
export function setExtensionCoding(extensions: readonly JsonObject[], url: string, code: string, display?: string): void {
  const extension = extensions.find((candidate) => candidate.url === url);
  if (!extension) throw new TypeError(`template has no extension ${url}`);
  setCoding(child(extension, 'valueCoding'), code, display);
}

export function setCoding(coding: JsonObject, code: string, display?: string): void {
  coding.code = code;
  if (display === undefined) delete coding.display;
  else coding.display = display;
}

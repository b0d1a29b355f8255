/**
 * Reads one of the validators' data files (schemas/…): JSON, checked against its zod schema, so that
 * a broken or hand-edited file is a clear load error naming the file and the problems, never a
 * silent pass.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';

export function readDataFile<T>(file: string, schema: z.ZodType<T>, hint = ''): T {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = schema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 10).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`${file} is invalid${hint}:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

/**
 * Writes a file whole or not at all, for files another process may read at any moment (the validator
 * cache shared by workers, Allure's results): written to a temporary file in the same folder, then
 * renamed into place, which is atomic on one file system. No fsync: these files are rebuilt by running
 * again, so they need to be whole, not to survive a power cut. The folder must exist.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';

export function writeFileAtomically(file: string, data: string | Buffer): void {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

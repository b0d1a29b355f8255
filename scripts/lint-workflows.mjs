// `npm run lint:workflows`: every GitHub Actions workflow checked against the workflow JSON schema by
// action-validator (offline: the schema ships inside the package). It takes one file per run.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, '.github', 'workflows');
const validator = path.join(root, 'node_modules', '.bin', 'action-validator');
let failed = 0;
for (const file of readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort()) {
  const result = spawnSync(validator, [path.join(dir, file)], { stdio: 'inherit' });
  console.log(`${result.status === 0 ? 'ok  ' : 'FAIL'} .github/workflows/${file}`);
  if (result.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);

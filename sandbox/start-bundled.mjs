/**
 * Starts one of the sandbox's entry points (sandbox/src/main.ts, sandbox/src/faults/serve.ts) from an
 * esbuild bundle of its TypeScript, built once per state of sandbox/src into
 * node_modules/.cache/bb2-sandbox/ and reused while no source file changes:
 *
 *   node sandbox/start-bundled.mjs sandbox/src/main.ts --port 0 --host 127.0.0.1
 *   node sandbox/start-bundled.mjs --build     (builds both bundles and exits: npm install does it)
 *
 * This is how Playwright's webServer and the self-test start the embedded sandbox (faults/webserver.ts).
 * Under tsx the sandbox took 0.67 s to start, most of it tsx resolving and loading each of its ~430
 * modules through its loader hooks; the bundle starts in about 0.32 s, and the suite waits for that start
 * before any check (docs/performance.md §11). The bundle also holds the packages it imports (oidc-provider,
 * koa, …), which Node would otherwise resolve and read module by module: it listens about 0.1 s
 * sooner (docs/performance.md §12). `npm run sandbox`, for people, still runs the sources with tsx.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, version as esbuildVersion } from 'esbuild';

const SANDBOX_DIR = path.dirname(fileURLToPath(import.meta.url));
const SOURCE_DIR = path.join(SANDBOX_DIR, 'src');
const REPO_ROOT = path.dirname(SANDBOX_DIR);
const CACHE_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'bb2-sandbox');
const ENTRY_POINTS = ['sandbox/src/main.ts', 'sandbox/src/faults/serve.ts'];

/** Changed whenever the build's options below change: bundles built with the earlier ones are then not used. */
const BUNDLE_LAYOUT = 'packages bundled, linked source map';

/**
 * The installed packages, as npm records them: node_modules/.package-lock.json, rewritten by every npm
 * install that changes node_modules (else the project's package-lock.json; else nothing, and a bundle is
 * rebuilt only when the sources change).
 */
function installedPackages() {
  for (const file of [path.join(REPO_ROOT, 'node_modules', '.package-lock.json'), path.join(REPO_ROOT, 'package-lock.json')]) {
    if (existsSync(file)) return readFileSync(file);
  }
  return '';
}

/** Names the bundle by everything it is built from: every .ts file of sandbox/src, the entry, the packages, esbuild, the options. */
function bundleKey(entry) {
  const hash = createHash('sha256').update(`${BUNDLE_LAYOUT}\0esbuild ${esbuildVersion}\0${entry}\0`);
  hash.update(installedPackages()).update('\0');
  const sources = readdirSync(SOURCE_DIR, { recursive: true }).filter((name) => name.endsWith('.ts')).sort();
  for (const name of sources) hash.update(`${name}\0`).update(readFileSync(path.join(SOURCE_DIR, name))).update('\0');
  return hash.digest('hex').slice(0, 24);
}

/**
 * The sandbox reads its data files next to its modules (`new URL('./templates/…', import.meta.url)`);
 * in the bundle each module's `import.meta.url` is replaced by that module's own file URL.
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

async function bundleFor(entry) {
  const file = path.join(CACHE_DIR, `${path.basename(entry, '.ts')}-${bundleKey(entry)}.mjs`);
  if (existsSync(file)) return file;
  mkdirSync(CACHE_DIR, { recursive: true });
  // Written under a name of its own, then renamed: sandboxes started at once (the self-test) never read half a bundle.
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    // Not written by esbuild: a folder this process cannot write then fails as a file system error, told apart below.
    const { outputFiles } = await build({
      entryPoints: [path.join(REPO_ROOT, entry)],
      outfile: file,
      write: false,
      bundle: true,
      // Packages included: Node then loads one file instead of resolving and reading each package's
      // modules (see the top of this file). CommonJS packages get a `require`.
      banner: { js: "import { createRequire as bb2CreateRequire } from 'node:module'; const require = bb2CreateRequire(import.meta.url);" },
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // In a file of its own beside the bundle, not inline: the file Node compiles at every start is
      // then half the size.
      sourcemap: 'linked',
      sourcesContent: false,
      plugins: [keepModuleUrls],
      logLevel: 'error',
    });
    // The map first: a bundle in place always has its map.
    for (const output of [...outputFiles].sort((a, b) => Number(b.path.endsWith('.map')) - Number(a.path.endsWith('.map')))) {
      writeFileSync(temporary, output.contents);
      renameSync(temporary, output.path);
    }
  } finally {
    rmSync(temporary, { force: true });
  }
  removeStaleBundles(file);
  return file;
}

/** Bundles of earlier sources, once a day old: a sandbox started from one of them has long since loaded it. */
function removeStaleBundles(current) {
  const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
  for (const name of readdirSync(CACHE_DIR)) {
    const file = path.join(CACHE_DIR, name);
    if (file === current || file === `${current}.map` || !(name.endsWith('.mjs') || name.endsWith('.mjs.map'))) continue;
    try {
      if (statSync(file).mtimeMs < dayAgo) rmSync(file, { force: true });
    } catch {
      // Removed by another sandbox's start meanwhile.
    }
  }
}

/** Errors of a cache folder this process may not write; the sandbox then runs from its sources. */
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT']);

const [entry, ...flags] = process.argv.slice(2);
if (entry === '--build' && flags.length === 0) {
  // scripts/warm-caches.mjs (npm install): the first run then starts its sandbox without building it.
  try {
    for (const each of ENTRY_POINTS) await bundleFor(each);
  } catch (error) {
    console.error(`bb2-sandbox: bundle not built: ${Array.isArray(error?.errors) ? 'the sources do not compile (esbuild, above)' : (error?.code ?? error?.message)}`);
    process.exit(1);
  }
  process.exit(0);
}
if (!ENTRY_POINTS.includes(entry)) {
  console.error(`Usage: node sandbox/start-bundled.mjs <${ENTRY_POINTS.join(' | ')}> [flags of that entry point]\n       node sandbox/start-bundled.mjs --build`);
  process.exit(2);
}

let bundle;
try {
  bundle = await bundleFor(entry);
} catch (error) {
  if (UNWRITABLE.has(error?.code)) {
    console.error(`bb2-sandbox: cannot write its bundle to ${CACHE_DIR} (${error.code}); starting from the sources under tsx, which is slower`);
  } else if (Array.isArray(error?.errors)) {
    // esbuild has printed where the sources do not compile; its own stack adds nothing.
    console.error(`bb2-sandbox: ${entry} does not compile (esbuild, above)`);
    process.exit(1);
  } else {
    throw error;
  }
}
// The entry point reads its flags from process.argv.slice(2), as when started directly.
if (bundle === undefined) {
  const { register } = await import('tsx/esm/api');
  register();
  process.argv = [process.argv[0], path.join(REPO_ROOT, entry), ...flags];
  await import(pathToFileURL(path.join(REPO_ROOT, entry)).href);
} else {
  // Stack traces name the TypeScript sources, as under tsx.
  process.setSourceMapsEnabled(true);
  process.argv = [process.argv[0], bundle, ...flags];
  await import(pathToFileURL(bundle).href);
}

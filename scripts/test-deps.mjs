// `npm test`'s (and `npm run bench`'s) first step: the test-only package (test/package.json: runtimes,
// bundlers, TF.js, a browser driver, fuzzing) installed exactly as test/package-lock.json pins it, so a
// clone's `npm install` stays light. Skipped when test/node_modules already holds what the lock pins.
// Then the other Node versions the tests run (test/package.json "config.node"), through npx, which
// keeps them in npm's cache: a few seconds each once fetched.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const windows = process.platform === 'win32';
const tool = (name) => (windows ? `${name}.cmd` : name);

const read = (path) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')).packages;

/** Installed means npm's record of test/node_modules has every locked package (platform-only optional ones aside), unchanged. */
function upToDate() {
  if (!existsSync(new URL('../test/node_modules/.package-lock.json', import.meta.url))) return false;
  const locked = read('../test/package-lock.json');
  const installed = read('../test/node_modules/.package-lock.json');
  return Object.entries(locked).every(([path, entry]) => path === '' || (path in installed ? JSON.stringify(installed[path]) === JSON.stringify(entry) : entry.optional === true));
}

if (upToDate()) {
  console.log('test dependencies: test/node_modules matches test/package-lock.json');
} else {
  console.log('test dependencies: npm ci --prefix test (runtimes, bundlers, TF.js, playwright-core, fast-check; a few hundred MB, once)');
  execFileSync(tool('npm'), ['ci', '--prefix', 'test', '--no-audit', '--no-fund'], { cwd: new URL('..', import.meta.url), stdio: 'inherit', shell: windows });
}

for (const version of JSON.parse(readFileSync(new URL('../test/package.json', import.meta.url), 'utf8')).config.node) {
  const bin = execFileSync(tool('npx'), ['-y', `node@${version}`, '-p', 'process.execPath'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], shell: windows }).trim();
  console.log(`test dependencies: Node ${version} (npx node@${version}): ${bin}`);
}

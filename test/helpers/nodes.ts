// The Node versions the package is tested on besides the one running the tests: pinned in
// test/package.json ("config": { "node": [...] }), their binaries from npm's `node@x.y.z` package
// through npx, which keeps them in npm's cache (scripts/test-deps.mjs fetches them before the tests).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
const config = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { config: { node: string[] } };

/** The pinned versions, e.g. ['22.23.3', '24.21.0']. */
export const otherNodes: readonly string[] = config.config.node;

const binaries = new Map<string, Promise<string>>();

/** The path of node `version`'s binary (npx installs it once; the path lets tests spawn it without npx each time). */
export function nodeBinary(version: string): Promise<string> {
  let bin = binaries.get(version);
  if (!bin) {
    bin = run('npx', ['-y', `node@${version}`, '-p', 'process.execPath'], { timeout: 600_000 }).then(({ stdout }) => stdout.trim());
    binaries.set(version, bin);
  }
  return bin;
}

// The extension-host test entry: VS Code (or code-server) calls run() inside the extension host.
import fs from 'node:fs';
import path from 'node:path';
import type MochaType from 'mocha';

export function run(): Promise<void> {
  // Loaded here, not at the top: the suite module is required by the host before run() is called.
  const Mocha = require('mocha') as typeof MochaType;
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 60_000,
    grep: process.env.GPU_CONTAINERS_TEST_GREP || undefined,
  });
  const dir = __dirname;
  for (const file of fs.readdirSync(dir).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(dir, file));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}

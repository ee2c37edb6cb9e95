// The standard entry for people who have VS Code desktop: downloads (or reuses) VS Code with
// @vscode/test-electron and runs the same extension-host suite as the code-server runner.
//   npm run test:electron
import path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const repo = path.resolve(__dirname, '..', '..', '..');
  await runTests({
    extensionDevelopmentPath: repo,
    extensionTestsPath: path.join(repo, 'out', 'test', 'vscode', 'suite', 'index.js'),
    launchArgs: [path.join(repo, 'test', 'vscode', 'workspace'), '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: {
      GPU_CONTAINERS_REPO: repo,
      GPU_CONTAINERS_TEST_WORKSPACE: path.join(repo, 'test', 'vscode', 'workspace'),
    },
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

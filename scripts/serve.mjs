// Serves the packaged extension in code-server on 127.0.0.1 and keeps running until Ctrl+C.
//   node scripts/serve.mjs FOLDER
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir, codeServerCli, devUserDataDir, repoRoot, startCodeServer, workspaceUrl } from './lib/rig.mjs';

const folder = path.resolve(process.argv[2] ?? process.cwd());
const port = Number(process.env.PORT ?? 8080);
const base = path.join(cacheDir, 'dev');
const userDataDir = path.join(base, 'user-data');
const extensionsDir = path.join(base, 'extensions');
devUserDataDir(userDataDir);
fs.mkdirSync(extensionsDir, { recursive: true });
const vsix = path.join(repoRoot, 'gpu-containers.vsix');
await codeServerCli([
  '--extensions-dir',
  extensionsDir,
  '--user-data-dir',
  userDataDir,
  '--install-extension',
  vsix,
  '--force',
]);
const server = await startCodeServer({ userDataDir, extensionsDir, port, trust: false });
const url = workspaceUrl(server.url, folder);
console.log(
  `\nGPU Containers is running in VS Code (code-server) at:\n\n  ${url}\n\nOver SSH: ssh -L ${port}:127.0.0.1:${port} <this server>, then open that URL. Ctrl+C stops it.`,
);
const stop = () => {
  server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => {}, 1 << 30);

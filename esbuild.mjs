// The bundle, src/extension.ts -> dist/extension.js, and its loader (package.json "main"), src/loader.ts ->
// dist/loader.js, which requires the bundle through V8's code cache (src/core/codeCache.ts).
//   node esbuild.mjs               development build with sourcemaps
//   node esbuild.mjs --production  minified, with a linked sourcemap (what the VSIX ships)
//   node esbuild.mjs --watch       rebuild on change
import fs from 'node:fs';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/**
 * dockerode's BuildKit session (`lib/session.js`: @grpc/grpc-js + proto-loader) and BuildKit progress
 * decoder (`lib/buildkit.js`: protobufjs) serve only `docker.buildImage({ version: '2' })` and
 * `docker.followProgress`, which this extension never calls (builds run the docker CLI in a task). They
 * would also fail in a bundle: they load .proto files next to themselves at run time. Stubbing them keeps
 * ≈ 1 MB of gRPC/protobuf out of the bundle.
 */
const dockerodeBuildkitStub = {
  name: 'dockerode-buildkit-stub',
  setup(build) {
    build.onResolve({ filter: /^\.\/(session|buildkit)$/ }, (args) =>
      /[\\/]dockerode[\\/]lib$/.test(args.resolveDir) ? { path: args.path, namespace: 'gpuc-stub' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'gpuc-stub' }, (args) => ({
      contents:
        args.path === './session'
          ? 'module.exports = function withSession(_docker, _auth, cb) { cb(new Error("BuildKit sessions are not bundled in GPU Containers")); };'
          : 'module.exports = { followProgress() { throw new Error("dockerode BuildKit progress is not bundled in GPU Containers"); } };',
      loader: 'js',
    }));
  },
};

/**
 * ssh:// engines go through the system `ssh` (src/core/docker/sshTransport.ts: `ssh … docker system
 * dial-stdio` behind an http.Agent), so docker-modem's own ssh client (`lib/ssh.js` → ssh2, pure-JS crypto)
 * is never used: stubbed, it keeps ssh2 out of the bundle.
 */
const dockerModemSshStub = {
  name: 'docker-modem-ssh-stub',
  setup(build) {
    build.onResolve({ filter: /^\.\/ssh$/ }, (args) =>
      /[\\/]docker-modem[\\/]lib$/.test(args.resolveDir) ? { path: 'ssh', namespace: 'gpuc-ssh-stub' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'gpuc-ssh-stub' }, () => ({
      contents:
        'module.exports = function () { throw new Error("docker-modem ssh2 transport is not bundled: GPU Containers uses the system ssh"); };',
      loader: 'js',
    }));
  },
};

/**
 * Smaller without losing anything the extension calls (issue 17, bundle ≤ 500 KiB):
 * - `readable-stream` (docker-modem's HttpDuplex for exec/attach) is a copy of Node's own stream module for
 *   old Nodes: the extension host's `stream` is used instead.
 * - `tar-fs` (+ tar-stream, bl) serves only dockerode's buildImage of a directory context; builds run the
 *   docker CLI in a task, so it is a stub that says so.
 * - `debug` (docker-modem's DEBUG=modem logging) is a no-op: our own log covers engine calls.
 * - `yaml` in its own file (yamlOptions below), from its ES module build, required on first use (the Compose
 *   export, a Kubernetes host's kubeconfig), never at activation.
 */
const slimDependencies = {
  name: 'slim-dependencies',
  setup(build) {
    build.onResolve({ filter: /^readable-stream$/ }, () => ({ path: 'stream', external: true }));
    build.onResolve({ filter: /^(tar-fs|debug)$/ }, (args) => ({ path: args.path, namespace: 'gpuc-slim' }));
    build.onLoad({ filter: /.*/, namespace: 'gpuc-slim' }, (args) => ({
      contents:
        args.path === 'tar-fs'
          ? 'module.exports = { pack() { throw new Error("dockerode build contexts are not bundled: GPU Containers builds with the docker CLI"); } };'
          : 'module.exports = function debug() { const log = function () {}; log.enabled = false; return log; };',
      loader: 'js',
    }));
    // yaml (≈ 100 KiB, a fifth of the bundle) serves only the Compose export and kubeconfig files: its own
    // file, dist/yaml.js, required on first use, so activation neither parses nor evaluates it (issue 17).
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: './yaml.js', external: true }));
  },
};

/**
 * One namespace object per external module (issue 17). For `import * as vscode from 'vscode'` esbuild
 * emits `__toESM(require("vscode"))` in every importing module, and each copies all of the API's
 * properties: 38 copies of `vscode` (and 10 of node:fs, 10 of node:path…) were ≈ 10 ms of every
 * activation. Routed through one ES module that re-exports it, the copy happens once.
 */
const sharedNamespaces = {
  name: 'shared-namespaces',
  setup(build) {
    build.onResolve({ filter: /^(vscode|node:[a-z_/]+)$/ }, (args) =>
      args.namespace === 'gpuc-ns' ? { path: args.path, external: true } : { path: args.path, namespace: 'gpuc-ns' },
    );
    build.onLoad({ filter: /.*/, namespace: 'gpuc-ns' }, (args) => {
      const id = JSON.stringify(args.path);
      // Node's builtins are also imported by default (`import fs from 'node:fs'`); vscode never is.
      const contents = `export * from ${id};${args.path === 'vscode' ? '' : ` export { default } from ${id};`}`;
      return { contents, loader: 'js' };
    });
  },
};

/** @type {import('esbuild').BuildOptions} */
const options = {
  entryPoints: ['src/extension.ts'],
  bundle: true,
  outfile: 'dist/extension.js',
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  minify: production,
  // Linked in production too (the VSIX ships dist/extension.js.map): the log maps stacks to src/*.ts.
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
  // vscode is provided by the host. ssh2 (dockerode -> docker-modem -> ssh2) has optional native parts:
  // cpu-features and its own *.node crypto binding. Both are loaded in try/catch and ssh2 falls back to
  // pure JS, so they stay out of the bundle and out of the VSIX.
  external: ['vscode', 'cpu-features', '*.node'],
  plugins: [sharedNamespaces, dockerodeBuildkitStub, dockerModemSshStub, slimDependencies],
};

/**
 * dist/yaml.js: what the extension uses of `yaml` (Document and Scalar for the Compose export, parse for
 * kubeconfig files), loaded by `require('yaml')` on first use.
 */
const yamlOptions = {
  stdin: {
    contents: "export { Document, Scalar, parse } from './node_modules/yaml/browser/index.js';",
    resolveDir: new URL('.', import.meta.url).pathname,
    sourcefile: 'yaml-chunk.js',
  },
  bundle: true,
  outfile: 'dist/yaml.js',
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  minify: production,
  metafile: true,
  logLevel: 'warning',
};
const yamlResult = await esbuild.build(yamlOptions);

/** dist/loader.js: node builtins and src/core/codeCache.ts only, compiled cold by every extension host. */
await esbuild.build({
  entryPoints: ['src/loader.ts'],
  bundle: true,
  outfile: 'dist/loader.js',
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  minify: production,
  logLevel: 'warning',
});
const yamlBytes = yamlResult.metafile.outputs['dist/yaml.js']?.bytes ?? 0;

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  console.log('[esbuild] watching');
} else {
  const result = await esbuild.build(options);
  // The bundle alone (the metafile's outputs also hold the .map, which is not loaded).
  const bytes = result.metafile.outputs['dist/extension.js']?.bytes ?? 0;
  console.log(
    `[esbuild] dist/extension.js ${(bytes / 1024).toFixed(0)} KiB${production ? ' (production)' : ''}` +
      ` + dist/yaml.js ${(yamlBytes / 1024).toFixed(0)} KiB (loaded by the Compose export and kubeconfig only)`,
  );
  // What makes up the bundle, for `npm run bench` and scripts/bench-compare.mjs (not packaged: the VSIX
  // allowlist names dist/loader.js, dist/extension.js, its map and dist/yaml.js only).
  fs.writeFileSync('dist/meta.json', JSON.stringify(result.metafile));
}

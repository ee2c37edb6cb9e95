/**
 * Writes the generated `contributes.configuration` (schema.ts) into package.json, the English strings into
 * nls.json and package.nls.json (keys added or updated in place). Run after changing the schema:
 * `node out/src/core/profiles/packageJson.js [path/to/package.json]`; the schema test fails until then.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configurationSchema } from './settingsSchema';
import { nlsStrings } from './schemaNls';

type Json = Record<string, unknown>;

/** Returns a copy of `pkg` with our configuration sections; everything else untouched. */
export function applySettingsSchema(pkg: Json): Json {
  const contributes = { ...((pkg.contributes as Json | undefined) ?? {}) };
  contributes.configuration = configurationSchema;
  return { ...pkg, contributes };
}

/** package.nls.json with our strings added or updated, other keys kept in their order. */
export function applyNlsStrings(nls: Record<string, string>): Record<string, string> {
  return { ...nls, ...nlsStrings };
}

if (require.main === module) {
  const file = path.resolve(process.argv[2] ?? 'package.json');
  const raw = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, JSON.stringify(applySettingsSchema(JSON.parse(raw) as Json), null, 2) + '\n');
  const nlsFile = path.resolve(path.dirname(file), 'src/core/profiles/nls.json');
  fs.writeFileSync(nlsFile, JSON.stringify(nlsStrings, null, 2) + '\n');
  const pkgNls = path.resolve(path.dirname(file), 'package.nls.json');
  const current = JSON.parse(fs.readFileSync(pkgNls, 'utf8')) as Record<string, string>;
  fs.writeFileSync(pkgNls, JSON.stringify(applyNlsStrings(current), null, 2) + '\n');
  console.log(`updated ${file}, ${nlsFile} and ${pkgNls}`);
}

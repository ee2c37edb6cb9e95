/**
 * Writes the profile settings schema into package.json and the English strings into nls.json.
 * Only `contributes.configuration.properties` for our three keys is touched; the file is read fresh and
 * written in one go. Run: `node out/src/core/profiles/packageJson.js [path/to/package.json]`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nlsStrings, settingsSchema } from './schema';

type Json = Record<string, unknown>;

/** Returns a copy of `pkg` with our settings set; everything else untouched. */
export function applySettingsSchema(pkg: Json): Json {
  const out = { ...pkg };
  const contributes = { ...((out.contributes as Json | undefined) ?? {}) };
  let configuration = contributes.configuration as Json | Json[] | undefined;
  if (Array.isArray(configuration)) {
    // Several sections: put ours in the first one.
    const first = { ...(configuration[0] ?? { title: '%configuration.title%', properties: {} }) };
    first.properties = { ...((first.properties as Json | undefined) ?? {}), ...settingsSchema };
    configuration = [first, ...configuration.slice(1)];
  } else {
    const c = { ...(configuration ?? { title: '%configuration.title%', properties: {} }) };
    c.properties = { ...((c.properties as Json | undefined) ?? {}), ...settingsSchema };
    configuration = c;
  }
  contributes.configuration = configuration;
  out.contributes = contributes;
  return out;
}

if (require.main === module) {
  const file = path.resolve(process.argv[2] ?? 'package.json');
  const raw = fs.readFileSync(file, 'utf8');
  const next = JSON.stringify(applySettingsSchema(JSON.parse(raw) as Json), null, 2) + '\n';
  fs.writeFileSync(file, next);
  const nlsFile = path.resolve(path.dirname(file), 'src/core/profiles/nls.json');
  fs.writeFileSync(nlsFile, JSON.stringify(nlsStrings, null, 2) + '\n');
  console.log(`updated ${file} and ${nlsFile}`);
}

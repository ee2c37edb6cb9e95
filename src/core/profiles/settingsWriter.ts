import { FIELDS } from './fieldTable';
import type { Profile } from './profileTypes';

/**
 * A profile back in the settings shape of `gpuContainers.profiles` (what parseProfiles reads): used to save
 * an imported `docker run` line or a guided new profile to settings. Only fields that say something are
 * written (each field's descriptor gives its settings form); sizes, ports and volumes keep the text the user wrote.
 */
export function toProfileSettings(p: Profile): Record<string, unknown> {
  const out: Record<string, unknown> = { name: p.name };
  for (const f of FIELDS) {
    const value = f.settings?.(p);
    if (value === undefined || value === false) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0)
      continue;
    out[f.key] = value;
  }
  return out;
}

/**
 * Writes to one settings file's `gpuContainers.profiles` list that never drop what was there (no imports: the
 * settings writer in config.ts loads this without the profile parser).
 */
/** A profile added to the list a settings file holds, or why writing would lose what is there. */
export type ProfileListWrite = { ok: true; list: unknown[]; replaced: boolean } | { ok: false; reason: 'notAList' };

/**
 * Adds `profile` to `current` (the `gpuContainers.profiles` value of one settings file, as read), replacing an
 * entry of the same name in place. Every other entry is kept as it was, even one this version cannot parse.
 * A value that is there but is not a list is never overwritten: the caller says so and writes nothing.
 */
export function upsertProfile(current: unknown, profile: Record<string, unknown>): ProfileListWrite {
  if (current !== undefined && current !== null && !Array.isArray(current)) return { ok: false, reason: 'notAList' };
  const list = Array.isArray(current) ? [...(current as unknown[])] : [];
  const idx = list.findIndex(
    (p) => typeof p === 'object' && p !== null && (p as { name?: unknown }).name === profile.name,
  );
  if (idx >= 0) list[idx] = profile;
  else list.push(profile);
  return { ok: true, list, replaced: idx >= 0 };
}

/** The names in a settings file's profile list (entries without a string name are skipped). */
export function profileNamesIn(current: unknown): string[] {
  if (!Array.isArray(current)) return [];
  return current
    .map((p) => (typeof p === 'object' && p !== null ? (p as { name?: unknown }).name : undefined))
    .filter((n): n is string => typeof n === 'string');
}

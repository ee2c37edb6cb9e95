/**
 * Localizable schema text: `nlsText(key, english)` records the English text (written to nls.json and
 * package.nls.json) and returns the `%key%` placeholder. A key given two different texts is a collision
 * (the Settings UI would show one text in both places): it is recorded in `nlsCollisions` and tested.
 */

const NLS: Record<string, string> = {};
const COLLISIONS: string[] = [];

export function nlsText(key: string, english: string): string {
  if (key in NLS && NLS[key] !== english) COLLISIONS.push(key);
  NLS[key] = english;
  return `%${key}%`;
}

export const nlsStrings: Readonly<Record<string, string>> = NLS;
export const nlsCollisions: readonly string[] = COLLISIONS;

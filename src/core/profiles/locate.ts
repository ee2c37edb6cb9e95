/**
 * Where a profile field is written in a settings file (JSON with comments), so "Open Setting" can put the
 * cursor on the bad value. A small tolerant reader: it never throws and returns undefined when lost.
 */

interface Node {
  /** Offset of the value's first character. */
  offset: number;
  /** Offset of the key (for object members), else the value's offset. */
  keyOffset: number;
  object?: Map<string, Node>;
  array?: Node[];
  text?: string;
}

class Reader {
  i = 0;
  constructor(readonly s: string) {}

  skip(): void {
    const s = this.s;
    for (;;) {
      while (this.i < s.length && /\s/.test(s[this.i])) this.i++;
      if (s.startsWith('//', this.i)) {
        const j = s.indexOf('\n', this.i);
        this.i = j < 0 ? s.length : j + 1;
      } else if (s.startsWith('/*', this.i)) {
        const j = s.indexOf('*/', this.i + 2);
        this.i = j < 0 ? s.length : j + 2;
      } else return;
    }
  }

  string(): string | undefined {
    const s = this.s;
    if (s[this.i] !== '"') return undefined;
    let j = this.i + 1;
    for (; j < s.length && s[j] !== '"'; j++) if (s[j] === '\\') j++;
    let out: string | undefined;
    try {
      out = JSON.parse(s.slice(this.i, j + 1)) as string;
    } catch {
      out = s.slice(this.i + 1, j);
    }
    this.i = j + 1;
    return out;
  }

  value(keyOffset: number, depth = 0): Node | undefined {
    this.skip();
    const s = this.s;
    const offset = this.i;
    if (depth > 64 || this.i >= s.length) return undefined;
    const c = s[this.i];
    if (c === '{') {
      this.i++;
      const object = new Map<string, Node>();
      for (;;) {
        this.skip();
        if (s[this.i] === '}') return (this.i++, { offset, keyOffset, object });
        if (s[this.i] === ',') {
          this.i++;
          continue;
        }
        const kOff = this.i;
        const key = this.string();
        if (key === undefined) return undefined;
        this.skip();
        if (s[this.i] !== ':') return undefined;
        this.i++;
        const v = this.value(kOff, depth + 1);
        if (!v) return undefined;
        object.set(key, v);
      }
    }
    if (c === '[') {
      this.i++;
      const array: Node[] = [];
      for (;;) {
        this.skip();
        if (s[this.i] === ']') return (this.i++, { offset, keyOffset, array });
        if (s[this.i] === ',') {
          this.i++;
          continue;
        }
        const v = this.value(this.i, depth + 1);
        if (!v) return undefined;
        array.push(v);
      }
    }
    if (c === '"') return { offset, keyOffset, text: this.string() };
    const m = /^[^\s,}\]]+/.exec(s.slice(this.i, this.i + 64));
    if (!m) return undefined;
    this.i += m[0].length;
    return { offset, keyOffset };
  }
}

/**
 * The offset of `field` (as problems name it: `shmSize`, `volumes[1]`, `env.A`, `gpus.free`, `runArgs (--x)`)
 * in the profile `profile` of `gpuContainers.profiles` in a settings file's text; the profile's own offset when
 * the field is not written there; undefined when the profile is not found.
 */
export function locateProfileField(text: string, profile: string, field?: string): number | undefined {
  const root = new Reader(text).value(0);
  const settings = root?.object?.get('settings')?.object ?? root?.object;
  const list = settings?.get('gpuContainers.profiles')?.array;
  const entry = list?.find((n) => n.object?.get('name')?.text?.trim() === profile);
  if (!entry) return undefined;
  let node: Node = entry;
  const path = (field ?? '').replace(/\s*\(.*$/, '').match(/[^.[\]]+|\[\d+\]/g) ?? [];
  for (const part of path) {
    const next = part.startsWith('[') ? node.array?.[Number(part.slice(1, -1))] : node.object?.get(part);
    if (!next) break;
    node = next;
  }
  return node === entry ? entry.offset : node.keyOffset;
}

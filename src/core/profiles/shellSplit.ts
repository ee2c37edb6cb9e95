/**
 * Splits a settings string (`command`, `entrypoint`, `runArgs`) into arguments the way a POSIX shell
 * splits words — quotes and backslashes — with nothing expanded: `$HOME`, `$(…)` and `*` stay literal.
 */
export function shellSplit(s: string): { args: string[]; error?: string } {
  const args: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === "'") {
      const j = s.indexOf("'", i + 1);
      if (j < 0) return { args, error: 'a single quote is not closed' };
      cur += s.slice(i + 1, j);
      inWord = true;
      i = j + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j++) {
        if (s[j] === '\\' && j + 1 < s.length && '"\\$`'.includes(s[j + 1])) {
          cur += s[j + 1];
          j++;
        } else cur += s[j];
      }
      if (j >= s.length) return { args, error: 'a double quote is not closed' };
      inWord = true;
      i = j + 1;
      continue;
    }
    if (c === '\\') {
      if (i + 1 < s.length) {
        if (s[i + 1] !== '\n') {
          cur += s[i + 1];
          inWord = true;
        }
        i += 2;
        continue;
      }
      return { args, error: 'it ends with a lone backslash' };
    }
    if (/\s/.test(c)) {
      if (inWord) args.push(cur);
      cur = '';
      inWord = false;
      i++;
      continue;
    }
    cur += c;
    inWord = true;
    i++;
  }
  if (inWord) args.push(cur);
  return { args };
}

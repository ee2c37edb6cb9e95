/**
 * Stand-in nvidia-smi scripts for the extension-host suites: shell scripts that print outputs recorded from
 * real ones (test/fixtures/nvidia-smi), written as `<dir>/nvidia-smi` (only in tests).
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from './helpers';

const fixtures = path.join(REPO, 'test', 'fixtures', 'nvidia-smi');

export interface StandInOptions {
  /**
   * Compute processes: `{ extraFile }` prints the recorded ones, then those a test writes in that file next to
   * the script (real PIDs, so /proc maps them to their containers); 'none' prints none.
   */
  apps: { extraFile: string } | 'none';
  /** Whether a bare `nvidia-smi` prints the recorded H100 summary (default true; else it is unexpected). */
  summary?: boolean;
}

/** The 8-GPU stand-in (synthetic recordings): `--query-gpu`, `--query-compute-apps`, `-L`, `topo -m`. */
export function standIn(dir: string, o: StandInOptions): string {
  const file = path.join(dir, 'nvidia-smi');
  const apps =
    o.apps === 'none'
      ? 'exit 0'
      : `cat '${fixtures}/synthetic/query-apps-8.csv'; cat '${dir}/${o.apps.extraFile}' 2>/dev/null; exit 0`;
  const summary = o.summary === false ? '' : `  '') cat '${fixtures}/h100/nvidia-smi.txt' ;;\n`;
  fs.writeFileSync(
    file,
    `#!/bin/sh
case "$*" in
  *--query-gpu*) cat '${fixtures}/synthetic/query-gpu-8.csv' ;;
  *--query-compute-apps*) ${apps} ;;
  -L) cat '${fixtures}/synthetic/nvidia-smi-L-8.txt' ;;
  'topo -m') cat '${fixtures}/synthetic/topo-m-8-pcie.txt' ;;
${summary}  *) echo "unexpected: $*" >&2; exit 2 ;;
esac
`,
    { mode: 0o755 },
  );
  return file;
}

/**
 * The stand-in in replaying mode: each `--query-gpu` prints the next frame of `replay/idle.txt` (frames
 * separated by `---`; the last one repeats). GPU 1 is busy for a few readings, then drops to 0 %.
 */
export function replayingStandIn(dir: string): string {
  const file = path.join(dir, 'nvidia-smi');
  const frames = path.join(fixtures, 'replay', 'idle.txt');
  fs.writeFileSync(
    file,
    `#!/bin/sh
case "$*" in
  *--query-gpu*)
    n=$(cat '${dir}/frame' 2>/dev/null || echo 0)
    last=$(grep -c '^---$' '${frames}')
    [ "$n" -gt "$last" ] && n=$last
    echo $((n + 1)) > '${dir}/frame'
    awk -v want="$n" '/^---$/ { f++; next } f == want' '${frames}' ;;
  *--query-compute-apps*) exit 0 ;;
  '') cat '${fixtures}/h100/nvidia-smi.txt' ;;
  *) exit 2 ;;
esac
`,
    { mode: 0o755 },
  );
  return file;
}

/** The UUID of GPU 1 in the replayed recording (the GPU its holders use, busy then idle). */
export function replayedGpu1(): string {
  return fs
    .readFileSync(path.join(fixtures, 'replay', 'idle.txt'), 'utf8')
    .split('\n')[1]
    .split(',')[1]
    .trim();
}

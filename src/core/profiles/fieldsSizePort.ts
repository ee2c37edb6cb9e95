/**
 * Sizes, CPUs and ports exactly as Docker parses them (go-units RAMInBytes, go-connections/nat).
 * Each parser returns a value or a localized message; none throws.
 */
import { isIP } from 'node:net';
import { t } from '../l10n';
import type { ByteSize, PortBinding, PortSpec } from './profileTypes';

export type Parsed<T> = { value: T; warnings?: string[]; error?: undefined } | { error: string; value?: undefined };

export const ok = <T>(value: T, warnings?: string[]): Parsed<T> =>
  warnings && warnings.length ? { value, warnings } : { value };
export const fail = <T>(error: string): Parsed<T> => ({ error });

// ---------------------------------------------------------------- sizes (go-units RAMInBytes)

const BINARY: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/**
 * Bytes from a human size exactly as go-units `RAMInBytes` computes them: a decimal number, an optional
 * space, then an optional unit b/k/m/g/t/p (case-insensitive, binary multiples) with an optional `b` or `ib`.
 * `16g` = `16G` = `16gb` = `16GiB` = 17179869184; `1.5g` = 1610612736 (fractions truncated).
 */
export function parseRamSize(input: string | number): Parsed<ByteSize> {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0 || !Number.isInteger(input)) {
      return fail(t('{0} is not a valid size; use a whole number of bytes or a string such as "16g".', input));
    }
    return ok({ bytes: input, text: String(input) });
  }
  const text = input;
  const bad = (why: string) =>
    fail<ByteSize>(
      t(
        '"{0}" is not a valid size ({1}); write a number with an optional unit b, k, m, g, t or p, e.g. "16g" or "512m".',
        text,
        why,
      ),
    );
  let sep = -1;
  for (let i = text.length - 1; i >= 0; i--) {
    if ('0123456789. '.includes(text[i])) {
      sep = i;
      break;
    }
  }
  if (sep === -1) return bad(t('it has no digits'));
  let num: string;
  let sfx: string;
  if (text[sep] !== ' ') {
    num = text.slice(0, sep + 1);
    sfx = text.slice(sep + 1);
  } else {
    num = text.slice(0, sep);
    sfx = text.slice(sep + 1);
  }
  // strconv.ParseFloat syntax (decimal only), no leading/trailing spaces
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(num)) return bad(t('the number part is not a number'));
  let size = Number(num);
  if (!Number.isFinite(size)) return bad(t('the number is out of range'));
  if (size < 0) return bad(t('it is negative'));
  if (sfx.length > 0) {
    if (sfx.length > 3) return bad(t('unknown unit "{0}"', sfx));
    const s = sfx.toLowerCase();
    if (s[0] === 'b') {
      if (s.length > 1) return bad(t('unknown unit "{0}"', sfx));
    } else {
      const mul = BINARY[s[0]];
      if (!mul) return bad(t('unknown unit "{0}"', sfx));
      if (s.length === 2 && s[1] !== 'b') return bad(t('unknown unit "{0}"', sfx));
      if (s.length === 3 && s.slice(1) !== 'ib') return bad(t('unknown unit "{0}"', sfx));
      size *= mul;
    }
  }
  const bytes = Math.trunc(size);
  if (!Number.isSafeInteger(bytes)) return bad(t('it is too large'));
  return ok({ bytes, text });
}

/** `--cpus`: a decimal number of CPUs → NanoCpus, like the docker CLI (at most 9 decimals). */
export function parseCpus(input: string | number): Parsed<{ nanoCpus: number; text: string }> {
  const text = typeof input === 'number' ? String(input) : input.trim();
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) {
    return fail(t('"{0}" is not a number of CPUs; write a decimal number such as 2 or 1.5.', text));
  }
  const frac = m[2] ?? '';
  if (frac.replace(/0+$/, '').length > 9)
    return fail(t('"{0}" is too precise for cpus; use at most 9 decimals.', text));
  const nano = Number(m[1] || '0') * 1e9 + Number((frac + '000000000').slice(0, 9));
  if (!Number.isSafeInteger(nano)) return fail(t('"{0}" is too large for cpus.', text));
  // Docker takes --cpus 0 and sets no limit at all: a profile that says 0 almost certainly meant something else.
  if (nano === 0)
    return fail(
      t(
        'cpus {0} sets no limit (Docker reads 0 as unlimited); remove "cpus" for no limit, or give a number above 0 such as 1.5.',
        text,
      ),
    );
  return ok({ nanoCpus: nano, text });
}

// ---------------------------------------------------------------- ports (go-connections/nat)

function parseUint16(s: string): number | undefined {
  if (!/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 65535 ? n : undefined;
}

function parsePortRange(s: string): [number, number] | string {
  if (s === '') return 'empty port';
  if (!s.includes('-')) {
    const n = parseUint16(s);
    return n === undefined ? t('"{0}" is not a port number (0-65535)', s) : [n, n];
  }
  const parts = s.split('-');
  const a = parseUint16(parts[0]);
  const b = parseUint16(parts[1]);
  if (a === undefined || b === undefined) return t('"{0}" is not a port range such as 8000-8010', s);
  if (b < a) return t('the range "{0}" ends before it starts', s);
  return [a, b];
}

/** A `-p` spec exactly as docker parses it: `[ip:][hostPort:]containerPort[/proto]`, ranges, `[::1]:80:80`. */
export function parsePortSpec(input: string | number): Parsed<PortSpec> {
  const text = String(input);
  const bad = (why: string) =>
    fail<PortSpec>(
      t(
        '"{0}" is not a valid port mapping: {1}. Use [ip:][hostPort:]containerPort[/tcp|udp|sctp], e.g. "8888:8888" or "127.0.0.1:8888:8888".',
        text,
        why,
      ),
    );
  if (text.includes('=')) return bad(t('the long key=value syntax is not supported'));
  const parts = text.split(':');
  const n = parts.length;
  let ip = '';
  let hostPort = '';
  let containerPart = parts[n - 1];
  if (n === 2) hostPort = parts[0];
  else if (n === 3) [ip, hostPort] = [parts[0], parts[1]];
  else if (n > 3) [ip, hostPort] = [parts.slice(0, n - 2).join(':'), parts[n - 2]];
  // SplitProtoPort
  let proto = '';
  if (containerPart !== '') {
    const pp = containerPart.split('/');
    if (pp[0] === '') containerPart = '';
    else if (pp.length === 1) proto = 'tcp';
    else {
      proto = pp[1] === '' ? 'tcp' : pp[1];
      containerPart = pp[0];
    }
  }
  if (ip.startsWith('[')) {
    if (!ip.endsWith(']')) return bad(t('invalid IP address {0}', ip));
    ip = ip.slice(1, -1);
  }
  if (ip !== '' && isIP(ip) === 0) return bad(t('invalid IP address {0}', ip));
  if (containerPart === '') return bad(t('no container port'));
  const cr = parsePortRange(containerPart);
  if (typeof cr === 'string') return bad(cr);
  let hr: [number, number] = [0, 0];
  if (hostPort !== '') {
    const r = parsePortRange(hostPort);
    if (typeof r === 'string') return bad(r);
    hr = r;
  }
  if (hostPort !== '' && cr[1] - cr[0] !== hr[1] - hr[0] && cr[1] !== cr[0]) {
    return bad(t('the container range {0} and host range {1} differ in size', containerPart, hostPort));
  }
  const lproto = proto.toLowerCase();
  if (!['tcp', 'udp', 'sctp'].includes(lproto)) return bad(t('unknown protocol "{0}"', proto));
  const bindings: PortBinding[] = [];
  for (let i = 0; i <= cr[1] - cr[0]; i++) {
    let hp = hostPort === '' ? '' : String(hr[0] + i);
    if (cr[0] === cr[1] && hr[0] !== hr[1]) hp = `${hp}-${hr[1]}`;
    bindings.push({ containerPort: `${cr[0] + i}/${lproto}`, hostIp: ip, hostPort: hp });
  }
  return ok({ text, bindings });
}

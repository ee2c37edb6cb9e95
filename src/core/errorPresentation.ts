import { t } from './l10n';

/** What a button under an error does; the glue maps each to a command. */
export type FixAction = 'loadFromFile' | 'retry' | 'openHostSetting' | 'refresh' | 'openLog';

/** The fields of an EngineError this needs (kept structural so core stays free of classes). */
export interface EngineErrorLike {
  kind: string;
  message: string;
  fix: string;
  engineMessage?: string;
  image?: string;
  statusCode?: number;
  registry?: string;
}

export interface PresentedError {
  /** One line for the notification: the sentence, plus the fix in words when no button does it. */
  message: string;
  actions: FixAction[];
}

const RAW_STATUS = /^The Docker engine answered \d+:\s*/i;
const PORT_TAKEN = [
  /Bind for (\S*?):(\d+) failed: port is already allocated/i,
  /listen tcp6? (\S*?):(\d+): bind: address already in use/i,
];

/** The first sentence of `text`, on one line, ending with a full stop. */
export function oneSentence(text: string, max = 220): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const cut = line.length > max ? `${line.slice(0, max - 1)}…` : line;
  return /[.!?\u2026:]$/.test(cut) ? cut.replace(/:$/, '.') : `${cut}.`;
}

/** The host port an engine "port is already allocated / address in use" message is about, if it is one. */
export function takenPortOf(message: string): number | undefined {
  for (const re of PORT_TAKEN) {
    const m = re.exec(message);
    if (m) return Number(m[2]);
  }
  return undefined;
}

/**
 * An engine failure as the user sees it: one sentence and the fix as a button where a button can do it
 * (Load from File…, Retry, Open Setting, Refresh, Open GPU Containers Log) — never "The Docker engine
 * answered 500: …".
 */
export function presentEngineError(e: EngineErrorLike): PresentedError {
  const port = takenPortOf(e.engineMessage ?? e.message);
  if (port !== undefined) {
    return {
      message: `${t('Host port {0} is already in use on the Docker host.', port)} ${t(
        'Stop the container that publishes it, or choose another host port in the profile.',
      )}`,
      actions: ['refresh'],
    };
  }
  const raw = RAW_STATUS.test(e.message);
  const sentence = raw
    ? t('Docker refused the request: {0}', oneSentence(e.message.replace(RAW_STATUS, '')))
    : oneSentence(e.message);
  switch (e.kind) {
    case 'registryUnreachable':
      return { message: sentence, actions: ['loadFromFile'] };
    case 'imageMissing':
      return { message: sentence, actions: ['loadFromFile'] };
    case 'notFound':
      return { message: sentence, actions: ['refresh'] };
    case 'unreachable':
    case 'timeout':
      return { message: `${sentence} ${e.fix}`, actions: ['retry', 'openHostSetting'] };
    case 'permissionDenied':
      return { message: `${sentence} ${e.fix}`, actions: ['openHostSetting'] };
    case 'unknown':
      return e.image
        ? { message: sentence, actions: ['loadFromFile', 'openLog'] }
        : { message: sentence, actions: ['openLog'] };
    default:
      return { message: `${sentence} ${e.fix}`.trim(), actions: ['openLog'] };
  }
}

/**
 * A failed pull in one sentence that names the host: "labgpu1 cannot reach nvcr.io — offline?" (the raw
 * resolver error goes to the log, not the message); otherwise "Could not pull X: reason.".
 */
export function pullFailureMessage(e: EngineErrorLike, ref: string, host: string): string {
  if (e.kind === 'registryUnreachable' && e.registry) return t('{0} cannot reach {1} — offline?', host, e.registry);
  const sentence = oneSentence(e.message);
  return sentence.startsWith(`Could not pull ${ref}`) ? sentence : t('Could not pull {0}: {1}', ref, sentence);
}

import type { EventChange } from './engineTypes';

/** Container actions that change what a row shows; exec_*, attach, resize, top… do not. */
const CONTAINER_ACTIONS = new Set(
  'create start restart die stop pause unpause destroy rename update oom kill'.split(' '),
);
/**
 * Actions after which the row's state has settled, so the container is inspected at once instead of after the
 * coalescing window. Measured on dockerd 20.10: `docker run -d` is create, then start ~300 ms later (the CLI
 * returns right after start); `docker stop` is kill, kill, die, stop within ~70 ms (the CLI returns after
 * stop); `rm -f` is kill, die, destroy (the container reads "removing" throughout, and destroy drops the row
 * at once). Waiting out the window after start or die only delays the row.
 */
const SETTLED_ACTIONS = new Set(['start', 'die', 'pause', 'unpause']);
const IMAGE_ACTIONS = new Set(['pull', 'push', 'tag', 'untag', 'delete', 'import', 'load', 'save', 'build']);

/** A Docker (or Docker-compatible) event's meaning for the views, from its type and action. */
export function dockerEventChange(type: string, action: string): EventChange {
  if (type === 'container') {
    // `exec_start: bash` and `health_status: healthy` carry a detail after the colon.
    const verb = action.split(':')[0];
    if (!CONTAINER_ACTIONS.has(verb)) return 'none';
    if (verb === 'destroy') return 'removed';
    return SETTLED_ACTIONS.has(verb) ? 'settled' : 'changed';
  }
  if (type === 'image') return IMAGE_ACTIONS.has(action) ? 'images' : 'none';
  return 'none';
}

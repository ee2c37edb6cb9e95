/**
 * A container back to a profile ("how was this started?"): the Engine API's inspect JSON, minus what the
 * image and Docker supply by default, as a Profile. `docker run` lines and launch profiles are then written
 * by the usual exporters. Pure: the caller passes the container's and (when it has it) the image's inspect.
 * Each field's part is its descriptor's `inspect` hook (fieldTable.ts), in PROFILE_KEYS order.
 */
import { nameFromImage } from './imageName';
import { FIELDS } from './fieldTable';
import type { EngineDefaults } from './fromContainerTail';
import type { ContainerInspectJson, ImageInspectJson } from './inspectJson';
import { emptyProfile, type Profile } from './profileTypes';

/**
 * Container inspect (+ its image's inspect, and what the engine defaults to) → profile. Never throws; unknown
 * shapes are skipped.
 */
export function profileFromInspect(
  c: ContainerInspectJson,
  image?: ImageInspectJson,
  engine?: EngineDefaults,
): Profile {
  const cfg = c?.Config ?? {};
  const name = String(c?.Name ?? '').replace(/^\//, '');
  // The profile is named after the container (or its image); the name itself is no setting of the container.
  const p = emptyProfile(name || nameFromImage(cfg.Image));
  const x = { c, cfg, hc: c?.HostConfig ?? {}, img: image?.Config ?? {}, image, engine };
  for (const f of FIELDS) f.inspect?.(p, x);
  return p;
}

/** Labels this extension puts on the containers it creates. */
export const OWNER_LABEL = 'gpu-containers.owner';
export const PROFILE_LABEL = 'gpu-containers.profile';
export const CREATED_BY_LABEL = 'gpu-containers.created-by';
/** The GPU request as the user wrote it (`all`, `2`, `device=0,1`, `free=2`), on containers this extension creates. */
export const GPU_REQUEST_LABEL = 'gpu-containers.gpus';
/** The GPUs picked at launch, as comma-separated UUIDs (for `free` requests; also set for explicit devices when known). */
export const GPU_UUIDS_LABEL = 'gpu-containers.gpu-uuids';
/** When a GPU lease ends (ISO 8601 UTC, `2026-12-06T18:00:00Z`), on containers of profiles with `gpus.hold`. */
export const LEASE_UNTIL_LABEL = 'gpu-containers.lease-until';
/** How long the profile holds its GPUs (`8h`), so that Extend adds the same again. */
export const LEASE_HOLD_LABEL = 'gpu-containers.lease-hold';
/** A launch profile's idle policy (`below=5%;for=2h;then=stop`), applied by the owner's extension (core/gpu/idlePolicy.ts). */
export const IDLE_POLICY_LABEL = 'gpu-containers.idle';

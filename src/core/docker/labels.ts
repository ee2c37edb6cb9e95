/** Labels this extension puts on the containers it creates. */
export const LABEL_PREFIX = 'gpu-containers.';
export const OWNER_LABEL = 'gpu-containers.owner';
export const PROFILE_LABEL = 'gpu-containers.profile';
export const CREATED_BY_LABEL = 'gpu-containers.created-by';

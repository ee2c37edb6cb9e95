/**
 * The parts of the Engine API's container and image inspect JSON that a profile is read back from
 * (fromContainer.ts, fromContainerTail.ts). Field types are the API's; everything is optional, and the
 * readers still check shapes where a wrong one would throw: the JSON comes from an engine or a file.
 */
export interface DeviceRequestJson {
  Driver?: string;
  Count?: number;
  DeviceIDs?: string[] | null;
  Capabilities?: string[][] | null;
  Options?: Record<string, string> | null;
}

export interface PortBindingJson {
  HostIp?: string;
  HostPort?: string;
}

export interface MountJson {
  Type?: string;
  Source?: string;
  Target?: string;
  ReadOnly?: boolean;
  BindOptions?: { Propagation?: string };
  VolumeOptions?: { NoCopy?: boolean };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

export interface HealthcheckJson {
  Test?: string[];
  /** Durations in nanoseconds. */
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

/** `Config` of a container, and of an image. Other keys are read by name (the long tail of flags). */
export interface ConfigJson {
  [key: string]: unknown;
  Image?: string;
  Hostname?: string;
  User?: string;
  WorkingDir?: string;
  Env?: string[] | null;
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Labels?: Record<string, string> | null;
  Volumes?: Record<string, object> | null;
  ExposedPorts?: Record<string, object> | null;
  Healthcheck?: HealthcheckJson;
}

/** `HostConfig` of a container. Other keys are read by name (the long tail of flags). */
export interface HostConfigJson {
  [key: string]: unknown;
  DeviceRequests?: DeviceRequestJson[] | null;
  ShmSize?: number;
  IpcMode?: string;
  NetworkMode?: string;
  PortBindings?: Record<string, PortBindingJson[] | null> | null;
  Binds?: string[] | null;
  Mounts?: MountJson[] | null;
  AutoRemove?: boolean;
  RestartPolicy?: { Name?: string; MaximumRetryCount?: number };
  Ulimits?: Array<{ Name: string; Soft: number; Hard: number }> | null;
  Privileged?: boolean;
  Init?: boolean | null;
  CapAdd?: string[] | null;
  CapDrop?: string[] | null;
  SecurityOpt?: string[] | null;
  Devices?: Array<{ PathOnHost: string; PathInContainer: string; CgroupPermissions: string }> | null;
  ExtraHosts?: string[] | null;
  NanoCpus?: number;
  Memory?: number;
  MemorySwap?: number;
  MemorySwappiness?: number | null;
  PidsLimit?: number | null;
  CgroupnsMode?: string;
  Runtime?: string;
  Sysctls?: Record<string, string> | null;
  StorageOpt?: Record<string, string> | null;
  Tmpfs?: Record<string, string> | null;
  LogConfig?: { Type?: string; Config?: Record<string, string> };
}

/** One network endpoint of a container, as asked for at create (before start, only that). */
export interface EndpointJson {
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] | null } | null;
  Aliases?: string[] | null;
}

/** `docker inspect <container>` (one element), or GET /containers/{id}/json. */
export interface ContainerInspectJson {
  Id?: string;
  Name?: string;
  /** The image ID the container runs. */
  Image?: string;
  Config?: ConfigJson;
  HostConfig?: HostConfigJson;
  NetworkSettings?: { Networks?: Record<string, EndpointJson | null> | null } | null;
}

/** `docker image inspect` (one element), or GET /images/{name}/json. */
export interface ImageInspectJson {
  Config?: ConfigJson;
}

/** The strings of an inspect list (anything else, or no list, is none). */
export const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

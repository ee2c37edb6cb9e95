/**
 * The few Kubernetes object shapes the extension reads and writes (core/v1 Pod, Node, Secret; Status), typed only
 * as far as we use them. Plain data: the API's JSON as it is.
 */

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  /** Set with deletionTimestamp: the grace the kubelet gives the containers (seconds). */
  deletionGracePeriodSeconds?: number;
  /** Keys that hold a deleted object until the controller that owns each removes it. */
  finalizers?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string }>;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

export interface KubeContainer {
  name: string;
  image: string;
  imagePullPolicy?: 'IfNotPresent' | 'Always' | 'Never';
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  ports?: Array<{ containerPort: number; protocol?: string; name?: string }>;
  stdin?: boolean;
  tty?: boolean;
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  securityContext?: {
    runAsUser?: number;
    runAsGroup?: number;
    privileged?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { add?: string[]; drop?: string[] };
    seccompProfile?: { type: string };
  };
}

export interface KubeVolume {
  name: string;
  hostPath?: { path: string };
  emptyDir?: { medium?: string; sizeLimit?: string };
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
}

export interface PodSpec {
  containers: KubeContainer[];
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  volumes?: KubeVolume[];
  hostIPC?: boolean;
  hostNetwork?: boolean;
  hostname?: string;
  hostAliases?: Array<{ ip: string; hostnames: string[] }>;
  runtimeClassName?: string;
  nodeName?: string;
  enableServiceLinks?: boolean;
  terminationGracePeriodSeconds?: number;
}

export interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  image?: string;
  imageID?: string;
  state?: {
    waiting?: { reason?: string; message?: string };
    running?: { startedAt?: string };
    terminated?: { exitCode?: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string };
  };
}

export interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface Pod {
  apiVersion?: 'v1';
  kind?: 'Pod';
  metadata: ObjectMeta;
  spec: PodSpec;
  status?: {
    phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
    reason?: string;
    message?: string;
    conditions?: PodCondition[];
    containerStatuses?: ContainerStatus[];
    startTime?: string;
    hostIP?: string;
  };
}

export interface Node {
  metadata: ObjectMeta;
  spec?: { unschedulable?: boolean; taints?: Array<{ key: string; effect: string }> };
  status?: {
    capacity?: Record<string, string>;
    allocatable?: Record<string, string>;
    conditions?: Array<{ type: string; status: string }>;
    nodeInfo?: { kubeletVersion?: string };
  };
}

export interface List<T> {
  metadata: { resourceVersion?: string };
  items: T[];
}

export * from './request';
export * from './smi';
export * from './noGpu';
export * from './cgroup';
export * from './model';
export * from './cuda';
export * from './probe';
export * from './messages';

export * from './settings';
export * from './model';
export * from './rank';
export * from './ssh';
export * from './remoteGpu';
export * from './remotePaths';
export * from './endpoints';
export * from './tree';

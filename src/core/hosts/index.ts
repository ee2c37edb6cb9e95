export * from './settings';
export * from './model';
export * from './rank';
export * from './ssh';
export * from './remoteGpu';
export * from './remotePaths';

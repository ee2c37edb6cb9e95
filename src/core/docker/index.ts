export * from './types';
export * from './labels';
export * from './errors';
export * from './endpoint';
export * from './mapping';
export * from './streams';
export * from './engine';

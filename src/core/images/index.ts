export * from './refs';
export * from './auth';
export * from './build';
export * from './progress';
export * from './transfer';
export * from './transferPush';
export { archiveFolder } from './transferFiles';

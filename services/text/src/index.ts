export * from './segment';
export * from './query';
export * from './highlight';
export * from './similarity';
export * from './recommend';
export * from './dataset';
export * from './evaluate';
export * from './synonyms';

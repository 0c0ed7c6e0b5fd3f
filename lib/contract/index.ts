/**
 * The wire contract: every JSON body the HTTP API takes and returns, and every socket.io
 * event. Server and browser both import from here, so a shape change fails to compile on
 * both sides at once. Domain types stay in their own layers; this folder only names what
 * crosses the wire.
 */
export * from './types';
export * from './socket';
export * from './schedules';
export * from './uploads';
export * from './notebook-extras';
export * from './kestra';
export * from './share';
export * from './namespace-files';
export * from './courses';

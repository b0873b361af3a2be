/**
 * flushlab: the public API that notebooks import by name (`import { … } from 'flushlab'`).
 */
export { version } from './version';

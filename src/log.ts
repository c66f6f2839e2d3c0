import debug from 'debug';

/**
 * The debug log: each hit, miss, write, expiry, eviction and version change, off by
 * default; `DEBUG=funes node app.js` turns it on. Callers check `log.enabled` first,
 * so that a hit pays nothing for it when it is off.
 */
export const log = debug('funes');

/** The package version, read from package.json so there is one source of truth. */
// eslint-disable-next-line @typescript-eslint/no-var-requires
export const version: string = (require('../package.json') as { version: string }).version;

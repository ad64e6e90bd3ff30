// @ts-check
// The one interface every engine driver gives the spec (see ../spec.js).

/**
 * @typedef {object} EnginePage
 * @property {string} version the browser's name and version, for the report
 * @property {(url: string) => Promise<void>} open
 * @property {(name: string, args: unknown[]) => Promise<any>} call calls `window.engineTest[name](...args)` and resolves with its JSON result
 * @property {(selector: string, path: string) => Promise<void>} setFile picks a file on disk in an `<input type=file>`
 * @property {() => Promise<void>} reload
 * @property {((offline: boolean) => Promise<void>)} [setOffline] present only where the driver can cut the page's network
 * @property {() => Promise<void>} close
 */
export {}

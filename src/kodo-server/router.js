// @ts-check

/**
 * @template T
 * @typedef {{ method: string, pattern: RegExp } & T} RouteEntry
 */

/**
 * Finds the entry for a request. Captured path segments come back URL-decoded.
 * @template T
 * @param {RouteEntry<T>[]} table
 * @param {string} method
 * @param {string} path
 * @returns {{ entry: RouteEntry<T>, params: string[] } | null}
 */
export function matchRoute(table, method, path) {
  for (const entry of table) {
    const match = entry.method === method ? entry.pattern.exec(path) : null
    if (match) return { entry, params: match.slice(1).map(decodeSegment) }
  }
  return null
}

/**
 * Malformed percent-encoding is left as it is; the segment then fails its own check (Base64, bucket…).
 * @param {string} segment
 */
function decodeSegment(segment) {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

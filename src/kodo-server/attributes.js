// @ts-check
// Object metadata (`x-qn-meta-*`) and custom variables (`x:*`), as form fields, mkfile segments or
// the maps of V2 complete.
import { KodoError } from './errors.js'

const METADATA_NAME = /^x-qn-meta-[A-Za-z0-9_-]{1,50}$/
const METADATA_MAX_BYTES = 1024

/**
 * Sorts the name/value pairs of a form or an mkfile path into metadata, custom variables, the fields the
 * API knows and the names of the ones it ignores.
 * @param {Iterable<[string, string]>} pairs
 * @param {string[]} known
 */
export function splitAttributes(pairs, known) {
  /** @type {Record<string, string>} */
  const metadata = {}
  /** @type {Record<string, string>} */
  const customVars = {}
  /** @type {Record<string, string>} */
  const named = {}
  /** @type {string[]} */
  const ignoredFields = []
  for (const [name, value] of pairs) {
    if (name.startsWith('x-qn-meta-')) metadata[name] = value
    else if (name.startsWith('x:')) customVars[name] = value
    else if (known.includes(name)) named[name] = value
    else ignoredFields.push(name)
  }
  return { ...checkAttributes(metadata, customVars), named, ignoredFields }
}

/**
 * The rules of the complete API's `metadata` and `customVars`, applied to every upload method.
 * @param {unknown} metadata
 * @param {unknown} customVars
 * @returns {{ metadata: Record<string, string>, customVars: Record<string, string> }}
 */
export function checkAttributes(metadata, customVars) {
  checkStringMap(metadata, 'metadata')
  checkStringMap(customVars, 'customVars')
  const bad = Object.keys(metadata).find((name) => !METADATA_NAME.test(name))
  if (bad !== undefined) throw new KodoError(400, `invalid metadata key: ${bad}`)
  const size = Object.entries(metadata).reduce((sum, [k, v]) => sum + Buffer.byteLength(k + v), 0)
  if (size > METADATA_MAX_BYTES) throw new KodoError(400, 'metadata too large')
  const badVar = Object.keys(customVars).find((name) => !name.startsWith('x:'))
  if (badVar !== undefined) throw new KodoError(400, `invalid customVars key: ${badVar}`)
  return { metadata, customVars }
}

/**
 * @param {unknown} map
 * @param {string} what
 * @returns {asserts map is Record<string, string>}
 */
function checkStringMap(map, what) {
  const isMap = typeof map === 'object' && map !== null && !Array.isArray(map)
  if (!isMap || Object.values(map).some((value) => typeof value !== 'string')) {
    throw new KodoError(400, `${what} must map names to strings`)
  }
}

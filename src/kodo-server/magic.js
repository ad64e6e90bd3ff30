// @ts-check
// Magic variables (§2.3): `$(name)` in returnBody and saveKey templates.
import { extname } from 'node:path'

/**
 * @typedef {object} UploadFacts
 * @property {string} bucket
 * @property {string} [key] Unknown while saveKey is being expanded.
 * @property {string} hash
 * @property {number} fsize
 * @property {string} fname
 * @property {string} mimeType
 * @property {Record<string, string>} customVars
 * @property {unknown} endUser From the policy.
 * @property {string} uuid One per upload, so saveKey and returnBody agree.
 */

/** @typedef {(name: string) => unknown} Lookup Value of a magic variable; undefined when unknown. */

/**
 * @param {UploadFacts} facts
 * @returns {Lookup}
 */
export function magicVariables(facts) {
  /** @type {Record<string, unknown>} */
  const values = {
    bucket: facts.bucket,
    key: facts.key,
    etag: facts.hash,
    fsize: facts.fsize,
    fname: facts.fname,
    mimeType: facts.mimeType,
    endUser: facts.endUser,
    ext: extname(facts.fname),
    uuid: facts.uuid,
  }
  return (name) => (name.startsWith('x:') ? facts.customVars[name] : values[name])
}

/**
 * Plain-text expansion for saveKey; unknown variables become ''.
 * @param {string} template
 * @param {Lookup} lookup
 */
export function expandSaveKey(template, lookup) {
  return template.replace(/\$\(([^)]+)\)/g, (_, name) => String(lookup(name) ?? ''))
}

const VARIABLE = /\$\(([^)]+)\)/y

/**
 * JSON-aware expansion for returnBody. Inside a JSON string (`"$(key)"`) a variable becomes escaped text;
 * outside one (`$(key)`) it becomes a JSON value: numbers bare, strings quoted, unknown ones null.
 * @param {string} template
 * @param {Lookup} lookup
 */
export function expandReturnBody(template, lookup) {
  let out = ''
  let inString = false
  for (let i = 0; i < template.length; ) {
    VARIABLE.lastIndex = i
    const variable = VARIABLE.exec(template)
    if (variable) {
      const value = lookup(variable[1])
      out += inString ? JSON.stringify(String(value ?? '')).slice(1, -1) : JSON.stringify(value ?? null)
      i = VARIABLE.lastIndex
      continue
    }
    const step = inString && template[i] === '\\' ? 2 : 1
    if (template[i] === '"') inString = !inString
    out += template.slice(i, i + step)
    i += step
  }
  return out
}

import { invalidInput, UploadError } from '../errors.js'
import { checkHosts } from '../http/endpoints.js'
import { tagOf } from '../utils/value-kind.js'

/** Where and how the object is stored (the seed's `ObjectParams`). */
export interface ObjectParams {
  /** The object key; without it the server picks one (saveKey or the content hash). */
  objectName?: string
  /** The original file name (`fname`); defaults to a File's name. */
  fileName?: string
  /** The object's MIME type; defaults to a File's type. */
  contentType?: string
  /** Object metadata; names without the `x-qn-meta-` prefix (the library adds it). */
  metadata?: Record<string, string>
  /** Custom variables for returnBody and callbacks; names without the `x:` prefix. */
  customVars?: Record<string, string>
  /** Upload to these up hosts instead of the bucket's regions, e.g. `['http://127.0.0.1:9400']`. */
  upEndpoints?: string[]
  /** Abort: every request stops at once; a resumable upload keeps its record. */
  signal?: AbortSignal
}

/** Metadata and custom variables with their wire prefixes, checked once. */
export function prefixedMetadata(params: ObjectParams): Record<string, string> {
  return prefixed(params.metadata, 'x-qn-meta-', METADATA_NAME)
}

export function prefixedCustomVars(params: ObjectParams): Record<string, string> {
  return prefixed(params.customVars, 'x:', CUSTOM_VAR_NAME)
}

/** Kodo's rule for metadata names after `x-qn-meta-`; custom-var names go into mkfile paths, so the same characters. */
const METADATA_NAME = /^[A-Za-z0-9_-]{1,50}$/
const CUSTOM_VAR_NAME = /^[A-Za-z0-9_-]+$/

function prefixed(values: Record<string, string> | undefined, prefix: string, rule: RegExp): Record<string, string> {
  if (values !== undefined && (typeof values !== 'object' || values === null || Array.isArray(values))) {
    throw invalidInput(`\`${prefix === 'x:' ? 'customVars' : 'metadata'}\` is an object of strings`, values)
  }
  const result: Record<string, string> = {}
  for (const [name, value] of Object.entries(values ?? {})) {
    if (name.startsWith(prefix)) {
      throw new UploadError('invalid-input', `Pass "${name}" without its "${prefix}" prefix: the library adds it.`)
    }
    if (!rule.test(name)) {
      throw new UploadError('invalid-input', `"${name}" cannot follow "${prefix}": names are letters, digits, "_" and "-"${prefix === 'x:' ? '' : ', at most 50'}.`)
    }
    if (typeof value !== 'string') throw new UploadError('invalid-input', `The value of "${prefix}${name}" must be a string.`)
    result[prefix + name] = value
  }
  return result
}

/** Everything about `params` that can be checked before the first request. */
export function checkObjectParams(params: ObjectParams): void {
  if (typeof params !== 'object' || params === null) throw invalidInput('The params are an object', params)
  for (const name of ['objectName', 'fileName', 'contentType'] as const) {
    if (params[name] !== undefined && typeof params[name] !== 'string') throw invalidInput(`\`${name}\` is a string`, params[name])
  }
  if (params.upEndpoints !== undefined) checkHosts('upEndpoints', params.upEndpoints)
  if (params.signal !== undefined && tagOf(params.signal) !== 'AbortSignal') {
    throw invalidInput('`signal` is an AbortSignal: pass `controller.signal`, not the controller', params.signal)
  }
  if (params.objectName === '') {
    throw new UploadError('invalid-input', 'The object name is an empty string: pass a key, or leave it out to let the server choose one.')
  }
  prefixedMetadata(params)
  prefixedCustomVars(params)
}

/** What a fixed token's `bucket:key` scope allows: that key, or keys under it with `isPrefixalScope`. */
export interface ScopeKey {
  key: string
  prefixal: boolean
}

/**
 * `params` as the token's scope wants them: without an object name, the one key it allows; with one it
 * refuses, `invalid-input` before any request (the server would answer 403 once the file was sent).
 */
export function paramsForScope(params: ObjectParams, scope: ScopeKey | undefined): ObjectParams {
  if (!scope) return params
  const { objectName } = params
  if (objectName === undefined) return scope.prefixal ? params : { ...params, objectName: scope.key }
  if (scope.prefixal ? objectName.startsWith(scope.key) : objectName === scope.key) return params
  throw new UploadError('invalid-input', `The upload token only allows the key ${scope.prefixal ? 'prefix ' : ''}"${scope.key}"; objectName is "${objectName}".`)
}

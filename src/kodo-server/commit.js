// @ts-check
// The last step of every upload method: the policy's key, limit and overwrite rules, then the object.
import { randomUUID } from 'node:crypto'
import { expandReturnBody, magicVariables } from './magic.js'
import { checkKeyScope, checkLimits, resolveKey, shouldWrite } from './policy.js'
/** @typedef {import('./types.js').Segment} Segment */

export const DEFAULT_MIME_TYPE = 'application/octet-stream'
/** @typedef {import('./policy.js').Grant} Grant */

/**
 * @typedef {object} NewObject
 * @property {'form' | 'complete' | 'mkfile'} api
 * @property {string | null} requestedKey
 * @property {Segment[]} segments
 * @property {number} fsize
 * @property {string} hash
 * @property {string} mimeType
 * @property {string} fname
 * @property {Record<string, string>} metadata
 * @property {Record<string, string>} customVars
 * @property {string[]} ignoredFields
 */

/**
 * Stores the object an upload produced. On success the object owns the segments (or, when an identical
 * object already exists, they are deleted); on error the caller still owns them.
 * @param {import('./state.js').State} state
 * @param {Grant} grant
 * @param {NewObject} upload
 * @returns {Promise<{ key: string, hash: string, body: string }>} The final key, the object's hash and the success body (JSON text).
 */
export async function commitObject(state, grant, upload) {
  const facts = { ...upload, bucket: grant.bucket, endUser: grant.policy.endUser, uuid: randomUUID() }
  const key = resolveKey(grant.policy, upload.requestedKey, magicVariables(facts), upload.hash)
  checkKeyScope(grant, key, upload.api === 'form' ? 403 : 401)
  checkLimits(grant.policy, upload.fsize, upload.mimeType)
  if (shouldWrite(grant, upload.api, state.objects.get(grant.bucket, key), upload.hash)) {
    const { api, requestedKey, ...object } = upload
    await state.objects.put(grant.bucket, { ...object, key, putTime: Date.now() })
  } else {
    await state.blobs.remove(upload.segments)
  }
  const { returnBody } = grant.policy
  const body =
    typeof returnBody === 'string'
      ? expandReturnBody(returnBody, magicVariables({ ...facts, key }))
      : JSON.stringify({ hash: upload.hash, key })
  return { key, hash: upload.hash, body }
}

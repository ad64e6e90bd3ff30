import { isUploadError } from '../errors.js'
import type { Digest, DigestRequest, Hasher } from '../hashing/hasher.js'
import type { DataSourcePart } from '../sources/data-source.js'
import { listedSizeAt, type ListedOnServer } from './listed-part.js'
import type { PartsState, TakenPart } from './parts-state.js'

/** What cutting and hashing a part depends on, from the uploader. */
export interface PartCutter {
  hasher: Hasher
  /** The digests a part needs before it is sent. */
  digestRequest: DigestRequest
  checkObjectHash: boolean
  /** The protocol's size for a part of `size` bytes (see `normalizePartSize`). */
  normalize(size: number): number
  /** The size of a new part at `offset` (the part-size provider's answer, within the protocol's limits). */
  sizeAt(offset: number, partNumber: number): number
}

/**
 * The part for a lane that asks now; tops up the parts taken ahead to one per lane in a part, so each
 * lane's next hash runs while its part goes up (the hashers take jobs in order: the parts the lanes
 * wait for come first). Memory stays bounded: at most two parts per lane are read at once.
 */
export function nextPart(state: PartsState, cutter: PartCutter): Promise<TakenPart | null> {
  const next = state.ahead.shift() ?? takePart(state, cutter)
  while (state.ahead.length < state.lanesInPart) {
    const ahead = takePart(state, cutter)
    ahead.catch(() => {}) // a failing source rejects it too; the lane that takes it (if any) sees that
    state.ahead.push(ahead)
  }
  return next
}

/** The first part's digest started before the upload began, when it is this part's. */
export function firstPartDigest(state: PartsState, part: DataSourcePart): Promise<Digest> | undefined {
  return part.offset === 0 && state.firstPartDigest?.size === part.size ? state.firstPartDigest.digest : undefined
}

/** Slices the next part and starts hashing it at once, unless a record may stand for it. */
async function takePart(state: PartsState, cutter: PartCutter): Promise<TakenPart | null> {
  const total = state.source.totalSize()
  const part = await state.source.slice((offset, partNumber) => {
    const recorded = state.resumable.get(offset)
    if (recorded?.partNumber === partNumber) return recorded.size
    return listedSizeAt(state.listed.get(partNumber), offset, total, cutter.normalize) ?? cutter.sizeAt(offset, partNumber)
  }, state.signal)
  if (!part) return null
  const recorded = state.takeResumable(part.offset, part.size, part.partNumber)
  if (recorded) return { part, recorded }
  let listed: ListedOnServer | undefined = state.listed.get(part.partNumber)
  state.listed.delete(part.partNumber)
  if (listed?.size !== part.size) listed = undefined
  // A listed part is proven by its etag, the qetag of its bytes: its 4 MiB blocks' SHA-1s are needed.
  const request = listed ? { ...cutter.digestRequest, sha1Blocks: true } : cutter.digestRequest
  const first = firstPartDigest(state, part)
  const reused = first && (!listed || cutter.checkObjectHash) ? first : undefined
  const digest = reused ?? cutter.hasher.digest(part.blob, request, state.signal)
  // Awaited by the lane that uploads the part; an abort before then is not an error. A file that cannot be read any
  // more (changed on disk) stops the upload at once: the lane's own request may be stalled on it (WebKit).
  digest.catch((error) => isUploadError(error, 'local-io') && state.fail?.(error))
  return { part, digest, listed }
}

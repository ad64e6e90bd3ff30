import { invalidInput, UploadError } from '../errors.js'
import type { Hasher } from '../hashing/hasher.js'
import { sampleDigest } from '../sources/source-sample.js'
import { isBlob } from '../sources/source-input.js'

/**
 * What the queue needs of a `FileSystemFileHandle` (from `showOpenFilePicker`, drag and drop's
 * `getAsFileSystemHandle()`, or the origin private file system). It is kept in IndexedDB, so after a
 * reload the file is read again without the user choosing it.
 */
export interface FileHandleLike {
  readonly kind: 'file'
  readonly name: string
  getFile(): Promise<File>
  queryPermission?(descriptor?: { mode?: 'read' | 'readwrite' }): Promise<PermissionState>
  requestPermission?(descriptor?: { mode?: 'read' | 'readwrite' }): Promise<PermissionState>
}

/** A file as the queue remembers it: enough to know it again. */
export interface FileIdentity {
  name: string
  size: number
  type: string
  lastModified: number
  /** A digest of up to three 64 KiB windows (start, middle, end): catches a different file of the same name and size. */
  sample: string
}

export function isFileHandle(value: unknown): value is FileHandleLike {
  return typeof value === 'object' && value !== null && (value as FileHandleLike).kind === 'file' && typeof (value as FileHandleLike).getFile === 'function'
}

/** The file a queue is given: a File, or the file of a handle (kept for reloads); `invalid-input` for anything else. */
export async function fileOf(input: File | FileHandleLike): Promise<{ file: File; handle?: FileHandleLike }> {
  if (isFileHandle(input)) return { file: await input.getFile(), handle: input }
  if (!isBlob(input)) throw invalidInput('UploadQueue.add() takes a File or a FileSystemFileHandle', input)
  return { file: input }
}

/** The file's identity: its name, size, type, date, and the same sample digest that keys its resumable record. */
export async function identify(file: File, hasher: Hasher, signal?: AbortSignal): Promise<FileIdentity> {
  return { name: file.name, size: file.size, type: file.type, lastModified: file.lastModified, sample: await sampleDigest(file, hasher, signal) }
}

export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.name === b.name && a.size === b.size && a.lastModified === b.lastModified && a.sample === b.sample
}

/** What tells one upload apart across tabs: the target and the file (the parts of a record key that need no hashing). */
export function uploadLockName(bucket: string, objectName: string | undefined, file: FileIdentity): string {
  return `qiniu-upload-manager:${bucket}:${objectName ?? ''}:${file.name}:${file.size}:${file.lastModified}:${file.sample}`
}

/** Read access to a handle: asked only when `ask` (it needs a user gesture); true when granted. */
export async function handlePermission(handle: FileHandleLike, ask: boolean): Promise<boolean> {
  const descriptor = { mode: 'read' as const }
  const current = (await handle.queryPermission?.(descriptor)) ?? 'granted'
  if (current === 'granted' || !ask) return current === 'granted'
  return (await handle.requestPermission?.(descriptor)) === 'granted'
}

/** `file` if it is the one `expected` describes, else an `invalid-input` UploadError. */
export async function checkedFile(file: File, expected: FileIdentity, hasher: Hasher): Promise<File> {
  if (sameFile(expected, await identify(file, hasher))) return file
  throw new UploadError('invalid-input', `"${file.name}" is not the file this upload started with (its name, size, date or content differ).`)
}

/** The handle's file if it is still the one `expected` describes, else a `local-io` UploadError. */
export async function readHandle(handle: FileHandleLike, expected: FileIdentity, hasher: Hasher): Promise<File> {
  try {
    const file = await handle.getFile()
    if (sameFile(expected, await identify(file, hasher))) return file
    throw new Error('the file changed since it was queued')
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    throw new UploadError('local-io', `"${expected.name}" cannot be read as it was (${reason}): add the file again.`, { cause })
  }
}

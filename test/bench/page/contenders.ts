// The uploaders being compared, each behind the same small interface so the page times them alike.
import { upload as qiniuUpload } from 'qiniu-js'
import { AdaptiveDataPartitionProvider, UploadManager, WorkerHasherPool, type Hasher } from '../../../src/index.js'

const MiB = 1 << 20
/**
 * The settings every contender shares (the "same settings"): 4 MiB parts, 4 lanes. The library's
 * lanes are its default: 4 that grow (to at most 8) while more of them raise the rate.
 */
const LANES = 4
const PART_SIZE = 4 * MiB

export interface UploadJob {
  kodoUrl: string
  /** Upload token scoped to `key` (unused by the raw-XHR ceiling). */
  token: string
  key: string
  file: Blob
  /** Bytes the contender says it has sent so far. */
  onBytes(sent: number): void
}

export interface PreparedUpload {
  /** Starts the upload; the page's clock runs from this call. */
  start(): Promise<unknown>
  /** Frees workers after the runner has read their CPU time. */
  dispose(): void
}

export type Contender = (job: UploadJob) => PreparedUpload

/** Hashes nothing, so no Content-MD5 is sent: the "MD5 off" variant. */
const noDigest: Hasher = { digest: async () => ({}) }

/** `adaptive`: parts sized by AdaptiveDataPartitionProvider (from 4 MiB), not a fixed 4 MiB. */
function library(version: 'v1' | 'v2', md5: boolean, engine?: 'spark-md5', adaptive = false): Contender {
  return (job) => {
    const pool = md5 ? new WorkerHasherPool({ md5: engine }) : undefined
    const manager = new UploadManager({ uploadToken: job.token, upEndpoints: [job.kodoUrl], hasher: pool ?? noDigest })
    const uploader = manager
      .autoUploader({ partSize: adaptive ? new AdaptiveDataPartitionProvider() : PART_SIZE, multiPartsVersion: version, checkObjectHash: md5 })
      .onUploadProgress((progress) => job.onBytes(progress.transferredBytes))
    return { start: () => uploader.upload(job.file, { objectName: job.key }), dispose: () => pool?.dispose() }
  }
}

/** The ceiling: `lanes` lanes (4, like the others) of XHR PUTs of 4 MiB slices to a sink that only counts bytes. */
function rawXhr(lanes = LANES): Contender {
  return (job) => ({
    async start() {
      let next = 0
      const put = (slice: Blob) =>
        new Promise<void>((resolve, reject) => {
          const xhr = new XMLHttpRequest()
          xhr.open('PUT', `${job.kodoUrl}/_bench/sink`)
          xhr.onload = () => (xhr.status === 200 ? resolve() : reject(new Error(`sink answered ${xhr.status}`)))
          xhr.onerror = () => reject(new Error('sink request failed'))
          xhr.send(slice)
        })
      const lane = async () => {
        while (next < job.file.size) {
          const start = next
          next += PART_SIZE
          await put(job.file.slice(start, start + PART_SIZE))
        }
      }
      await Promise.all(Array.from({ length: lanes }, lane))
    },
    dispose() {},
  })
}

/**
 * qiniu-js 3.4.4 through its V2 multipart path, as an app would call it: its defaults except the
 * host (no region query), 4 lanes like the others, MD5 check on, and no usage report to the internet.
 */
const qiniuJs: Contender = (job) => ({
  start: () =>
    new Promise((resolve, reject) => {
      const config = {
        uphost: new URL(job.kodoUrl).host,
        upprotocol: 'http' as const,
        useCdnDomain: false,
        checkByMD5: true,
        concurrentRequestLimit: LANES,
        disableStatisticsReport: true,
      }
      qiniuUpload(job.file as File, job.key, job.token, {}, config).subscribe({
        next: (progress) => job.onBytes(progress.total.loaded),
        error: reject,
        complete: resolve,
      })
    }),
  dispose() {},
})

export const contenders: Record<string, Contender> = {
  'raw-xhr': rawXhr(),
  /** The ceiling with as many lanes as the library's default grows to. */
  'raw-xhr-6': rawXhr(6),
  'v2-md5': library('v2', true),
  'v2-md5-spark': library('v2', true, 'spark-md5'),
  'v2-md5-adaptive': library('v2', true, undefined, true),
  'v2-no-md5': library('v2', false),
  'v1-md5': library('v1', true),
  'qiniu-js': qiniuJs,
}

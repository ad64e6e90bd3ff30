// @ts-check
// The contenders, in the order the tables list them; ids match the page's contenders.ts.

/** @type {Array<{ id: string, label: string }>} */
export const CONTENDERS = [
  { id: 'raw-xhr', label: 'ceiling: raw XHR PUTs to the sink' },
  { id: 'v2-md5', label: 'library V2, Content-MD5 + object hash' },
  { id: 'v2-md5-spark', label: 'library V2, Content-MD5 + object hash, spark-md5 (the fallback)' },
  { id: 'v2-no-md5', label: 'library V2, no MD5, no object hash' },
  { id: 'v1-md5', label: 'library V1, MD5 + CRC32 + object hash' },
  { id: 'qiniu-js', label: 'qiniu-js 3.4.4, checkByMD5' },
]

export const CEILING = 'raw-xhr'

/** Contenders run only under latency: the ceiling with as many lanes as the library's grow to there. */
export const LATENCY_ONLY = [{ id: 'raw-xhr-6', label: 'raw XHR with 6 lanes (the most the library runs by default)' }]

/** The contenders of the latency runs (the issue's: the ceiling, V2, V1 and qiniu-js; and the ceiling at 6 lanes). */
export const LATENCY_CONTENDERS = ['raw-xhr', 'raw-xhr-6', 'v2-md5', 'v1-md5', 'qiniu-js']

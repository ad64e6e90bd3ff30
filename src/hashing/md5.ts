import SparkMD5 from 'spark-md5'

/**
 * Which MD5 engine the hashing workers run: 'hash-wasm' (WebAssembly, the default; spark-md5 where
 * WebAssembly cannot be compiled) or 'spark-md5' (plain JavaScript, never tries WebAssembly).
 */
export type Md5Engine = 'hash-wasm' | 'spark-md5'

/** An incremental MD5: the one piece of hashing that has a choice of engine. */
export interface Md5 {
  update(bytes: Uint8Array): void
  /** Lowercase hex. */
  hex(): string
}

export type Md5Factory = () => Promise<Md5>

/** spark-md5: plain JavaScript, runs everywhere; the main thread's engine and the workers' fallback. */
export const sparkMd5: Md5Factory = async () => {
  const md5 = new SparkMD5.ArrayBuffer()
  // append() copies its argument through `new Uint8Array(arg)`, which takes a view's bytes as they are.
  return { update: (bytes) => void md5.append(bytes as unknown as ArrayBuffer), hex: () => md5.end() }
}

import { createMD5, type IHasher } from 'hash-wasm'
import type { Md5Factory } from './md5.js'

/** Instances between digests: each one holds its own WebAssembly memory, so it is reused, not recreated. */
const idle: IHasher[] = []

/**
 * hash-wasm's MD5 (WebAssembly): about 2.5× spark-md5's speed for a third of its CPU, in the
 * benchmark. Imported by the worker only: the WebAssembly never reaches the main entry.
 * Rejects where WebAssembly cannot be compiled (a CSP without 'wasm-unsafe-eval', an old browser).
 */
export const hashWasmMd5: Md5Factory = async () => {
  const md5 = idle.pop()?.init() ?? (await createMD5())
  return {
    update: (bytes) => void md5.update(bytes),
    hex: () => {
      const hex = md5.digest('hex')
      idle.push(md5)
      return hex
    },
  }
}

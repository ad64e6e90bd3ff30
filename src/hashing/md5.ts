import SparkMD5 from 'spark-md5'

/** An incremental MD5: the one piece of hashing that has a choice of engine. */
export interface Md5 {
  update(bytes: ArrayBuffer): void
  /** Lowercase hex. */
  hex(): string
}

export type Md5Factory = () => Promise<Md5>

/** spark-md5, the default: plain JavaScript, small. */
export const sparkMd5: Md5Factory = async () => {
  const md5 = new SparkMD5.ArrayBuffer()
  return { update: (bytes) => void md5.append(bytes), hex: () => md5.end() }
}

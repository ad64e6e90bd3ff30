import type { TestProject } from 'vitest/node'
import { startKodoServer } from '../../src/kodo-server/server.js'

interface KodoInfo {
  url: string
  host: string
  accessKey: string
  secretKey: string
  bucket: string
  adminSecret: string
}

declare module 'vitest' {
  export interface ProvidedContext {
    kodo: KodoInfo
    /** A second server: another region for failover tests. */
    kodo2: KodoInfo
  }
}

/** Starts the local Kodo server once for the browser tests; they reach it over real HTTP. */
export default async function setup(project: TestProject) {
  const servers = [await startKodoServer(), await startKodoServer()]
  const [kodo, kodo2] = servers.map(({ url, host, accessKey, secretKey, bucket, adminSecret }) => ({ url, host, accessKey, secretKey, bucket, adminSecret }))
  project.provide('kodo', kodo!)
  project.provide('kodo2', kodo2!)
  return () => Promise.all(servers.map((server) => server.close()))
}

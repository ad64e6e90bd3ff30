import type { TestProject } from 'vitest/node'
import { startKodoServer } from '../kodo/server.js'

declare module 'vitest' {
  export interface ProvidedContext {
    kodo: { url: string; host: string; accessKey: string; secretKey: string; bucket: string }
  }
}

/** Starts the local Kodo server once for the browser tests; they reach it over real HTTP. */
export default async function setup(project: TestProject) {
  const server = await startKodoServer()
  project.provide('kodo', {
    url: server.url,
    host: server.host,
    accessKey: server.accessKey,
    secretKey: server.secretKey,
    bucket: server.bucket,
  })
  return () => server.close()
}

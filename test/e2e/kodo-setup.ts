import { startKodoServer } from '../../src/kodo-server/server.js'

/** One local Kodo server for every spec; specs find it through KODO_URL and KODO_ADMIN_SECRET (see kodo.ts). */
export default async function globalSetup() {
  const server = await startKodoServer()
  process.env.KODO_URL = server.url
  process.env.KODO_ADMIN_SECRET = server.adminSecret
  return () => server.close()
}

import { startKodoServer } from '../../src/kodo-server/server.js'

/** One local Kodo server for every spec; specs find it through KODO_URL. */
export default async function globalSetup() {
  const server = await startKodoServer()
  process.env.KODO_URL = server.url
  return () => server.close()
}

import type { UploadTokenProvider } from '../src/index.js'

/** What the demo server tells the page about the bucket it uploads to (see server.js). */
export interface DemoConfig {
  /** 'local': the development Kodo server; 'qiniu': a real bucket. */
  backend: 'local' | 'qiniu'
  bucket: string
  /** Absent for a real bucket without QINIU_UP_HOST: the library then asks Qiniu for the region. */
  upHost?: string
  /** Whether `/api/object` can send a person to a stored object. */
  objectLinks: boolean
}

/**
 * A demo served on a public host prints its URL with `#secret=…` (a fragment never reaches a server):
 * the secret goes into a cookie that every `/api/*` request and object link then carries, and leaves
 * the address bar.
 */
export function adoptApiSecret(): void {
  const secret = new URLSearchParams(location.hash.slice(1)).get('secret')
  if (secret === null) return
  // biome-ignore lint/suspicious/noDocumentCookie: one cookie, written once; the Cookie Store API is missing in Firefox and Safari
  document.cookie = `demo-secret=${encodeURIComponent(secret)}; path=/api; SameSite=Strict`
  history.replaceState(null, '', location.pathname + location.search)
}

export async function loadConfig(): Promise<DemoConfig> {
  return (await getJson('/api/config', 'the demo settings')) as DemoConfig
}

/** Tokens come from the demo server, as a real app gets them from its backend: the secret key stays there. */
export const tokenProvider: UploadTokenProvider = async ({ objectName }) => {
  const query = objectName === undefined ? '' : `?key=${encodeURIComponent(objectName)}`
  const { token } = (await getJson(`/api/token${query}`, 'an upload token')) as { token: string }
  return token
}

export function objectLink(key: string): string {
  return `/api/object?key=${encodeURIComponent(key)}`
}

async function getJson(url: string, what: string): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(url)
  } catch (cause) {
    throw new Error(`Could not reach the demo server for ${what}. Is \`npm run demo\` still running?`, { cause })
  }
  if (response.status === 401) throw new Error('The demo server asks for its shared secret: open the URL it printed, with its #secret=….')
  if (!response.ok) throw new Error(`The demo server could not give ${what} (HTTP ${response.status}).`)
  return response.json()
}

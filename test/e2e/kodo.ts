// The local Kodo server that kodo-setup.ts started for every spec, and its admin API (Node side only:
// pages get tokens from the spec, never the admin secret).

export const kodo = () => process.env.KODO_URL!

/** An admin request: POST with a JSON body when one is given, else GET (or `method`). */
export function kodoAdmin(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<Response> {
  const headers = { 'X-Kodo-Admin-Secret': process.env.KODO_ADMIN_SECRET! }
  return fetch(kodo() + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
}

/** An upload token signed by the server with its development keys. */
export async function kodoToken(policy: Record<string, unknown> = {}): Promise<string> {
  return ((await (await kodoAdmin('/_admin/token', policy)).json()) as { token: string }).token
}

/** The stored object's bytes. */
export async function storedBytes(key: string, bucket = 'dev-bucket'): Promise<Buffer> {
  return Buffer.from(await (await kodoAdmin(`/_admin/objects/${bucket}/${Buffer.from(key).toString('base64url')}/bytes`)).arrayBuffer())
}

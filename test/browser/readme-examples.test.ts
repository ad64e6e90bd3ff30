import { describe, expect, it } from 'vitest'
import readme from '../../README.md?raw'
import * as lib from '../../src/index.js'
import { kodo, localManager, randomBlob, rejection, storedObject, token, uniqueKey } from './helpers.js'

const MiB = 1 << 20

/**
 * The README's ```ts snippets from "API by example" to the Changelog, run in order as one module against the local server:
 * documentation that cannot drift from the code. Imports of the package become one destructuring.
 */
function exampleProgram(): string {
  const [start, end] = [readme.indexOf('## API by example'), readme.indexOf('## Changelog')]
  expect(start).toBeGreaterThan(0)
  expect(end).toBeGreaterThan(start)
  const section = readme.slice(start, end)
  const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!)
  const names = new Set<string>()
  const bodies = blocks.map((block) =>
    block.replace(/^import \{([^}]*)\} from 'qiniu-upload-manager'\n/gm, (_, list: string) => {
      for (const name of list.split(',')) names.add(name.trim())
      return ''
    }),
  )
  return `const { ${[...names].join(', ')} } = lib\n${bodies.join('\n')}`
    .replaceAll('http://127.0.0.1:9400', kodo.url)
    .replaceAll('the admin secret npm run kodo printed', kodo.adminSecret)
}

it('runs every example of the README', async () => {
  const program = exampleProgram()
  expect(program).toContain('completeParts')
  expect(program).toContain('migratedResult') // the "Shipping it" sections are part of the program
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (lib: unknown) => Promise<void>
  await new AsyncFunction('lib', program)(lib)
})

it("the README's token provider encodes the key, and asks for a keyless token without one", async () => {
  const section = readme.slice(readme.indexOf('## Use\n'), readme.indexOf('### Pause, resume, cancel'))
  const provider = /uploadToken: (async \([\s\S]*?\n {2}\}),\n/.exec(section)?.[1]
  expect(provider).toBeDefined()
  const asked: string[] = []
  const fakeFetch = async (url: string) => {
    asked.push(url)
    return new Response(JSON.stringify({ token: 't' }))
  }
  const uploadToken = new Function('fetch', `return ${provider}`)(fakeFetch) as (ctx: { bucket: string; objectName?: string }) => Promise<string>
  expect(await uploadToken({ bucket: 'b', objectName: 'a b/ü?&=.mp4' })).toBe('t')
  expect(await uploadToken({ bucket: 'b' })).toBe('t')
  expect(asked).toEqual(['/api/token?key=a%20b%2F%C3%BC%3F%26%3D.mp4', '/api/token'])
})

describe('"Upload tokens from your backend": returnBody and the object hash', () => {
  it('a returnBody that keeps hash and key resolves with the custom body, the hash checked', async () => {
    const returnBody = '{"hash":"$(etag)","key":"$(key)","size":$(fsize),"album":"$(x:album)"}'
    const manager = await localManager({ uploadToken: await token({ returnBody }) })
    const key = uniqueKey('return-body')
    const file = randomBlob(5 * MiB)
    const body = await manager.autoUploader({ partSize: MiB }).upload(file, { objectName: key, customVars: { album: 'a' } })
    expect(body).toEqual({ hash: (await storedObject(key)).hash, key, size: file.size, album: 'a' })
  })

  it('a returnBody with a wrong hash fails with integrity (the object is stored); one without hash skips the check, saying so', async () => {
    const wrong = await localManager({ uploadToken: await token({ returnBody: '{"hash":"not-the-hash","key":"$(key)"}' }) })
    const key = uniqueKey('wrong-hash')
    expect(await rejection(wrong.autoUploader().upload(randomBlob(1000), { objectName: key }))).toMatchObject({ kind: 'integrity' })
    expect((await storedObject(key)).fsize).toBe(1000)
    const warnings: string[] = []
    const hashless = await localManager({ uploadToken: await token({ returnBody: '{"key":"$(key)"}' }), onWarning: (message) => void warnings.push(message) })
    expect(await hashless.autoUploader().upload(randomBlob(1000), { objectName: uniqueKey('no-hash') })).toEqual({ key: expect.any(String) })
    expect(await hashless.autoUploader({ partSize: MiB }).upload(randomBlob(5 * MiB), { objectName: uniqueKey('no-hash-v2') })).toEqual({ key: expect.any(String) })
    expect(warnings).toEqual([expect.stringMatching(/no `hash`.*not checked/), expect.stringMatching(/no `hash`.*not checked/)])
    await hashless.autoUploader({ checkObjectHash: false }).upload(randomBlob(1000), { objectName: uniqueKey('no-hash-off') })
    expect(warnings).toHaveLength(2)
  })
})

describe('"A custom fetch"', () => {
  it("window.fetch as the transport passes Kodo's statuses above 599 through (614 with insertOnly)", async () => {
    const key = uniqueKey('window-fetch-614')
    const manager = await localManager({ uploadToken: await token({ key, insertOnly: 1 }), fetch: window.fetch })
    await manager.autoUploader().upload(randomBlob(1000), { objectName: key })
    expect(await rejection(manager.autoUploader().upload(randomBlob(1000), { objectName: key }))).toMatchObject({ kind: 'status', statusCode: 614 })
  })
})

describe('"Secure context": without WebCrypto', () => {
  it('credentialTokenProvider fails the upload with kind token; signUploadToken throws', async () => {
    const subtle = Object.getOwnPropertyDescriptor(crypto, 'subtle')
    Object.defineProperty(crypto, 'subtle', { value: undefined, configurable: true })
    try {
      expect(crypto.subtle).toBeUndefined()
      const manager = await localManager({
        bucket: kodo.bucket,
        uploadToken: lib.credentialTokenProvider({ accessKey: 'kodo-dev-access-key', secretKey: 'kodo-dev-secret-key', bucket: kodo.bucket }),
      })
      expect(await rejection(manager.autoUploader().upload(randomBlob(1000), { objectName: uniqueKey('no-webcrypto') }))).toMatchObject({ kind: 'token' })
      await expect(lib.signUploadToken('ak', 'sk', { scope: 'b', deadline: 1 })).rejects.toBeInstanceOf(TypeError)
    } finally {
      if (subtle) Object.defineProperty(crypto, 'subtle', subtle)
      else delete (crypto as { subtle?: unknown }).subtle
    }
    expect(crypto.subtle).toBeDefined()
  })
})

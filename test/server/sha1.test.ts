// The JavaScript SHA-1 that stands in for WebCrypto on pages without a secure context.
import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { sha1 } from '../../src/utils/sha1.js'
import { sha1Js } from '../../src/utils/sha1-js.js'

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

describe('sha1Js', () => {
  it('matches node:crypto on every padding edge (0, 55, 56, 63, 64, 65, 119, 120 bytes) and on 4 MiB + 3', () => {
    for (const size of [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 1000, (4 << 20) + 3]) {
      const bytes = new Uint8Array(randomBytes(size))
      expect(hex(sha1Js(bytes)), `size ${size}`).toBe(createHash('sha1').update(bytes).digest('hex'))
    }
  })

  it('hashes a view into a larger buffer by its own bytes only', () => {
    const buffer = new Uint8Array(randomBytes(300))
    const view = buffer.subarray(17, 217)
    expect(hex(sha1Js(view))).toBe(createHash('sha1').update(view).digest('hex'))
  })

  it('sha1 falls back to it when crypto.subtle is missing', async () => {
    const bytes = new Uint8Array(randomBytes(5000))
    const subtle = Object.getOwnPropertyDescriptor(globalThis.crypto, 'subtle')
    Object.defineProperty(globalThis.crypto, 'subtle', { value: undefined, configurable: true })
    try {
      expect(globalThis.crypto.subtle).toBeUndefined()
      expect(hex(await sha1(bytes))).toBe(createHash('sha1').update(bytes).digest('hex'))
    } finally {
      if (subtle) Object.defineProperty(globalThis.crypto, 'subtle', subtle)
      else delete (globalThis.crypto as { subtle?: unknown }).subtle
    }
    expect(globalThis.crypto.subtle).toBeDefined()
  })

  it('sha1 without crypto.subtle has read the bytes when it returns: the caller may reuse its buffer at once', async () => {
    const bytes = new Uint8Array(randomBytes(5000))
    const expected = createHash('sha1').update(bytes).digest('hex')
    const subtle = Object.getOwnPropertyDescriptor(globalThis.crypto, 'subtle')
    Object.defineProperty(globalThis.crypto, 'subtle', { value: undefined, configurable: true })
    try {
      const digest = sha1(bytes.subarray(0))
      bytes.fill(0)
      expect(hex(await digest)).toBe(expected)
    } finally {
      if (subtle) Object.defineProperty(globalThis.crypto, 'subtle', subtle)
      else delete (globalThis.crypto as { subtle?: unknown }).subtle
    }
  })
})

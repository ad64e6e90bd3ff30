import { describe, expect, it } from 'vitest'
import { readPieces } from '../../src/hashing/read-pieces.js'

const MiB = 1 << 20

/** A Blob whose stream gives its first MiB and then never another byte (as Chromium's sometimes did). */
function stallingBlob(bytes: Uint8Array<ArrayBuffer>): Blob {
  const blob = new Blob([bytes])
  let given = false
  const stream = () =>
    new ReadableStream({
      type: 'bytes',
      pull(controller) {
        if (given) return new Promise(() => {})
        given = true
        const view = controller.byobRequest!.view!
        const chunk = new Uint8Array(view.buffer, view.byteOffset, Math.min(view.byteLength, MiB))
        chunk.set(bytes.subarray(0, chunk.length))
        controller.byobRequest!.respond(chunk.length)
      },
    })
  // Only what readPieces uses: size, stream() and slice().
  return { size: blob.size, stream, slice: (start?: number, end?: number) => blob.slice(start, end) } as unknown as Blob
}

describe('readPieces', () => {
  it('a stream read that never settles hands over to slice reads from the same offset: every byte, once, in order', async () => {
    const bytes = new Uint8Array(3 * MiB + 5).map((_, i) => i % 251)
    const read: number[] = []
    for await (const piece of readPieces(stallingBlob(bytes))) read.push(...piece.subarray(0, 4), piece.length)
    const expected: number[] = []
    for (let start = 0; start < bytes.length; start += MiB) expected.push(...bytes.subarray(start, start + 4), Math.min(MiB, bytes.length - start))
    expect(read).toEqual(expected)
  }, 20_000)
})

import { expect, it } from 'vitest'
import { AlwaysMultiParts, WorkerHasherPool, type Hasher } from '../../src/index.js'
import { localManager, md5Of, randomBlob, storedObject, uniqueKey } from './helpers.js'

const MiB = 1 << 20

it('each lane has its next part hashed while its part goes up, and never more than one ahead', async () => {
  const pool = new WorkerHasherPool()
  let asked = 0
  const hasher: Hasher = {
    digest(blob, request, signal) {
      if (blob.size === MiB) asked++
      return pool.digest(blob, request, signal)
    },
  }
  const lanes = 2
  const blob = randomBlob(12 * MiB)
  const key = uniqueKey('ahead')
  const askedWhenDone: number[] = []
  await (await localManager({ hasher }))
    .autoUploader({ policy: new AlwaysMultiParts(), partSize: MiB, concurrency: lanes })
    .onPartUploaded(() => void askedWhenDone.push(asked))
    .upload(blob, { objectName: key })
  // When the first part is up, each lane's part and each lane's next part have been asked for.
  expect(askedWhenDone[0]).toBe(2 * lanes)
  // Parts asked for but not yet up: the lanes' own and one ahead per lane, at most.
  for (const [index, count] of askedWhenDone.entries()) expect(count - index).toBeLessThanOrEqual(2 * lanes)
  expect((await storedObject(key)).md5).toBe(await md5Of(blob))
  pool.dispose()
})

// The token provider's bookkeeping (issue 11, 13a and 15), with a fake provider: no browser needed.
import { describe, expect, it } from 'vitest'
import { UploadError } from '../../src/errors.js'
import { providerTokenSource } from '../../src/tokens/upload-token.js'

const ctx = { bucket: 'b', objectName: 'k' }

describe('providerTokenSource', () => {
  it('lanes that meet a 401 together share one new token: one provider call per expiry', async () => {
    let asked = 0
    const tokens = providerTokenSource(async () => `token-${++asked}`)
    const stale = await tokens.get(ctx)
    // Four lanes whose requests were all rejected refresh in the same turn of the event loop.
    const fresh = await Promise.all([1, 2, 3, 4].map(() => tokens.refresh(ctx, stale)))
    expect(fresh).toEqual(['token-2', 'token-2', 'token-2', 'token-2'])
    expect(asked).toBe(2)
    // A lane that meets the 401 later, with the old token, gets the new one without a call.
    expect(await tokens.refresh(ctx, stale)).toBe('token-2')
    expect(asked).toBe(2)
    // The next expiry is a new call, again shared.
    expect(await Promise.all([tokens.refresh(ctx, 'token-2'), tokens.refresh(ctx, 'token-2')])).toEqual(['token-3', 'token-3'])
    expect(asked).toBe(3)
  })

  it('a call that failed is not kept: the next get asks again', async () => {
    let asked = 0
    const tokens = providerTokenSource(async () => {
      if (++asked === 1) throw new Error('backend down')
      return 'ok'
    })
    await expect(tokens.get(ctx)).rejects.toMatchObject({ kind: 'token', message: expect.stringMatching(/backend down/) })
    expect(await tokens.get(ctx)).toBe('ok')
  })

  it('a call left pending by an abort is not kept; one that times out fails with kind token', async () => {
    let asked = 0
    const tokens = providerTokenSource(() => (++asked === 1 ? new Promise<string>(() => {}) : Promise.resolve('late')), { timeout: 200 })
    const pause = new AbortController()
    const waiting = tokens.get(ctx, pause.signal)
    pause.abort()
    await expect(waiting).rejects.toMatchObject({ kind: 'aborted' })
    expect(await tokens.get(ctx)).toBe('late')

    const never = providerTokenSource(() => new Promise<string>(() => {}), { timeout: 200 })
    const error = await never.get(ctx).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UploadError)
    expect(error).toMatchObject({ kind: 'token', message: expect.stringMatching(/did not answer within 200 ms/) })
  })

  it('a provider that throws synchronously is a token error too', async () => {
    const tokens = providerTokenSource(() => {
      throw new Error('sync')
    })
    await expect(tokens.get(ctx)).rejects.toMatchObject({ kind: 'token' })
  })
})

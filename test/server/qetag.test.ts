import { describe, expect, it } from 'vitest'
import { BlockHasher, qetag } from '../../src/kodo-server/qetag.js'
import { MiB } from './helpers.js'

describe('qetag (§8 test vectors)', () => {
  it('matches the V1 vectors', () => {
    expect(qetag(Buffer.alloc(0))).toBe('Fto5o-5ea0sNMlW_75VgGJCv2AcJ')
    expect(qetag(Buffer.from('etag'))).toBe('FpLiADEaVoALPkdb8tJEJyRTXoe_')
    expect(qetag(Buffer.alloc(4 * MiB, 0x61))).toBe('FuwQ-vpd56Izwiom1JHzCIdrQa4_')
    expect(qetag(Buffer.alloc(4 * MiB + 1, 0x61))).toBe('lieGn00gWdbfwEIHaUpzu4drHeun')
  })

  it('matches the part-layout vector and falls back to V1 for 4 MiB parts', () => {
    expect(qetag([Buffer.from('hello'), Buffer.from('world')])).toBe('ns56DcSIfBFUENXjdhsJTIvl3Rcu')
    const a = Buffer.alloc(4 * MiB, 0x61)
    expect(qetag([a, Buffer.from('a')])).toBe('lieGn00gWdbfwEIHaUpzu4drHeun')
    expect(qetag([Buffer.from('etag')])).toBe('FpLiADEaVoALPkdb8tJEJyRTXoe_')
  })

  it('hashes blocks incrementally whatever the chunking', () => {
    const data = Buffer.alloc(9 * MiB + 7, 0x61)
    const hasher = new BlockHasher()
    for (let i = 0; i < data.length; i += 65537) hasher.update(data.subarray(i, i + 65537))
    const digests = hasher.digests()
    expect(digests).toHaveLength(3)
    const whole = new BlockHasher()
    whole.update(data)
    expect(whole.digests()).toEqual(digests)
  })
})

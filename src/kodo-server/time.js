// @ts-check

/** Unix seconds, the unit of token deadlines, expireAt and expired_at. */
export const nowSeconds = () => Math.floor(Date.now() / 1000)

/** Milliseconds since the epoch with sub-millisecond precision, so overlapping requests can be ordered. */
export const preciseNow = () => performance.timeOrigin + performance.now()

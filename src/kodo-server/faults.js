// @ts-check
// Which requests get a fault: explicit rules counted per matching request, then an optional seeded
// random mode. What a fault does to a request is in fault-actions.js.
import { KodoError } from './errors.js'
/** @typedef {import('./types.js').FaultRule} FaultRule */
/** @typedef {import('./types.js').RandomFaults} RandomFaults */
/** @typedef {import('./types.js').Api} Api */
/** @typedef {FaultRule & { id: number, seen: number, hits: number }} CountedRule */

const UPLOAD_APIS = ['init', 'part', 'list', 'complete', 'abort', 'mkblk', 'bput', 'mkfile', 'form']
const FAULT_APIS = [...UPLOAD_APIS, 'query']
const ACTIONS = ['status', 'reset', 'stall', 'throttle', 'omit-reqid', 'non-json', 'truncated-json', 'drop-answer']
const WHEN = ['before-body', 'during-body', 'after-body', 'after-handler']

export class FaultInjector {
  /** @type {CountedRule[]} */
  #rules = []
  #nextId = 1
  /** @type {{ config: Required<RandomFaults>, next: () => number, hits: number } | null} */
  #random = null

  /**
   * @param {unknown} input A rule or an array of rules.
   * @returns {CountedRule[]} The rules added.
   */
  add(input) {
    const rules = (Array.isArray(input) ? input : [input]).map((rule) => ({
      ...checkRule(rule),
      id: this.#nextId++,
      seen: 0,
      hits: 0,
    }))
    this.#rules.push(...rules)
    return rules
  }

  /** @param {unknown} input */
  setRandom(input) {
    const config = checkRandom(input)
    this.#random = { config, next: mulberry32(config.seed), hits: 0 }
  }

  list() {
    const random = this.#random && { ...this.#random.config, hits: this.#random.hits }
    return { rules: this.#rules, random }
  }

  clear() {
    this.#rules = []
    this.#random = null
  }

  /** Drops the explicit rules; a random mode goes on where it was. */
  clearRules() {
    this.#rules = []
  }

  /**
   * The fault for a request, if any. Every rule matching the request counts it; the first rule whose
   * window [nth, nth + times) contains its count fires.
   * @param {Api} api
   * @param {string} host The request's Host header.
   * @returns {FaultRule | null}
   */
  pick(api, host) {
    if (!FAULT_APIS.includes(api)) return null
    /** @type {FaultRule | null} */
    let chosen = null
    for (const rule of this.#rules) {
      if ((rule.api !== 'any' && rule.api !== api) || (rule.host && rule.host !== host.toLowerCase())) continue
      rule.seen++
      if (!chosen && rule.seen >= (rule.nth ?? 1) && rule.seen < (rule.nth ?? 1) + (rule.times ?? 1)) {
        rule.hits++
        chosen = rule
      }
    }
    return chosen ?? this.#randomFault(api)
  }

  /** @param {Api} api */
  #randomFault(api) {
    const random = this.#random
    if (!random || !UPLOAD_APIS.includes(api) || ![api, 'any'].includes(random.config.api)) return null
    if (random.next() >= random.config.rate) return null
    random.hits++
    /** @type {<T>(list: T[]) => T} */
    const pick = (list) => list[Math.floor(random.next() * list.length)]
    const { actions, statuses, seconds, bytesPerSec, whens } = random.config
    /** @type {FaultRule} */
    const fault = { action: pick(actions), status: pick(statuses), seconds, bytesPerSec, when: pick(whens) }
    return fault
  }
}

/**
 * @param {unknown} input
 * @returns {FaultRule}
 */
function checkRule(input) {
  if (typeof input !== 'object' || input === null) throw badRule('a rule must be an object')
  /** @type {FaultRule & Record<string, unknown>} */
  const rule = /** @type {any} */ ({ api: 'any', nth: 1, times: 1, ...input })
  if (!ACTIONS.includes(rule.action)) throw badRule(`unknown action ${rule.action}`)
  if (rule.api !== 'any' && !FAULT_APIS.includes(rule.api ?? '')) throw badRule(`unknown api ${rule.api}`)
  if (!isPositiveInteger(rule.nth) || !isPositiveInteger(rule.times)) throw badRule('nth and times must be positive integers')
  if (rule.when !== undefined && !WHEN.includes(rule.when)) throw badRule(`unknown when ${rule.when}`)
  if (rule.status !== undefined && !isStatus(rule.status)) throw badRule(`bad status ${rule.status}`)
  if (rule.action === 'throttle' && !((rule.bytesPerSec ?? 0) > 0)) throw badRule('throttle needs bytesPerSec')
  if (rule.host !== undefined) rule.host = String(rule.host).toLowerCase()
  return rule
}

/**
 * @param {unknown} input
 * @returns {Required<RandomFaults>}
 */
function checkRandom(input) {
  /** @type {Required<RandomFaults>} */
  const config = {
    actions: ['status', 'reset', 'stall'],
    statuses: [502, 503, 504, 599],
    seconds: 0.5,
    bytesPerSec: 256 * 1024,
    api: 'any',
    whens: ['before-body', 'during-body'],
    .../** @type {RandomFaults} */ (input),
  }
  if (!Number.isInteger(config.seed)) throw badRule('seed must be an integer')
  if (config.api !== 'any' && !UPLOAD_APIS.includes(config.api)) throw badRule(`unknown api ${config.api}`)
  if (!(config.rate >= 0 && config.rate <= 1)) throw badRule('rate must be between 0 and 1')
  if (!config.actions.length || !config.actions.every((action) => ACTIONS.includes(action))) throw badRule('bad actions')
  if (!config.statuses.length || !config.statuses.every(isStatus)) throw badRule('bad statuses')
  if (!config.whens.length || !config.whens.every((when) => WHEN.includes(when))) throw badRule('bad whens')
  return config
}

/** @param {unknown} n */
const isPositiveInteger = (n) => Number.isInteger(n) && Number(n) > 0
/** @param {unknown} n Statuses a fault can answer with; 1xx would not end the exchange. */
const isStatus = (n) => Number.isInteger(n) && Number(n) >= 200 && Number(n) <= 999
/** @param {string} message */
const badRule = (message) => new KodoError(400, `bad fault rule: ${message}`)

/**
 * mulberry32: a tiny seedable PRNG, so a random fault run can be replayed.
 * @param {number} seed
 */
function mulberry32(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

import { invalidInput } from '../errors.js'

/** The up hosts of one region: preferred first; alternatives only after TLS certificate errors. */
export interface Endpoints {
  preferred: string[]
  alternative: string[]
}

/** Turns `host[:port]` into a base URL; endpoints that carry a scheme are kept as they are. */
export function toBaseUrl(endpoint: string, useHttps: boolean): string {
  const withScheme = /^https?:\/\//i.test(endpoint) ? endpoint : `${useHttps ? 'https' : 'http'}://${endpoint}`
  return withScheme.replace(/\/+$/, '')
}

export function toEndpoints(preferred: string[], alternative: string[], useHttps: boolean): Endpoints {
  return {
    preferred: preferred.map((e) => toBaseUrl(e, useHttps)),
    alternative: alternative.map((e) => toBaseUrl(e, useHttps)),
  }
}

/** Throws `invalid-input` unless `hosts` (the option `name`) is a list of one host or more. */
export function checkHosts(name: string, hosts: unknown): void {
  if (!Array.isArray(hosts) || hosts.length === 0 || !hosts.every((host) => typeof host === 'string' && host !== '')) {
    throw invalidInput(`\`${name}\` is a list of hosts`, hosts)
  }
}

import { describe, expect, it } from 'vitest'
import { tooLong } from '../structure/file-size.js'
import { browserImportViolations, findCycles, readImports, unexpectedCycles } from '../structure/import-graph.js'

type Graph = Map<string, Array<{ to: string; typeOnly: boolean }>>

/** A graph from `from -> to` arrows. */
function graph(...arrows: string[]): Graph {
  const result: Graph = new Map()
  for (const arrow of arrows) {
    const [from, to] = arrow.split(' -> ') as [string, string]
    if (!result.has(from)) result.set(from, [])
    if (!result.has(to)) result.set(to, [])
    result.get(from)?.push({ to, typeOnly: false })
  }
  return result
}

describe('the import-graph check', () => {
  it('reads static, type-only, re-export, dynamic and worker imports, and skips comments and packages', () => {
    const source = [
      "import ky, { type KyInstance } from 'ky'",
      "import { a,\n  b } from './a.js'",
      "import type { T } from '../t.js'",
      "export * from './all.js'",
      "export type { U } from './u.js'",
      "// import { gone } from './commented.js'",
      '/* export { gone } from "./block.js" */',
      "const lazy = () => import('./lazy.js')",
      "new Worker(new URL('./hash.worker.ts', import.meta.url), { type: 'module' })",
      'const text = \'import x from "./in-a-string.js"\'',
    ].join('\n')
    expect(readImports(source)).toEqual([
      { specifier: './a.js', typeOnly: false },
      { specifier: '../t.js', typeOnly: true },
      { specifier: './all.js', typeOnly: false },
      { specifier: './u.js', typeOnly: true },
      { specifier: './lazy.js', typeOnly: false },
      { specifier: './hash.worker.ts', typeOnly: false },
    ])
  })

  it('finds each knot once, as its sorted files; a graph whose arrows point down has none', () => {
    expect(findCycles(graph('a -> b', 'b -> c', 'a -> c'))).toEqual([])
    expect(findCycles(graph('a -> b', 'b -> c', 'c -> a', 'c -> d', 'd -> e', 'e -> d'))).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ])
  })

  it('lets a known knot shrink but not grow, and catches new knots', () => {
    const known = [['a', 'b', 'c']]
    expect(unexpectedCycles([['a', 'b']], known)).toEqual([])
    expect(unexpectedCycles([['a', 'b', 'c', 'd']], known)).toEqual([['a', 'b', 'c', 'd']])
    expect(unexpectedCycles([['x', 'y']], known)).toEqual([['x', 'y']])
  })

  it('allows imports of src/browser/ only from src/browser/ and src/index.ts', () => {
    const imports = graph(
      'src/index.ts -> src/browser/defaults.ts',
      'src/browser/defaults.ts -> src/browser/xhr-fetch.ts',
      'src/browser/xhr-fetch.ts -> src/http/transport.ts',
      'src/manager/upload-manager.ts -> src/browser/defaults.ts',
    )
    expect(browserImportViolations(imports)).toEqual([{ from: 'src/manager/upload-manager.ts', to: 'src/browser/defaults.ts' }])
  })
})

describe('the file-size check', () => {
  it('fails files over the limit unless known, and a known file that grew', () => {
    const counts = [
      { file: 'src/long.ts', lines: 320 },
      { file: 'src/known.ts', lines: 310 },
      { file: 'src/grown.ts', lines: 330 },
      { file: 'src/short.ts', lines: 300 },
    ]
    expect(tooLong(counts, 300, { 'src/known.ts': 310, 'src/grown.ts': 310 }).map(({ file }) => file)).toEqual(['src/long.ts', 'src/grown.ts'])
  })
})

// @ts-check
// The import graph of src/: every arrow must point down. `node test/structure/import-graph.js` fails on
// - an import cycle, type-only imports included (erased at runtime, they still tie the files into one knot),
//   unless the cycle lies inside one of KNOWN_CYCLES;
// - an import of src/browser/ (the browser adapters) from outside src/browser/ and the entry src/index.ts.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/**
 * Knots allowed for now, each the sorted files of one strongly connected component: a cycle inside one
 * passes; a new cycle, or a file joining a knot, fails. Empty since the restructure of issue 12.
 */
/** @type {string[][]} */
export const KNOWN_CYCLES = []

/** Only these may import from src/browser/. */
const BROWSER_DIR = 'src/browser/'
const BROWSER_IMPORTERS = ['src/index.ts']

/** @typedef {{ to: string, typeOnly: boolean }} Edge */

/**
 * The relative imports of one module: static and dynamic imports, re-exports and `new URL('./x', import.meta.url)`
 * (how a worker is loaded). Comments are dropped first; strings are kept, since specifiers are strings.
 * @param {string} source
 * @returns {Array<{ specifier: string, typeOnly: boolean }>}
 */
export function readImports(source) {
  const code = source.replace(/('(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`)|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (_match, string) => string ?? ' ')
  /** @type {Array<{ specifier: string, typeOnly: boolean }>} */
  const found = []
  const statement = /(?:^|[;\n}])\s*(import|export)\s+(type\s+)?(?:[\w*{][^;'"]*?\s+from\s+)?['"]([^'"]+)['"]/g
  for (const [, , type, specifier] of code.matchAll(statement)) found.push({ specifier, typeOnly: Boolean(type) })
  for (const [, specifier] of code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ specifier, typeOnly: false })
  for (const [, specifier] of code.matchAll(/\bnew\s+URL\s*\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url/g)) found.push({ specifier, typeOnly: false })
  return found.filter(({ specifier }) => specifier.startsWith('.'))
}

/**
 * Every module under `dir` (relative to the repository) and the modules it imports in the same tree.
 * @param {string} [dir]
 * @returns {Map<string, Edge[]>}
 */
export function importGraph(dir = 'src') {
  const files = listModules(join(root, dir)).map((file) => relative(root, file))
  const known = new Set(files)
  /** @type {Map<string, Edge[]>} */
  const graph = new Map()
  for (const file of files) {
    const edges = readImports(readFileSync(join(root, file), 'utf8'))
      .map(({ specifier, typeOnly }) => ({ to: resolveModule(file, specifier, known), typeOnly }))
      .filter((edge) => edge.to !== undefined)
    graph.set(file, /** @type {Edge[]} */ (edges))
  }
  return graph
}

/**
 * The cycles of the graph as strongly connected components of more than one file (Tarjan), each sorted.
 * @param {Map<string, Edge[]>} graph
 * @returns {string[][]}
 */
export function findCycles(graph) {
  /** @type {Map<string, { index: number, low: number }>} */
  const seen = new Map()
  /** @type {string[]} */
  const stack = []
  const onStack = new Set()
  /** @type {string[][]} */
  const cycles = []
  /** @param {string} file */
  const visit = (file) => {
    const mark = { index: seen.size, low: seen.size }
    seen.set(file, mark)
    stack.push(file)
    onStack.add(file)
    for (const { to } of graph.get(file) ?? []) {
      if (!seen.has(to)) {
        visit(to)
        mark.low = Math.min(mark.low, /** @type {{ low: number }} */ (seen.get(to)).low)
      } else if (onStack.has(to)) {
        mark.low = Math.min(mark.low, /** @type {{ index: number }} */ (seen.get(to)).index)
      }
    }
    if (mark.low !== mark.index) return
    /** @type {string[]} */
    const component = []
    let member
    do {
      member = /** @type {string} */ (stack.pop())
      onStack.delete(member)
      component.push(member)
    } while (member !== file)
    if (component.length > 1) cycles.push(component.sort())
  }
  for (const file of graph.keys()) if (!seen.has(file)) visit(file)
  return cycles.sort((a, b) => a[0].localeCompare(b[0]))
}

/**
 * Imports of src/browser/ from files that may not use it.
 * @param {Map<string, Edge[]>} graph
 * @returns {Array<{ from: string, to: string }>}
 */
export function browserImportViolations(graph) {
  const violations = []
  for (const [from, edges] of graph) {
    if (from.startsWith(BROWSER_DIR) || BROWSER_IMPORTERS.includes(from)) continue
    for (const { to } of edges) if (to.startsWith(BROWSER_DIR)) violations.push({ from, to })
  }
  return violations
}

/**
 * Cycles that are not inside a known knot.
 * @param {string[][]} cycles
 * @param {string[][]} [known]
 */
export function unexpectedCycles(cycles, known = KNOWN_CYCLES) {
  return cycles.filter((cycle) => !known.some((knot) => cycle.every((file) => knot.includes(file))))
}

/** @param {string} dir @returns {string[]} */
function listModules(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) return listModules(path)
      return /\.(ts|js)$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
    })
}

/**
 * `./x.js` names `./x.ts` in TypeScript sources (bundler resolution); a folder names its index.
 * @param {string} from @param {string} specifier @param {Set<string>} known
 */
function resolveModule(from, specifier, known) {
  const base = join(dirname(from), specifier)
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}.js`, join(base, 'index.ts'), join(base, 'index.js')]
  return candidates.find((candidate) => known.has(candidate))
}

/** Prints the report; returns the number of problems. */
export function checkImportGraph() {
  const graph = importGraph('src')
  const edges = [...graph.values()].reduce((sum, list) => sum + list.length, 0)
  const cycles = findCycles(graph)
  const unexpected = unexpectedCycles(cycles)
  const violations = browserImportViolations(graph)
  console.log(`import graph: ${graph.size} modules, ${edges} imports in src/`)
  for (const cycle of cycles) {
    const runtime = findCycles(runtimeOnly(graph, cycle)).length > 0 ? 'at runtime too' : 'only through type-only imports'
    const state = unexpected.includes(cycle) ? 'NEW CYCLE' : 'known cycle (KNOWN_CYCLES)'
    console.log(`${state}, ${runtime}, ${cycle.length} files; its imports:`)
    for (const file of cycle) {
      for (const edge of graph.get(file) ?? []) if (cycle.includes(edge.to)) console.log(`  ${file} -> ${edge.to}${edge.typeOnly ? ' (type)' : ''}`)
    }
  }
  for (const knot of KNOWN_CYCLES.filter((knot) => !cycles.some((cycle) => cycle.every((file) => knot.includes(file))))) {
    console.log(`KNOWN_CYCLES lists a knot that is gone; remove it: ${knot.join(', ')}`)
  }
  for (const { from, to } of violations) console.log(`FORBIDDEN: ${from} imports ${to} (only src/browser/ and src/index.ts may)`)
  return unexpected.length + violations.length
}

/** The subgraph of `files` with type-only imports left out. @param {Map<string, Edge[]>} graph @param {string[]} files */
function runtimeOnly(graph, files) {
  return new Map(files.map((file) => [file, (graph.get(file) ?? []).filter((edge) => !edge.typeOnly && files.includes(edge.to))]))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = checkImportGraph()
  console.log(problems === 0 ? 'import graph: ok' : `import graph: ${problems} problem(s)`)
  process.exit(problems === 0 ? 0 : 1)
}

import { expect, it } from 'vitest'
import readme from '../../README.md?raw'
import * as lib from '../../src/index.js'
import { kodo } from './helpers.js'

/**
 * The README's "API by example" snippets, run in order as one module against the local server:
 * documentation that cannot drift from the code. Imports of the package become one destructuring.
 */
function exampleProgram(): string {
  const section = readme.slice(readme.indexOf('## API by example'), readme.indexOf('## Using `dist/`'))
  const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!)
  const names = new Set<string>()
  const bodies = blocks.map((block) =>
    block.replace(/^import \{([^}]*)\} from 'qiniu-upload-manager'\n/gm, (_, list: string) => {
      for (const name of list.split(',')) names.add(name.trim())
      return ''
    }),
  )
  return `const { ${[...names].join(', ')} } = lib\n${bodies.join('\n')}`.replaceAll('http://127.0.0.1:9400', kodo.url)
}

it('runs every example of the README', async () => {
  const program = exampleProgram()
  expect(program).toContain('completeParts')
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (lib: unknown) => Promise<void>
  await new AsyncFunction('lib', program)(lib)
})

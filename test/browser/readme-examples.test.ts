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
  return `const { ${[...names].join(', ')} } = lib\n${bodies.join('\n')}`
    .replaceAll('http://127.0.0.1:9400', kodo.url)
    .replaceAll('the admin secret npm run kodo printed', kodo.adminSecret)
}

it('runs every example of the README', async () => {
  const program = exampleProgram()
  expect(program).toContain('completeParts')
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (lib: unknown) => Promise<void>
  await new AsyncFunction('lib', program)(lib)
})

it("the README's token provider encodes the key, and asks for a keyless token without one", async () => {
  const section = readme.slice(readme.indexOf('## Use\n'), readme.indexOf('### Pause, resume, cancel'))
  const provider = /uploadToken: (async \([\s\S]*?\n {2}\}),\n/.exec(section)?.[1]
  expect(provider).toBeDefined()
  const asked: string[] = []
  const fakeFetch = async (url: string) => {
    asked.push(url)
    return new Response(JSON.stringify({ token: 't' }))
  }
  const uploadToken = new Function('fetch', `return ${provider}`)(fakeFetch) as (ctx: { bucket: string; objectName?: string }) => Promise<string>
  expect(await uploadToken({ bucket: 'b', objectName: 'a b/ü?&=.mp4' })).toBe('t')
  expect(await uploadToken({ bucket: 'b' })).toBe('t')
  expect(asked).toEqual(['/api/token?key=a%20b%2F%C3%BC%3F%26%3D.mp4', '/api/token'])
})

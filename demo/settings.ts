const MiB = 1024 * 1024
/** V1 blocks are always 4 MiB: the protocol has no other size. */
const V1_BLOCK_SIZE = 4 * MiB

export interface Settings {
  version: 'v1' | 'v2'
  partSize: number
  /** Parts of one file in flight at once. */
  lanes: number
  /** Files uploading at once; the rest wait in the queue. */
  filesAtOnce: number
}

export function readSettings(form: HTMLFormElement): Settings {
  const data = new FormData(form)
  const version = data.get('version') === 'v1' ? 'v1' : 'v2'
  return {
    version,
    partSize: version === 'v1' ? V1_BLOCK_SIZE : Number(data.get('partSize')) * MiB,
    lanes: clampedNumber(data.get('lanes'), 1, 16),
    filesAtOnce: clampedNumber(data.get('filesAtOnce'), 1, 8),
  }
}

/** Keeps the form consistent (V1 has no part size to choose) and reports changes. */
export function watchSettings(form: HTMLFormElement, onChange: (settings: Settings) => void): void {
  const partSize = form.elements.namedItem('partSize') as HTMLSelectElement
  const update = () => {
    const settings = readSettings(form)
    partSize.disabled = settings.version === 'v1'
    onChange(settings)
  }
  form.addEventListener('change', update)
  form.addEventListener('submit', (event) => event.preventDefault())
  update()
}

function clampedNumber(value: FormDataEntryValue | null, min: number, max: number): number {
  const number = Math.round(Number(value))
  return Number.isFinite(number) ? Math.min(max, Math.max(min, number)) : min
}

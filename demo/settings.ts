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

/** The number boxes, their range and what the note calls them. */
const NUMBERS = {
  lanes: { min: 1, max: 16, what: 'parts at once' },
  filesAtOnce: { min: 1, max: 8, what: 'files at once' },
} as const

export function readSettings(form: HTMLFormElement): Settings {
  const data = new FormData(form)
  const version = data.get('version') === 'v1' ? 'v1' : 'v2'
  const partSize = form.elements.namedItem('partSize') as HTMLSelectElement
  return {
    version,
    partSize: version === 'v1' ? V1_BLOCK_SIZE : Number(partSize.value) * MiB,
    lanes: clampedNumber(data.get('lanes'), NUMBERS.lanes),
    filesAtOnce: clampedNumber(data.get('filesAtOnce'), NUMBERS.filesAtOnce),
  }
}

/**
 * Keeps the form showing what is used, and reports changes: V1 shows its 4 MiB blocks (the V2 choice
 * comes back with V2), and a number out of range is replaced by the one used, with a note saying so.
 */
export function watchSettings(form: HTMLFormElement, onChange: (settings: Settings) => void): void {
  const partSize = form.elements.namedItem('partSize') as HTMLSelectElement
  let v2PartSize = partSize.value
  const update = (event?: Event) => {
    const v1 = new FormData(form).get('version') === 'v1'
    if (!partSize.disabled) v2PartSize = partSize.value // the V2 choice, while it is the one shown
    partSize.disabled = v1
    partSize.value = v1 ? String(V1_BLOCK_SIZE / MiB) : v2PartSize
    const settings = readSettings(form)
    for (const name of Object.keys(NUMBERS) as Array<keyof typeof NUMBERS>) {
      const input = form.elements.namedItem(name) as HTMLInputElement
      if (event?.target === input) showClamped(input, settings[name], NUMBERS[name])
    }
    onChange(settings)
  }
  form.addEventListener('change', update)
  form.addEventListener('submit', (event) => event.preventDefault())
  update()
}

/** Puts the value used into the box; says so when it differs from what was typed. */
function showClamped(input: HTMLInputElement, used: number, range: { min: number; max: number; what: string }): void {
  const note = document.getElementById(input.getAttribute('aria-describedby') ?? '')!
  const typed = input.value
  note.hidden = typed === String(used)
  note.textContent = `Using ${used}: ${range.what} is a whole number from ${range.min} to ${range.max}.`
  input.value = String(used)
}

function clampedNumber(value: FormDataEntryValue | null, range: { min: number; max: number }): number {
  const number = Math.round(Number(value))
  return Number.isFinite(number) && value !== '' ? Math.min(range.max, Math.max(range.min, number)) : range.min
}

import type { FileHandleLike } from '../src/index.js'

/**
 * Every way files come in: the drop zone (a button, so Enter and Space open the picker), the picker
 * itself, files dropped anywhere on the page, and paste.
 */
export function acceptFiles(zone: HTMLButtonElement, picker: HTMLInputElement, onFiles: (files: Array<File | FileHandleLike>) => void): void {
  const take = (list: FileList | null | undefined) => {
    const files = [...(list ?? [])]
    if (files.length > 0) onFiles(files)
  }
  zone.addEventListener('click', () => picker.click())
  picker.addEventListener('change', () => {
    take(picker.files)
    picker.value = '' // choosing the same file again must fire `change` again
  })
  document.addEventListener('paste', (event) => take(event.clipboardData?.files))

  // The whole window takes drops, so a file that misses the zone is not opened by the browser instead.
  // dragenter/dragleave fire for every element crossed; a counter tells when the pointer really left.
  let depth = 0
  const highlight = () => zone.classList.toggle('dragging', depth > 0)
  const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false
  window.addEventListener('dragenter', (event) => {
    if (!carriesFiles(event)) return
    depth++
    highlight()
  })
  window.addEventListener('dragleave', (event) => {
    if (!carriesFiles(event)) return
    depth = Math.max(0, depth - 1)
    highlight()
  })
  window.addEventListener('dragover', (event) => {
    if (!carriesFiles(event)) return
    event.preventDefault()
    event.dataTransfer!.dropEffect = 'copy'
  })
  window.addEventListener('drop', (event) => {
    if (!carriesFiles(event)) return
    event.preventDefault()
    depth = 0
    highlight()
    const files = [...(event.dataTransfer?.files ?? [])]
    // Chromium gives dropped files as handles too: kept by the queue, they continue after a reload without choosing them again.
    // (Only for a real drop: a script's synthetic drop event never settles its handles.)
    const handles = event.isTrusted ? [...(event.dataTransfer?.items ?? [])].filter((item) => item.kind === 'file').map(handleOf) : []
    if (handles.length !== files.length || handles.some((handle) => !handle)) return take(event.dataTransfer?.files)
    void Promise.all(handles).then(
      (found) => onFiles(found.map((handle, i) => (handle?.kind === 'file' ? (handle as unknown as FileHandleLike) : files[i]!))),
      () => onFiles(files),
    )
  })
}

/** `getAsFileSystemHandle()` where the browser has it (it must be called during the drop event). */
function handleOf(item: DataTransferItem): Promise<FileSystemHandle | null> | undefined {
  const withHandle = item as DataTransferItem & { getAsFileSystemHandle?: () => Promise<FileSystemHandle | null> }
  try {
    return withHandle.getAsFileSystemHandle?.()
  } catch {
    return undefined
  }
}

import type { FileHandleLike } from '../src/index.js'

/** A file as it came in; `path` is its place in a dropped or chosen folder (`photos/2024/a.jpg`). */
export interface IncomingFile {
  input: File | FileHandleLike
  path?: string
}

/** The page's ways in: the drop zone, its file picker, and the folder picker. */
export interface FileInputs {
  zone: HTMLButtonElement
  picker: HTMLInputElement
  folderButton: HTMLButtonElement
  folderPicker: HTMLInputElement
}

/**
 * Every way files come in: the drop zone (a button, so Enter and Space open the picker), the picker
 * itself, a folder (chosen, or dropped: its files to the bottom, keyed by their paths), files dropped
 * anywhere on the page, and paste.
 */
export function acceptFiles({ zone, picker, folderButton, folderPicker }: FileInputs, onFiles: (files: IncomingFile[]) => void): void {
  const take = (list: FileList | null | undefined) => {
    const files = [...(list ?? [])].map((file) => ({ input: file, path: file.webkitRelativePath || undefined }))
    if (files.length > 0) onFiles(files)
  }
  zone.addEventListener('click', () => picker.click())
  folderButton.addEventListener('click', () => folderPicker.click())
  for (const input of [picker, folderPicker]) {
    input.addEventListener('change', () => {
      take(input.files)
      input.value = '' // choosing the same file again must fire `change` again
    })
  }
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
    const items = [...(event.dataTransfer?.items ?? [])].filter((item) => item.kind === 'file')
    // A dropped folder comes as one unreadable File: its files are found through its entry (asked during the event).
    const entries = items.map((item) => item.webkitGetAsEntry?.() ?? null)
    if (entries.some((entry) => entry?.isDirectory)) {
      void filesOf(entries).then(onFiles, () => take(event.dataTransfer?.files))
      return
    }
    // Chromium gives dropped files as handles too: kept by the queue, they continue after a reload without choosing them again.
    // (Only for a real drop: a script's synthetic drop event never settles its handles.)
    const handles = event.isTrusted ? items.map(handleOf) : []
    if (handles.length !== files.length || handles.some((handle) => !handle)) return take(event.dataTransfer?.files)
    void Promise.all(handles).then(
      (found) => onFiles(found.map((handle, i) => ({ input: handle?.kind === 'file' ? (handle as unknown as FileHandleLike) : files[i]! }))),
      () => take(event.dataTransfer?.files),
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

/** The files of dropped entries, folders walked to the bottom; a file in a folder gets its path. */
async function filesOf(entries: Array<FileSystemEntry | null>): Promise<IncomingFile[]> {
  const found: IncomingFile[] = []
  const visit = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader()
      // readEntries answers in batches (100 at a time in Chromium) until an empty one.
      for (let batch = await readBatch(reader); batch.length > 0; batch = await readBatch(reader)) {
        for (const child of batch) await visit(child)
      }
      return
    }
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject))
    const path = entry.fullPath.replace(/^\//, '')
    found.push({ input: file, path: path.includes('/') ? path : undefined })
  }
  for (const entry of entries) if (entry) await visit(entry)
  return found
}

function readBatch(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject))
}

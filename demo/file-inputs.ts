/**
 * Every way files come in: the drop zone (a button, so Enter and Space open the picker), the picker
 * itself, files dropped anywhere on the page, and paste.
 */
export function acceptFiles(zone: HTMLButtonElement, picker: HTMLInputElement, onFiles: (files: File[]) => void): void {
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
    take(event.dataTransfer?.files)
  })
}

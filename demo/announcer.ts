/** Screen readers hear uploads start, progress by quarters, and finish, from one polite live region. */
export function announce(text: string): void {
  const region = document.getElementById('announcer')
  if (region) region.textContent = text
}

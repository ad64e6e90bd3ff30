/**
 * Asks the browser to confirm leaving the page while `busy()` says uploads are running. What was sent
 * is kept (the record resumes it), but leaving stops the upload, and a person may not know that.
 * Browsers show their own wording, and only once the page has had a click or a key press.
 */
export function warnBeforeLeaving(busy: () => boolean): void {
  window.addEventListener('beforeunload', (event) => {
    if (!busy()) return
    event.preventDefault()
    event.returnValue = '' // Chromium before 119 and Safari ask only when returnValue is set
  })
}

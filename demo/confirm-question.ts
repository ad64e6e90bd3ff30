/** What a question asks about one file, and its two answers' button texts. */
export interface Question {
  /** The group's accessible name, e.g. "Cancel notes.txt?". */
  label: string
  /** What the user is asked, e.g. "Cancel? What was sent is deleted." */
  text: string
  /** The answer that loses nothing: [text, accessible name]. */
  no: readonly [string, string]
  /** The answer that deletes: [text, accessible name]. */
  yes: readonly [string, string]
}

/**
 * A question asked in place of the buttons it guards, so one stray tap does not delete what was sent.
 * Escape answers no. The element starts hidden; the caller shows it and moves the focus to `.confirm-no`.
 */
export function confirmQuestion(question: Question, answer: (yes: boolean) => void): HTMLElement {
  const group = document.createElement('div')
  group.className = 'confirm-question'
  group.setAttribute('role', 'group')
  group.setAttribute('aria-label', question.label)
  group.hidden = true
  const text = document.createElement('span')
  text.textContent = question.text
  const button = ([content, label]: readonly [string, string], yes: boolean) => {
    const element = document.createElement('button')
    element.type = 'button'
    element.className = `action ${yes ? 'confirm-yes' : 'confirm-no'}`
    element.textContent = content
    element.setAttribute('aria-label', label)
    element.addEventListener('click', () => answer(yes))
    return element
  }
  group.append(text, button(question.no, false), button(question.yes, true))
  group.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return
    event.preventDefault()
    answer(false)
  })
  return group
}

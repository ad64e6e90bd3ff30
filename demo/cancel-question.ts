/**
 * "Cancel this upload?" asked in place of a card's buttons, so one stray tap does not delete what was
 * sent. Escape answers no. The element starts hidden; the card shows it and moves the focus.
 */
export function cancelQuestion(name: string, answer: (yes: boolean) => void): HTMLElement {
  const group = document.createElement('div')
  group.className = 'confirm-cancel'
  group.setAttribute('role', 'group')
  group.setAttribute('aria-label', `Cancel ${name}?`)
  group.hidden = true
  const question = document.createElement('span')
  question.textContent = 'Cancel? What was sent is deleted.'
  const button = (text: string, label: string, yes: boolean) => {
    const element = document.createElement('button')
    element.type = 'button'
    element.className = `action ${yes ? 'confirm-yes' : 'confirm-no'}`
    element.textContent = text
    element.setAttribute('aria-label', label)
    element.addEventListener('click', () => answer(yes))
    return element
  }
  group.append(question, button('Keep', `Keep uploading ${name}`, false), button('Yes, cancel', `Yes, cancel ${name}`, true))
  group.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return
    event.preventDefault()
    answer(false)
  })
  return group
}

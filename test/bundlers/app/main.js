// The app with the library in its first bundle.
import { runUpload } from './upload.js'

window.runUpload = runUpload
window.ready = true

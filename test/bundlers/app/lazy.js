// The app that loads the library on the first upload (README, "Loading it on the first upload"): its
// first bundle does not carry the library, the bundler splits it into a chunk of its own.
window.runUpload = async (...args) => (await import('./upload.js')).runUpload(...args)
window.ready = true

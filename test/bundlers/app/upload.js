// The app's upload, as a user of the published package writes it: it imports the package by name,
// and the bundler under test does the rest. main.js loads it with the page, lazy.js on the first upload.
import { MemoryResumableRecorder, UploadManager } from 'qiniu-upload-manager'

const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('')

/** Uploads `size` random bytes in 4 MiB parts to the Kodo server at `kodo` with `token`; returns what the page saw. */
export async function runUpload(kodo, token, size) {
  const warnings = []
  const manager = new UploadManager({
    uploadToken: token,
    upEndpoints: [kodo],
    recorder: new MemoryResumableRecorder(),
    onWarning: (message) => warnings.push(message),
  })
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536))
  const key = `bundler-${Date.now()}`
  const parts = []
  const uploader = manager.autoUploader({ partSize: 4 << 20 }).onPartUploaded((part) => parts.push(part.partNumber))
  const answer = await uploader.upload(new File([bytes], 'app.bin'), { objectName: key })
  return { key, answer, parts, hashing: manager.hashing, warnings, sha256: hex(await crypto.subtle.digest('SHA-256', bytes)) }
}

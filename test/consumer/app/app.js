// The app's page: the library straight from node_modules (no bundler), tokens from the app's backend.
import { UploadManager } from '/node_modules/qiniu-upload-manager/dist/index.js'

const status = document.querySelector('#status')
const { upHost, bucket } = await (await fetch('/api/config')).json()
const manager = new UploadManager({
  bucket,
  upEndpoints: [upHost],
  uploadToken: async ({ objectName }) => {
    const query = objectName === undefined ? '' : `?key=${encodeURIComponent(objectName)}`
    return (await (await fetch(`/api/token${query}`)).json()).token
  },
})

document.querySelector('#upload').addEventListener('click', async () => {
  const file = document.querySelector('#file').files[0]
  status.textContent = `Uploading ${file.name}…`
  try {
    const { key } = await manager.autoUploader().upload(file, { objectName: file.name })
    status.textContent = `Uploaded ${key}`
  } catch (error) {
    status.textContent = `Failed: ${error.kind} ${error.message}`
  }
})

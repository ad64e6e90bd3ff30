// The soak page: the library built from source, as an app would bundle it, and the per-upload runner.
import * as lib from '../../../src/index.js'
import type { UploadSpec } from '../plan.js'
import { runUpload } from '../upload.js'

Object.assign(window, {
  soak: { run: (spec: UploadSpec, target: { kodoUrl: string; token: string }) => runUpload(lib, spec, target) },
})

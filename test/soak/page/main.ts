// The soak page: the library built from source, as an app would bundle it, and the per-upload runners
// of the soak (`soak.run`) and of the chaos run (`chaos.attempt`, `chaos.takeRejections`).
import * as lib from '../../../src/index.js'
import { createChaosPage } from '../chaos-page.js'
import type { UploadSpec } from '../plan.js'
import { runUpload } from '../upload.js'

Object.assign(window, {
  soak: { run: (spec: UploadSpec, target: { kodoUrl: string; token: string }) => runUpload(lib, spec, target) },
  chaos: createChaosPage(lib),
})

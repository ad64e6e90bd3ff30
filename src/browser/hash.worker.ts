import { sparkMd5 } from '../hashing/md5.js'
import { serveDigests } from './serve-digests.js'

serveDigests(sparkMd5)

/** Kodo's answer to an upload when the upload policy has no `returnBody`: the object's key and its hash (qetag). */
export interface KodoUploadBody {
  key: string
  hash: string
}

/**
 * What an upload resolves with: the server's JSON answer to the final call (form upload, V1 mkfile, V2 complete).
 * It is {@link KodoUploadBody} unless the upload policy has a `returnBody`: then Kodo answers with the fields that
 * template names, and `B` describes them (the library passes the answer on as it came, without checking `B`).
 */
export type UploadResult<B extends object = KodoUploadBody> = B

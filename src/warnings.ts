/** Told about problems that do not fail the upload (records not kept, workers unavailable). */
export type WarningCallback = (message: string, cause?: unknown) => void

/** The default: the console, with the library's name in front (so messages do not repeat it). */
export const consoleWarning: WarningCallback = (message, cause) => console.warn(`[qiniu-upload-manager] ${message}`, cause ?? '')

// Numbers as a person reads them: binary sizes (what file managers show), decimal speeds (what networks quote).

const SIZE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB']

export function formatBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024
    unit++
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1
  return `${value.toFixed(digits)} ${SIZE_UNITS[unit]}`
}

export function formatSpeed(bytesPerSecond: number): string {
  const mb = bytesPerSecond / 1e6
  return mb >= 1 ? `${mb.toFixed(mb >= 100 ? 0 : 1)} MB/s` : `${Math.round(bytesPerSecond / 1e3)} kB/s`
}

export function formatDuration(seconds: number): string {
  if (seconds < 1) return 'under a second'
  if (seconds < 60) return `${Math.round(seconds)} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ${Math.floor(seconds % 60)} s`
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

export function formatAge(timestampMs: number, now = Date.now()): string {
  const seconds = Math.max(0, (now - timestampMs) / 1000)
  if (seconds < 60) return 'just now'
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`
  return `${Math.floor(seconds / 86400)} days ago`
}

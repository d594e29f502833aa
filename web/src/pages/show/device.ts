/** The browser and OS a fan's line entry shows the producer (short, as the rules bound them). */
export function browserName(ua = navigator.userAgent): string {
  if (/Edg\//.test(ua)) return "Edge";
  if (/Firefox\//.test(ua)) return "Firefox";
  if (/Chrom(e|ium)\//.test(ua)) return "Chrome";
  if (/Safari\//.test(ua)) return "Safari";
  return "Browser";
}

export function osName(ua = navigator.userAgent): string {
  if (/Android/.test(ua)) return "Android";
  if (/iPhone|iPad|iPod/.test(ua)) return "iOS";
  if (/Windows/.test(ua)) return "Windows";
  if (/Mac OS X/.test(ua)) return "macOS";
  if (/Linux/.test(ua)) return "Linux";
  return "Other";
}

export function isMobile(ua = navigator.userAgent): boolean {
  return /Mobi|Android|iPhone|iPad/.test(ua);
}

/** This page load's presence key: one per tab and load (`<uid>-<random>`), as docs/access.md prescribes. */
export function newFanId(uid: string): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, "0")).join("");
  return `${uid}-${random}`;
}

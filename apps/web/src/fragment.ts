// The program in the page's address: `#code=` followed by the base64url of its UTF-8 source
// (RFC 4648 §5, without padding), so a link carries the whole program and nothing is stored.

const PREFIX = "code=";

/** The base64url (no padding) of `source`'s UTF-8 bytes. */
export function encodeProgram(source: string): string {
  const bytes = new TextEncoder().encode(source);
  let binary = "";
  // Chunks keep String.fromCharCode's argument list short for long programs.
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * The source a base64url string encodes, or undefined when it is not base64url of UTF-8
 * (a mangled link should leave the editor as it was, not fill it with noise).
 */
export function decodeProgram(encoded: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(encoded) || encoded.length % 4 === 1) return undefined;
  const base64 = encoded.replaceAll("-", "+").replaceAll("_", "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  try {
    const binary = atob(padded);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The fragment (with its `#`) that carries `source`. */
export function programFragment(source: string): string {
  return `#${PREFIX}${encodeProgram(source)}`;
}

/** The program a fragment (`location.hash`, with or without `#`) carries, if any. */
export function programFromFragment(hash: string): string | undefined {
  const fragment = hash.startsWith("#") ? hash.slice(1) : hash;
  for (const part of fragment.split("&"))
    if (part.startsWith(PREFIX)) return decodeProgram(part.slice(PREFIX.length));
  return undefined;
}

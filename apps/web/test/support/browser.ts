// The end-to-end tests' harness: the built site served from dist/ on a free port, and Debian's
// Chromium driven by playwright-core (headless; without its sandbox, which needs a user
// namespace that root in a container does not get).

import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

/** The built site. */
export const SITE = resolve(import.meta.dirname, "../../dist");
/** Where screenshots of the tests' final states go (git-ignored). */
export const ARTIFACTS = resolve(import.meta.dirname, "../../test-results");
/** Debian's Chromium. */
export const CHROMIUM = process.env.MM_CHROMIUM ?? "/usr/bin/chromium";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".wasm": "application/wasm",
};

/** Serves `dir` on localhost at a free port; its URL and a stop. */
export async function serve(dir: string): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname));
    let file = join(dir, path);
    if (!file.startsWith(dir)) {
      response.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, server };
}

/** Launches headless Chromium. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-dev-shm-usage",
    ],
  });
}

/** Waits until the run in `page` is over (its status names an exit status or a stop). */
export async function waitForRun(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const status = document.getElementById("status")?.textContent ?? "";
      return /exit status|Stopped|failed/.test(status);
    },
    undefined,
    { timeout: 60_000 },
  );
}

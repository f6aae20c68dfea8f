// mm web: serves the built visualiser (apps/web/dist) on localhost with a small static file
// server, and prints its address. The site is plain files: this only has to send them with the
// right content types and never anything outside the site.

import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { type Command, parseCommand } from "../command.js";
import { UsageError } from "../errors.js";

const help = `mm web [options]

Serves the step-by-step memory visualiser (the built site of apps/web) on localhost and prints
its address; Ctrl-C stops it. Build the site first with \`pnpm web:build\`.

Options:
      --port N     the port to listen on; 0 takes any free port (default 8173)
      --host HOST  the address to listen on (default 127.0.0.1)
      --dir DIR    serve this built site instead of apps/web/dist
  -h, --help       show this help

Example:
  mm web --port 0`;

/** Content types by file extension: module scripts must be served as JavaScript. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
};

/** A running server: its address and its stop. */
export interface SiteServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/**
 * The file a request path names inside `root`, or undefined when it would leave the site
 * (`..`, an encoded `..`, a NUL) or names nothing.
 */
export function siteFile(root: string, requestPath: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(requestPath.split("?")[0]!.split("#")[0]!);
  } catch {
    return undefined;
  }
  if (path.includes("\0")) return undefined;
  const base = resolve(root);
  let file = resolve(base, `.${path.startsWith("/") ? path : `/${path}`}`);
  if (file !== base && !file.startsWith(base + sep)) return undefined;
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

/** Serves the files of `root` on `host:port` (0: any free port). */
export async function serveSite(
  root: string,
  port: number,
  host = "127.0.0.1",
): Promise<SiteServer> {
  const server = createServer((request, response) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    const file = siteFile(root, request.url ?? "/");
    if (file === undefined) {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    response.writeHead(200, {
      "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": statSync(file).size,
      "cache-control": "no-cache",
    });
    if (request.method === "HEAD") response.end();
    else createReadStream(file).pipe(response);
  });
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(port, host, done);
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}/`,
    server,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/** The built site of apps/web, found from this file (src/commands in a checkout, dist when built). */
export function defaultSite(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const site = join(dir, "apps", "web", "dist");
    if (existsSync(join(dir, "apps", "web"))) return site;
    dir = dirname(dir);
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), "../../web/dist");
}

/** `mm web`. */
export const web: Command = {
  name: "web",
  summary: "serve the step-by-step memory visualiser (the built site) on localhost",
  help,
  async run(argv, io) {
    const { values } = parseCommand(
      "web",
      argv,
      { port: { type: "string" }, host: { type: "string" }, dir: { type: "string" } },
      { min: 0, max: 0, what: "no arguments" },
    );
    const port = values.port === undefined ? 8173 : Number(values.port);
    if (!/^[0-9]+$/.test(values.port ?? "0") || !Number.isInteger(port) || port > 65535)
      throw new UsageError(
        `--port must be a port number (0 for any free port), got '${values.port}'`,
        "web",
      );
    const root = values.dir === undefined ? defaultSite() : resolve(io.cwd, values.dir);
    if (!existsSync(join(root, "index.html")))
      throw new UsageError(
        `no built site in ${root}: run \`pnpm web:build\` from the repository root first`,
        "web",
      );
    const site = await serveSite(root, port, values.host ?? "127.0.0.1");
    io.stdout.write(`mm web: serving ${root}\n${site.url}\n`);
    // Serve until the process is stopped (Ctrl-C ends it as any Node server).
    await new Promise<void>((done) => site.server.once("close", done));
  },
};

// mm web: the built CLI serves a site on a free port and prints its address; the server sends
// the right content types and nothing outside the site; without a built site it says, in one
// line, what to run.

import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SiteServer, serveSite, siteFile } from "../src/commands/web.js";
import { cleanEnv, MM, mm, tempDir } from "./support.js";

/** A GET of a raw path (no URL normalisation: `..` reaches the server as written). */
function get(url: string, path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((done, fail) => {
    const { hostname, port } = new URL(url);
    const req = request({ hostname, port, path, method: "GET" }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () =>
        done({
          status: response.statusCode ?? 0,
          type: String(response.headers["content-type"]),
          body,
        }),
      );
    });
    req.on("error", fail);
    req.end();
  });
}

const outside = tempDir();
const site = join(outside, "site");
mkdirSync(join(site, "assets"), { recursive: true });
writeFileSync(join(site, "index.html"), "<!doctype html><title>mm</title>\n");
writeFileSync(join(site, "assets", "app.js"), "export {};\n");
writeFileSync(join(site, "assets", "m.wasm"), new Uint8Array([0, 97, 115, 109]));
writeFileSync(join(outside, "secret.txt"), "not for the web\n");

describe("the site server", () => {
  let server: SiteServer;
  beforeAll(async () => {
    server = await serveSite(site, 0);
  });
  afterAll(() => server.close());

  it("serves index.html and the assets with their content types", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await get(server.url, "/");
    expect(index).toMatchObject({ status: 200, type: "text/html; charset=utf-8" });
    expect(index.body).toContain("<title>mm</title>");
    expect((await get(server.url, "/assets/app.js?v=1")).type).toBe(
      "text/javascript; charset=utf-8",
    );
    expect((await get(server.url, "/assets/m.wasm")).type).toBe("application/wasm");
    expect((await get(server.url, "/missing.js")).status).toBe(404);
  });

  it("refuses paths outside the site", async () => {
    for (const path of ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt"]) {
      const answer = await get(server.url, path);
      expect(answer.status, path).toBe(404);
      expect(answer.body).not.toContain("not for the web");
    }
    expect(siteFile(site, "/../secret.txt")).toBeUndefined();
    expect(siteFile(site, "/a%00b")).toBeUndefined();
    expect(siteFile(site, "/%E0%A4%A")).toBeUndefined();
    expect(siteFile(site, "/")).toBe(join(site, "index.html"));
  });
});

describe("mm web", () => {
  it("starts on port 0, prints its address, serves index.html, and stops", async () => {
    const child = spawn(process.execPath, [MM, "web", "--port", "0", "--dir", site], {
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const url = await new Promise<string>((done, fail) => {
        let out = "";
        child.stdout.setEncoding("utf8");
        child.stdout.on("data", (chunk: string) => {
          out += chunk;
          const found = out.match(/http:\/\/[^\s]+\//);
          if (found) done(found[0]);
        });
        child.on("exit", (code) => fail(new Error(`mm web exited with ${code}: ${out}`)));
      });
      const index = await get(url, "/index.html");
      expect(index.status).toBe(200);
      expect(index.body).toContain("<title>mm</title>");
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("says in one line what to run when the site is not built", () => {
    const ran = mm(["web", "--dir", join(outside, "nothing-here")]);
    expect(ran.status).toBe(1);
    expect(ran.stdout).toBe("");
    expect(ran.stderr.trim().split("\n")).toHaveLength(1);
    expect(ran.stderr).toContain("pnpm web:build");
  });

  it("refuses a port that is not one", () => {
    const ran = mm(["web", "--port", "http", "--dir", site]);
    expect(ran.status).toBe(1);
    expect(ran.stderr).toContain("--port must be a port number");
  });
});

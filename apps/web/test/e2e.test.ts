// End to end, in Debian's Chromium: the built site, served on localhost, runs programs in its
// worker; what it shows is checked against python3 running the same programs. Each test saves
// a screenshot of its final state in test-results/.

import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import type { Server } from "node:http";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "../src/examples.js";
import { decodeProgram, programFragment } from "../src/fragment.js";
import { ARTIFACTS, launch, SITE, serve, waitForRun } from "./support/browser.js";

const REFCOUNTS = "x = [1, 2]\ny = x\nz = [x, x]\nw = {'k': x}\n";
const CYCLE = [
  "import gc",
  "class Node:",
  "    pass",
  "a = Node()",
  "b = Node()",
  "a.other = b",
  "b.other = a",
  "del a, b",
  "found = gc.collect()",
  "end = 1",
  "",
].join("\n");

/** python3's answers, in one process: each example's stdout, and x's count in REFCOUNTS. */
function python3(): { outputs: Record<string, string>; refcount: number } {
  const script = `
import contextlib, io, json, sys
data = json.load(sys.stdin)
outputs = {}
for name, src in data["examples"].items():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(src, "main.py", "exec"), {"__name__": "__main__"})
    outputs[name] = out.getvalue()
g = {"__name__": "__main__"}
exec(data["refcounts"], g)
print(json.dumps({"outputs": outputs, "refcount": sys.getrefcount(g["x"]) - 1}))
`;
  const examples = Object.fromEntries(
    EXAMPLES.filter((e) => e.id === "cycle" || e.id === "refcounts").map((e) => [e.id, e.source]),
  );
  const ran = spawnSync("python3", ["-c", script], {
    input: JSON.stringify({ examples, refcounts: REFCOUNTS }),
    encoding: "utf8",
  });
  if (ran.status !== 0) throw new Error(`python3 failed: ${ran.stderr}`);
  return JSON.parse(ran.stdout) as ReturnType<typeof python3>;
}

let server: Server;
let url: string;
let browser: Browser;
let page: Page;
let expected: ReturnType<typeof python3>;

beforeAll(async () => {
  expected = python3();
  ({ server, url } = await serve(SITE));
  browser = await launch();
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  server?.close();
});

/** A fresh page at `address` (the site's root by default), wide enough for every pane. */
async function open(address = url): Promise<Page> {
  await page?.close();
  page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
  await page.goto(address);
  return page;
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The editor's program, line by line as CodeMirror holds it. */
function editorText(p: Page): Promise<string> {
  return p.evaluate(() =>
    [...document.querySelectorAll(".cm-line")].map((l) => l.textContent ?? "").join("\n"),
  );
}

describe("the page in Chromium", () => {
  it("runs an example to its end and prints what python3 prints", async () => {
    const p = await open();
    await p.selectOption("#example", "cycle");
    await p.getByRole("button", { name: "Run" }).click();
    await waitForRun(p);
    await p.getByRole("button", { name: "Last step" }).click();
    await p.getByRole("region", { name: "Output" }).waitFor();
    const output = await p.textContent("#output");
    expect(output).toBe(expected.outputs.cycle);
    expect(await p.textContent("#status")).toContain("exit status 0");
    await screenshot("example-to-the-end");
  });

  it("shows the refcount sys.getrefcount(x) - 1 gives in x's box", async () => {
    const p = await open(url + programFragment(REFCOUNTS));
    await p.getByRole("button", { name: "Run" }).click();
    await waitForRun(p);
    await p.getByRole("button", { name: "Last step" }).click();
    const box = p.locator("g.box", { hasText: "[1, 2]" }).first();
    expect(await box.getAttribute("aria-label")).toContain(`refcount ${expected.refcount},`);
    await box.click();
    expect(await p.textContent("#selected")).toContain(`refcount${expected.refcount} (`);
    await screenshot("refcount-box");
  });

  it("shows a cycle left after del as leaked under refcount and freed under cpython", async () => {
    const p = await open(url + programFragment(CYCLE));
    await p.selectOption("#collector", "refcount");
    await p.getByRole("button", { name: "Run" }).click();
    await waitForRun(p);
    await p.getByRole("button", { name: "Last step" }).click();
    expect(await p.locator("g.box.stranded", { hasText: "Node" }).count()).toBe(2);
    await screenshot("cycle-leaked-under-refcount");

    await p.selectOption("#collector", "cpython");
    await p.getByRole("button", { name: "Run" }).click();
    await waitForRun(p);
    await p.getByRole("button", { name: "Last step" }).click();
    expect(await p.locator("g.box.stranded").count()).toBe(0);
    // Step back to the collection's line: the two nodes leave, freed by generation 2.
    const steps = Number(await p.getAttribute("#slider", "max"));
    let freed = "";
    for (let i = steps; i >= 0 && !freed.includes("generation 2"); i--) {
      await p.fill("#slider", String(i));
      freed = (await p.textContent("#freed")) ?? "";
    }
    expect(await p.locator("#freed li.leaving", { hasText: "Node" }).count()).toBe(2);
    expect(freed).toContain("freed by a generation 2 collection");
    expect(await p.textContent("#runs")).toMatch(/cpython[\s\S]*refcount/);
    await screenshot("cycle-freed-under-cpython");
  });

  it("reads the program from the URL fragment and writes edits back there", async () => {
    const program = "message = 'héllo, wörld ✓'\nprint(message)\n";
    const p = await open(url + programFragment(program));
    expect(await editorText(p)).toBe(program);
    await p.click(".cm-content");
    await p.keyboard.press("Control+End");
    await p.keyboard.type("print(len(message))");
    await p.waitForFunction(() => location.hash.length > 0 && !location.hash.endsWith("Cg"));
    const hash = await p.evaluate(() => location.hash);
    const edited = `${program}print(len(message))`;
    expect(decodeProgram(hash.slice("#code=".length))).toBe(edited);
    await p.reload();
    expect(await editorText(p)).toBe(edited);
    await screenshot("url-fragment");
  });

  it("steps with the keyboard alone", async () => {
    const p = await open(url + programFragment(REFCOUNTS));
    // Tab to Run, as a keyboard user would, and press Enter.
    for (let i = 0; i < 30; i++) {
      await p.keyboard.press("Tab");
      if (await p.evaluate(() => document.activeElement?.id === "run")) break;
    }
    expect(await p.evaluate(() => document.activeElement?.id)).toBe("run");
    await p.keyboard.press("Enter");
    await waitForRun(p);
    const position = () => p.textContent("#position");
    expect(await position()).toMatch(/^Step 1 of 4 /);
    await p.keyboard.press("ArrowRight");
    await p.keyboard.press("ArrowRight");
    expect(await position()).toMatch(/^Step 3 of 4 · line 3/);
    await p.keyboard.press("ArrowLeft");
    expect(await position()).toMatch(/^Step 2 of 4 · line 2/);
    await p.keyboard.press("End");
    expect(await position()).toMatch(/^Step 4 of 4/);
    await p.keyboard.press("Home");
    expect(await position()).toMatch(/^Step 1 of 4/);
    // The step buttons have their names and work from the keyboard too.
    await p.getByRole("button", { name: "Step forward" }).focus();
    await p.keyboard.press("Enter");
    expect(await position()).toMatch(/^Step 2 of 4/);
    await p.getByRole("button", { name: "Step back" }).focus();
    await p.keyboard.press("Enter");
    expect(await position()).toMatch(/^Step 1 of 4/);
    // An object box is reached with Tab and selected with Enter.
    await p.keyboard.press("End");
    await p.locator("g.box", { hasText: "'k'" }).first().focus();
    await p.keyboard.press("Enter");
    expect(await p.textContent("#selected")).toContain("'k'");
    await screenshot("keyboard-stepping");
  });
});

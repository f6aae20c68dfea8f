// The page in Chromium, beside `mm py` in Node, for a 10,000-step program: the page's first
// paint (served from the built site on localhost), and the time from pressing Run to the
// first step shown, against the time runPython (what `mm py` runs) takes for the same program
// in this process. Each figure is the best of several rounds, alternating the two sides.
//   pnpm --filter @mm/web bench      (after pnpm web:build; turbo's bench task builds it)

import { BenchSuite, median, quickMode, spread } from "@mm/bench-kit";
import { recordPython, runPython } from "@mm/python";
import { programFragment } from "../src/fragment.js";
import { launch, SITE, serve } from "../test/support/browser.js";

/** 5,000 iterations of a two-line loop: 10,001 line events. */
const PROGRAM = "total = 0\nfor i in range(5000):\n    total += i\nprint(total)\n";
const rounds = quickMode() ? 2 : 5;

const lines = recordPython(PROGRAM, { budget: 0 }).summary.lines;
if (lines < 10_000) throw new Error(`the program runs ${lines} lines, not 10,000`);

const { url, server } = await serve(SITE);
const browser = await launch();
const paints: number[] = [];
const firstSteps: number[] = [];
const runsDone: number[] = [];
const readies: number[] = [];
const nodeRuns: number[] = [];
try {
  runPython(PROGRAM); // warm-up
  for (let round = 0; round < rounds; round++) {
    const t = performance.now();
    runPython(PROGRAM);
    nodeRuns.push(performance.now() - t);

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(url + programFragment(PROGRAM));
    await page.waitForFunction(
      () => performance.getEntriesByName("first-contentful-paint").length > 0,
    );
    paints.push(
      await page.evaluate(
        () => performance.getEntriesByName("first-contentful-paint")[0]!.startTime,
      ),
    );
    // A string, not a function: tsx would name the function's inner closures with a helper
    // the page does not have.
    // The page readies its worker after the first paint; Run is timed from a ready page.
    await page.waitForFunction(() => document.body.dataset.ready === "true");
    readies.push(
      await page.evaluate(() => performance.getEntriesByName("mm:worker-ready")[0]!.startTime),
    );
    const times = (await page.evaluate(`new Promise((done) => {
      const start = performance.now();
      document.getElementById("run").click();
      (function poll() {
        const first = performance.getEntriesByName("mm:first-step")[0];
        const end = performance.getEntriesByName("mm:run-done")[0];
        if (first && end) done({ first: first.startTime - start, done: end.startTime - start });
        else setTimeout(poll, 5);
      })();
    })`)) as { first: number; done: number };
    firstSteps.push(times.first);
    runsDone.push(times.done);
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}

const node = Math.min(...nodeRuns);
const suite = new BenchSuite("web");
suite.record({
  case: "first paint of the page, localhost",
  figure: Math.min(...paints),
  unit: "ms",
  baseline: "the 1 s budget",
  baselineFigure: 1000,
  higherIsBetter: false,
  target: { atMost: 1 },
  notes: `best of ${rounds}; all: ${spread(paints)} ms`,
});
suite.record({
  case: `Run to the first step shown, ${lines.toLocaleString("en-US")}-step program`,
  figure: Math.min(...firstSteps),
  unit: "ms",
  baseline: "runPython (mm py) in Node, whole run",
  baselineFigure: node,
  higherIsBetter: false,
  target: { atMost: 2 },
  notes: `best of ${rounds}; page ${spread(firstSteps)} ms, Node ${spread(nodeRuns)} ms; the page records the first 1,000 steps with snapshots in a worker and shows the first at once; the whole recording took ${median(runsDone).toFixed(0)} ms (median); Run is pressed once the page's worker is ready, ${median(readies).toFixed(0)} ms after navigation (median)`,
});
suite.finish();

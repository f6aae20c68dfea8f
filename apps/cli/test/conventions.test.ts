// What every command shares: --help, exit codes 0/1/2 with one line for a user error, colours
// only on a terminal and never with NO_COLOR, and a progress bar on stderr only on a terminal.

import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commands } from "../src/main.js";
import { cleanEnv, hasAnsi, MM, mm, tempDir } from "./support.js";

const cycle = join(import.meta.dirname, "fixtures", "cycle.jsonl");

/** Runs a shell command line on a pseudo-terminal (util-linux `script`); what the terminal showed. */
function onTerminal(commandLine: string, env: Record<string, string> = {}): string | undefined {
  const ran = spawnSync("script", ["-qec", commandLine, "/dev/null"], {
    encoding: "utf8",
    env: cleanEnv({ TERM: "xterm", ...env }),
    maxBuffer: 64 << 20,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (ran.status !== 0) return undefined;
  return ran.stdout;
}

describe("help", () => {
  it("lists every command under mm --help, and mm alone prints it as an error", () => {
    const ran = mm(["--help"]);
    expect(ran.status).toBe(0);
    for (const c of commands)
      expect(ran.stdout).toMatch(new RegExp(`\\n {2}${c.name} +${c.summary.slice(0, 20)}`));
    const bare = mm([]);
    expect(bare.status).toBe(1);
    expect(bare.stderr).toBe(ran.stdout);
  });

  it.each(commands.map((c) => c.name))(
    "mm %s --help (or -h) prints its usage and exits 0",
    (name) => {
      const ran = mm([name, name === "run" ? "-h" : "--help"]);
      expect(ran.status).toBe(0);
      expect(ran.stdout.startsWith(`mm ${name}`)).toBe(true);
      expect(ran.stdout).toMatch(/\n {2}-h, --help +show this help\n/);
    },
  );

  it("refuses unknown commands in one line", () => {
    expect(mm(["frobnicate"])).toEqual({
      status: 1,
      stdout: "",
      stderr: "mm: unknown command 'frobnicate' (see mm --help)\n",
    });
    expect(mm(["--json"]).stderr).toBe(
      "mm: unknown option '--json' (a command comes first: see mm --help)\n",
    );
  });
});

describe("internal errors", () => {
  const breaker = join(import.meta.dirname, "fixtures", "break-runtime.mjs");

  it("exit with 2 and one line, with the stack only under MM_DEBUG", () => {
    const ran = mm(["run", cycle], { nodeOptions: ["--import", breaker] });
    expect(ran.status).toBe(2);
    expect(ran.stderr).toBe(
      "mm: internal error: the runtime broke\nmm: this is a bug; run again with MM_DEBUG=1 for the stack trace\n",
    );
    const debug = mm(["run", cycle], {
      nodeOptions: ["--import", breaker],
      env: { MM_DEBUG: "1" },
    });
    expect(debug.status).toBe(2);
    expect(debug.stderr).toMatch(
      /^mm: internal error: the runtime broke\nError: the runtime broke\n {4}at /,
    );
  });
});

describe("output streams", () => {
  it("end quietly when stdout closes early", () => {
    const trace = join(tempDir(), "many-events.jsonl");
    writeFileSync(
      trace,
      '{"mm-trace": 1}\n{"op":"repeat","times":100000,"ops":[{"op":"gc","call":"get_count"}]}\n',
    );
    const ran = spawnSync(
      "sh",
      ["-c", `"${process.execPath}" "${MM}" run --events "${trace}" | head -c 8`],
      {
        encoding: "utf8",
        env: cleanEnv(),
      },
    );
    expect(ran.stdout).toBe('{"event"');
    expect(ran.stderr).toBe("");
  });
});

describe("colours and progress", () => {
  it("write no colour and no progress when not on a terminal", () => {
    const ran = mm(["run", cycle]);
    expect(hasAnsi(ran.stdout)).toBe(false);
    expect(ran.stderr).toBe("");
    expect(hasAnsi(mm(["run", "missing.jsonl"]).stderr)).toBe(false);
  });

  const terminal = onTerminal("true") !== undefined;
  if (!terminal)
    console.log("terminal tests skipped: util-linux script cannot open a pseudo-terminal here");

  it.runIf(terminal)("colour a terminal, unless NO_COLOR is set", () => {
    const line = `"${process.execPath}" "${MM}" run "${cycle}"`;
    expect(hasAnsi(onTerminal(line)!)).toBe(true);
    const plain = onTerminal(line, { NO_COLOR: "1" })!;
    expect(hasAnsi(plain)).toBe(false);
    expect(plain).toMatch(/objects +8 allocated/);
  });

  it.runIf(terminal)(
    "draw a progress bar on a terminal's stderr once a run passes a second",
    () => {
      const dir = tempDir();
      const trace = join(dir, "long.jsonl");
      const out = join(dir, "summary.txt");
      // 40,000 instances, each with a list and a dict, all kept: a second or two.
      const body = [
        '{"op":"new","var":"item","type":"object","name":"item"}',
        '{"op":"new","var":"payload","type":"list","items":[{"int":1000},{"float":1.5},{"str":"payload"}]}',
        '{"op":"set","obj":"item","attr":"payload","value":"payload"}',
        '{"op":"new","var":"meta","type":"dict","items":{"size":{"int":4096}}}',
        '{"op":"set","obj":"item","attr":"meta","value":"meta"}',
        '{"op":"append","obj":"keep","value":"item"}',
      ];
      writeFileSync(
        trace,
        `{"mm-trace": 1}\n{"op":"new","var":"keep","type":"list"}\n{"op":"repeat","times":40000,"ops":[${body.join(",")}]}\n`,
      );
      const shown = onTerminal(`"${process.execPath}" "${MM}" run "${trace}" > "${out}"`);
      expect(shown, "the run under script failed").toBeDefined();
      const summary = readFileSync(out, "utf8");
      const took = Number(/: [\d,]+ steps in ([\d,.]+) ms\n/.exec(summary)![1]!.replace(/,/g, ""));
      // How long the run takes is the machine's business; what the terminal shows must fit it
      // either way. (When the bar is drawn and at what rate: the Progress tests, on their clock.)
      if (shown === "") {
        expect(took, "a run past its first second draws the bar").toBeLessThan(1100);
      } else {
        expect(shown).toMatch(/^\rlong\.jsonl \[[#.]{24}\] \d+% \d+\.\d s/);
        expect(shown!.endsWith("\r\x1b[K")).toBe(true);
        expect(took, "no bar within the first second").toBeGreaterThanOrEqual(1000);
      }
    },
  );
});

// The file systems open() reaches: the one in memory against a plain model of its files
// (fc.commands), its errors, and the adapter over Node's fs on a temporary directory, which
// must agree with it.

import * as fs from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fcRuns, fcSeed } from "@mm/vitest-config/fast-check";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  type FileSystem,
  FileSystemError,
  MemoryFileSystem,
  type OpenFlags,
  syncFileSystem,
} from "../../src/vm/files.js";

const READ: OpenFlags = {
  read: true,
  write: false,
  create: false,
  truncate: false,
  exclusive: false,
  append: false,
};
const WRITE: OpenFlags = { ...READ, read: false, write: true, create: true, truncate: true };

function code(f: () => unknown): string {
  try {
    f();
    return "ok";
  } catch (error) {
    if (error instanceof FileSystemError) return `${error.code} ${error.errno} ${error.message}`;
    throw error;
  }
}

/** The files as a plain map of names to byte arrays. */
type Model = Map<string, number[]>;

interface Real {
  fs: FileSystem;
}

const names = fc.constantFrom("a", "b", "c");
const bytes = fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 20 });

class WriteAt implements fc.Command<Model, Real> {
  constructor(
    readonly name: string,
    readonly flags: OpenFlags,
    readonly data: number[],
    readonly at: number,
  ) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const exists = m.has(this.name);
    const want =
      exists && this.flags.exclusive && this.flags.create
        ? "EEXIST"
        : !exists && !this.flags.create
          ? "ENOENT"
          : "ok";
    let fd = -1;
    const got = code(() => {
      fd = r.fs.open(this.name, this.flags);
    });
    expect(got.split(" ")[0]).toBe(want);
    if (want !== "ok") return;
    const file = this.flags.truncate ? [] : (m.get(this.name) ?? []);
    const at = this.flags.append ? file.length : this.at;
    // Writing nothing leaves the file as it is; a write past the end leaves a hole of zeros.
    while (this.data.length > 0 && file.length < at) file.push(0);
    file.splice(at, this.data.length, ...this.data);
    m.set(this.name, file);
    expect(r.fs.write(fd, Uint8Array.from(this.data), this.at)).toBe(this.data.length);
    expect(r.fs.fstat(fd).size).toBe(file.length);
    r.fs.close(fd);
  }
  toString(): string {
    return `write ${this.name} ${JSON.stringify(this.flags)} ${this.data.length}@${this.at}`;
  }
}

class ReadAll implements fc.Command<Model, Real> {
  constructor(
    readonly name: string,
    readonly from: number,
  ) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const file = m.get(this.name);
    let fd = -1;
    expect(code(() => (fd = r.fs.open(this.name, READ))).split(" ")[0]).toBe(
      file ? "ok" : "ENOENT",
    );
    if (!file) return;
    expect([...r.fs.read(fd, 1000, this.from)]).toEqual(file.slice(this.from));
    expect(r.fs.stat(this.name).size).toBe(file.length);
    r.fs.close(fd);
  }
  toString(): string {
    return `read ${this.name} from ${this.from}`;
  }
}

class Remove implements fc.Command<Model, Real> {
  constructor(readonly name: string) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    expect(code(() => r.fs.remove(this.name)).split(" ")[0]).toBe(
      m.has(this.name) ? "ok" : "ENOENT",
    );
    m.delete(this.name);
  }
  toString(): string {
    return `remove ${this.name}`;
  }
}

const flags = fc.record({
  read: fc.boolean(),
  write: fc.constant(true),
  create: fc.boolean(),
  truncate: fc.boolean(),
  exclusive: fc.boolean(),
  append: fc.boolean(),
});

const commands = [
  fc
    .tuple(names, flags, bytes, fc.integer({ min: 0, max: 30 }))
    .map(([n, f, d, at]) => new WriteAt(n, f, d, at)),
  fc.tuple(names, fc.integer({ min: 0, max: 30 })).map(([n, from]) => new ReadAll(n, from)),
  names.map((n) => new Remove(n)),
];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function nodeFiles(): FileSystem {
  const dir = mkdtempSync(join(tmpdir(), "mm-files-"));
  dirs.push(dir);
  return syncFileSystem(fs, () => dir);
}

describe("file systems against a model of their files", () => {
  for (const [title, make] of [
    ["in memory", () => new MemoryFileSystem()],
    ["over Node's fs", nodeFiles],
  ] as const) {
    it(`${title}: open, write at a position, read back, remove`, () => {
      const seed = fcSeed();
      fc.assert(
        fc.property(fc.commands(commands, { maxCommands: 25 }), (cmds) => {
          const real = { fs: make() };
          fc.modelRun(() => ({ model: new Map(), real }), cmds);
          for (const n of ["a", "b", "c"]) code(() => real.fs.remove(n));
        }),
        { numRuns: fcRuns(40), ...(seed !== undefined ? { seed } : {}) },
      );
    });
  }
});

describe("the in-memory file system", () => {
  it("fails as POSIX calls do, with their errno and message", () => {
    const m = new MemoryFileSystem({ "d/f.txt": "x" });
    const n = nodeFiles();
    fs.mkdirSync(join(n.cwd(), "d"));
    fs.writeFileSync(join(n.cwd(), "d", "f.txt"), "x");
    for (const f of [m, n]) {
      expect(code(() => f.open("nope", READ))).toBe("ENOENT 2 No such file or directory");
      expect(code(() => f.open("d", READ))).toBe("EISDIR 21 Is a directory");
      expect(code(() => f.open("d/f.txt/x", WRITE))).toBe("ENOTDIR 20 Not a directory");
      expect(code(() => f.open("d/f.txt", { ...WRITE, exclusive: true }))).toBe(
        "EEXIST 17 File exists",
      );
      expect(code(() => f.remove("d/nope"))).toBe("ENOENT 2 No such file or directory");
      expect(code(() => f.stat("nope"))).toBe("ENOENT 2 No such file or directory");
      expect(f.stat("d").directory).toBe(true);
      const fd = f.open("d/f.txt", READ);
      expect(code(() => f.write(fd, Uint8Array.of(1), 0))).toBe("EBADF 9 Bad file descriptor");
      f.close(fd);
      expect(code(() => f.close(fd))).toBe("EBADF 9 Bad file descriptor");
    }
  });

  it("resolves relative paths from its working directory", () => {
    const m = new MemoryFileSystem({ "/home/u/a.txt": "A" }, "/home/u");
    expect(m.cwd()).toBe("/home/u");
    expect(m.stat("a.txt").size).toBe(1);
    expect(m.stat("./../u//a.txt").size).toBe(1);
    expect(m.paths()).toEqual(["/home/u/a.txt"]);
    expect(m.stat("a.txt").blksize).toBe(4096);
  });
});

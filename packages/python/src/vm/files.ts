// The file system a program's `open()` reaches, as the interpreter's host provides it: a few
// POSIX-like calls on paths and descriptors that fail with errno-style errors. The package
// stays browser-safe: {@link MemoryFileSystem} keeps files in memory (the default, for
// browsers and tests), and {@link syncFileSystem} adapts a synchronous file API with Node's
// `fs` shape, which a Node host passes in.

/** How {@link FileSystem.open} opens a file (what `open()`'s mode asks for). */
export interface OpenFlags {
  /** Open for reading. */
  readonly read: boolean;
  /** Open for writing. */
  readonly write: boolean;
  /** Create the file when it does not exist (`O_CREAT`). */
  readonly create: boolean;
  /** Empty it (`O_TRUNC`). */
  readonly truncate: boolean;
  /** Fail with EEXIST when it exists (`O_EXCL`). */
  readonly exclusive: boolean;
  /** Every write goes to the end (`O_APPEND`). */
  readonly append: boolean;
}

/** What `fstat`/`stat` tell of a file. */
export interface FileStat {
  /** Its length in bytes. */
  readonly size: number;
  /** `st_blksize`, which sizes an opened file's buffer. */
  readonly blksize: number;
  /** Whether the path is a directory. */
  readonly directory: boolean;
}

/** The errno values the file system's errors carry, with the message `strerror` gives. */
export const ERRNO = {
  EPERM: [1, "Operation not permitted"],
  ENOENT: [2, "No such file or directory"],
  EBADF: [9, "Bad file descriptor"],
  EACCES: [13, "Permission denied"],
  EEXIST: [17, "File exists"],
  ENOTDIR: [20, "Not a directory"],
  EISDIR: [21, "Is a directory"],
  EINVAL: [22, "Invalid argument"],
  ENOSPC: [28, "No space left on device"],
  ENOTEMPTY: [39, "Directory not empty"],
} as const satisfies Record<string, readonly [number, string]>;

/** An errno code {@link ERRNO} knows. */
export type ErrnoCode = keyof typeof ERRNO;

/** A failed file system call: its errno and the message CPython's OSError shows for it. */
export class FileSystemError extends Error {
  /** The errno value (2 for ENOENT…). */
  readonly errno: number;
  /** The errno's name (`ENOENT`…). */
  readonly code: string;
  /**
   * @param code the errno's name
   * @param errno its value (looked up in {@link ERRNO} when absent; 5, EIO, for an unknown code)
   * @param message `strerror`'s text (looked up likewise)
   */
  constructor(code: string, errno?: number, message?: string) {
    const known = ERRNO[code as ErrnoCode] as readonly [number, string] | undefined;
    super(message ?? known?.[1] ?? code);
    this.name = "FileSystemError";
    this.code = code;
    this.errno = errno ?? known?.[0] ?? 5;
  }
}

/**
 * The file system calls the interpreter makes. Every call throws a {@link FileSystemError} on
 * failure (ENOENT, EEXIST, EISDIR, EBADF…), which the interpreter raises as the matching
 * OSError subclass. Positions are explicit: the file objects keep their own offsets.
 */
export interface FileSystem {
  /** Opens `path` (relative to {@link FileSystem.cwd}) and returns a descriptor. */
  open(path: string, flags: OpenFlags): number;
  /** Up to `length` bytes from `position` (fewer at the end of the file). */
  read(fd: number, length: number, position: number): Uint8Array;
  /** Writes `data` at `position` (at the end, for a descriptor opened to append); returns the count. */
  write(fd: number, data: Uint8Array, position: number): number;
  fstat(fd: number): FileStat;
  close(fd: number): void;
  stat(path: string): FileStat;
  /** Removes a file (`os.remove`). */
  remove(path: string): void;
  /** The working directory relative paths are resolved from (`os.getcwd()`). */
  cwd(): string;
}

/** The block size a {@link MemoryFileSystem} reports (Linux's usual `st_blksize`). */
export const MEMORY_BLKSIZE = 4096;

interface MemoryFile {
  data: Uint8Array;
  length: number;
}

interface MemoryDescriptor {
  readonly file: MemoryFile;
  readonly flags: OpenFlags;
}

/**
 * A file system in memory: files under directories (`/` and those made with
 * {@link MemoryFileSystem.mkdir}), descriptors numbered from 3 as a process's first files are.
 */
export class MemoryFileSystem implements FileSystem {
  readonly #files = new Map<string, MemoryFile>();
  readonly #dirs = new Set<string>(["/"]);
  readonly #fds = new Map<number, MemoryDescriptor>();
  #nextFd = 3;
  readonly #cwd: string;

  /** @param files initial files by path (text is stored as UTF-8); @param cwd the working directory */
  constructor(files: Readonly<Record<string, string | Uint8Array>> = {}, cwd = "/") {
    this.#cwd = normalize(cwd, "/");
    this.mkdir(this.#cwd);
    for (const [path, content] of Object.entries(files)) {
      const full = this.#resolve(path);
      this.mkdir(parentOf(full));
      const data = typeof content === "string" ? new TextEncoder().encode(content) : content;
      this.#files.set(full, { data: data.slice(), length: data.length });
    }
  }

  /** Makes a directory and its parents. */
  mkdir(path: string): void {
    let p = this.#resolve(path);
    while (!this.#dirs.has(p)) {
      this.#dirs.add(p);
      p = parentOf(p);
    }
  }

  /** The contents of a file, or undefined when there is none. */
  contents(path: string): Uint8Array | undefined {
    const f = this.#files.get(this.#resolve(path));
    return f?.data.slice(0, f.length);
  }

  /** The paths of every file, sorted. */
  paths(): string[] {
    return [...this.#files.keys()].sort();
  }

  /** How many descriptors are open (a test's leak check). */
  get openCount(): number {
    return this.#fds.size;
  }

  #resolve(path: string): string {
    return normalize(path, this.#cwd);
  }

  open(path: string, flags: OpenFlags): number {
    if (path === "") throw new FileSystemError("ENOENT");
    const full = this.#resolve(path);
    if (this.#dirs.has(full)) throw new FileSystemError("EISDIR");
    if (!this.#dirs.has(parentOf(full))) {
      throw new FileSystemError(this.#files.has(parentOf(full)) ? "ENOTDIR" : "ENOENT");
    }
    let file = this.#files.get(full);
    if (file && flags.create && flags.exclusive) throw new FileSystemError("EEXIST");
    if (!file) {
      if (!flags.create) throw new FileSystemError("ENOENT");
      file = { data: new Uint8Array(0), length: 0 };
      this.#files.set(full, file);
    }
    if (flags.truncate && flags.write) file.length = 0;
    const fd = this.#nextFd++;
    this.#fds.set(fd, { file, flags });
    return fd;
  }

  #fd(fd: number): MemoryDescriptor {
    const d = this.#fds.get(fd);
    if (!d) throw new FileSystemError("EBADF");
    return d;
  }

  read(fd: number, length: number, position: number): Uint8Array {
    const { file, flags } = this.#fd(fd);
    if (!flags.read) throw new FileSystemError("EBADF");
    const start = Math.min(position, file.length);
    return file.data.slice(start, Math.min(file.length, start + length));
  }

  write(fd: number, data: Uint8Array, position: number): number {
    const { file, flags } = this.#fd(fd);
    if (!flags.write) throw new FileSystemError("EBADF");
    if (data.length === 0) return 0;
    const at = flags.append ? file.length : position;
    const end = at + data.length;
    if (end > file.data.length) {
      const grown = new Uint8Array(Math.max(end, file.data.length * 2, 64));
      grown.set(file.data.subarray(0, file.length));
      file.data = grown;
    }
    // A write past the end leaves a hole of zero bytes, as a sparse file reads.
    if (at > file.length) file.data.fill(0, file.length, at);
    file.data.set(data, at);
    file.length = Math.max(file.length, end);
    return data.length;
  }

  fstat(fd: number): FileStat {
    return { size: this.#fd(fd).file.length, blksize: MEMORY_BLKSIZE, directory: false };
  }

  close(fd: number): void {
    this.#fd(fd);
    this.#fds.delete(fd);
  }

  stat(path: string): FileStat {
    const full = this.#resolve(path);
    if (this.#dirs.has(full)) return { size: 4096, blksize: MEMORY_BLKSIZE, directory: true };
    const f = this.#files.get(full);
    if (!f) throw new FileSystemError("ENOENT");
    return { size: f.length, blksize: MEMORY_BLKSIZE, directory: false };
  }

  remove(path: string): void {
    const full = this.#resolve(path);
    if (this.#dirs.has(full)) throw new FileSystemError("EISDIR");
    if (!this.#files.delete(full)) throw new FileSystemError("ENOENT");
  }

  cwd(): string {
    return this.#cwd;
  }
}

/** `path` made absolute against `cwd`, with `.`, `..` and repeated slashes resolved. */
function normalize(path: string, cwd: string): string {
  const parts: string[] = [];
  for (const p of (path.startsWith("/") ? path : `${cwd}/${path}`).split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") parts.pop();
    else parts.push(p);
  }
  return `/${parts.join("/")}`;
}

function parentOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

/**
 * The synchronous calls {@link syncFileSystem} needs, as Node's `fs` module has them (passed in
 * by the host, so this package imports no Node module).
 */
export interface SyncFileApi {
  openSync(path: string, flags: number, mode?: number): number;
  readSync(
    fd: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): number;
  writeSync(
    fd: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): number;
  fstatSync(fd: number): { size: number; blksize: number; isDirectory(): boolean };
  statSync(path: string): { size: number; blksize: number; isDirectory(): boolean };
  closeSync(fd: number): void;
  unlinkSync(path: string): void;
  readonly constants: {
    readonly O_RDONLY: number;
    readonly O_WRONLY: number;
    readonly O_RDWR: number;
    readonly O_CREAT: number;
    readonly O_TRUNC: number;
    readonly O_EXCL: number;
    readonly O_APPEND: number;
  };
}

/**
 * A {@link FileSystem} over a synchronous file API with Node's `fs` shape (pass Node's `fs`
 * and a function giving the working directory): the host's real files, relative paths resolved
 * from `cwd()`. Its errors (with a `code` such as `ENOENT`) become {@link FileSystemError}s.
 */
export function syncFileSystem(api: SyncFileApi, cwd: () => string): FileSystem {
  const c = api.constants;
  const path = (p: string) => (p.startsWith("/") ? p : `${cwd()}/${p}`);
  const wrap = <T>(f: () => T): T => {
    try {
      return f();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== "string") throw error;
      const errno = (error as { errno?: unknown }).errno;
      const known = ERRNO[code as ErrnoCode] as readonly [number, string] | undefined;
      throw new FileSystemError(
        code,
        known?.[0] ?? (typeof errno === "number" ? Math.abs(errno) : undefined),
      );
    }
  };
  return {
    open: (p, f) =>
      wrap(() => {
        if (p === "") throw new FileSystemError("ENOENT");
        let flags = f.read && f.write ? c.O_RDWR : f.write ? c.O_WRONLY : c.O_RDONLY;
        if (f.create) flags |= c.O_CREAT;
        if (f.truncate) flags |= c.O_TRUNC;
        if (f.exclusive) flags |= c.O_EXCL;
        if (f.append) flags |= c.O_APPEND;
        const fd = api.openSync(path(p), flags, 0o666);
        // CPython's FileIO refuses a directory after opening it for reading.
        if (api.fstatSync(fd).isDirectory()) {
          api.closeSync(fd);
          throw new FileSystemError("EISDIR");
        }
        return fd;
      }),
    read: (fd, length, position) =>
      wrap(() => {
        const buf = new Uint8Array(length);
        const n = api.readSync(fd, buf, 0, length, position);
        return buf.subarray(0, n);
      }),
    write: (fd, data, position) => wrap(() => api.writeSync(fd, data, 0, data.length, position)),
    fstat: (fd) =>
      wrap(() => {
        const s = api.fstatSync(fd);
        return { size: s.size, blksize: s.blksize, directory: s.isDirectory() };
      }),
    close: (fd) => wrap(() => api.closeSync(fd)),
    stat: (p) =>
      wrap(() => {
        const s = api.statSync(path(p));
        return { size: s.size, blksize: s.blksize, directory: s.isDirectory() };
      }),
    remove: (p) => wrap(() => api.unlinkSync(path(p))),
    cwd,
  };
}

// The string functions of `os.path` on POSIX, as Lib/posixpath.py computes them: they read
// only the text of a path, never the file system.

/** `os.path.split(p)`: everything up to the last slash (trailing slashes dropped unless it is all slashes), and the rest. */
export function splitPath(p: string): [string, string] {
  const i = p.lastIndexOf("/") + 1;
  let head = p.slice(0, i);
  const tail = p.slice(i);
  if (head !== "" && head !== "/".repeat(head.length)) head = head.replace(/\/+$/, "");
  return [head, tail];
}

/** `os.path.basename(p)`: what follows the last slash. */
export function basename(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}

/** `os.path.dirname(p)`: the head of {@link splitPath}. */
export function dirname(p: string): string {
  return splitPath(p)[0];
}

/**
 * `os.path.splitext(p)`: the root and the extension, the extension starting at the last dot of
 * the last component unless the component's dots all lead it (`.bashrc` has none).
 */
export function splitext(p: string): [string, string] {
  const sep = p.lastIndexOf("/");
  const dot = p.lastIndexOf(".");
  if (dot > sep) {
    for (let i = sep + 1; i < dot; i++) if (p[i] !== ".") return [p.slice(0, dot), p.slice(dot)];
  }
  return [p, ""];
}

/** `os.path.normpath(p)`: `.` and empty components dropped, `..` folded where it can be. */
export function normpath(p: string): string {
  if (p === "") return ".";
  let initial = p.startsWith("/") ? 1 : 0;
  if (initial && p.startsWith("//") && !p.startsWith("///")) initial = 2;
  const out: string[] = [];
  for (const comp of p.split("/")) {
    if (comp === "" || comp === ".") continue;
    if (comp !== ".." || (!initial && out.length === 0) || out.at(-1) === "..") out.push(comp);
    else if (out.length > 0) out.pop();
  }
  const joined = "/".repeat(initial) + out.join("/");
  return joined || ".";
}

/** `os.path.abspath(p)` with `cwd` as the working directory. */
export function abspath(p: string, cwd: string): string {
  return normpath(p.startsWith("/") ? p : cwd.endsWith("/") ? cwd + p : `${cwd}/${p}`);
}

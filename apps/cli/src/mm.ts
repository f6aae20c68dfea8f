// The `mm` executable: runs the command line on this process's streams and sets the exit code.
// A closed stdout (`mm run --events t.jsonl | head`) ends the output quietly.

import { processIo } from "./io.js";
import { main } from "./main.js";

process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2), processIo());

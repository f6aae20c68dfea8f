// @mm/python: Python 3.11 programs on @mm/runtime.

export type { CodeUnit, Handler } from "./compile/code.js";
export { CodeFlags } from "./compile/code.js";
export { compileModule } from "./compile/codegen.js";
export { CompileError } from "./compile/errors.js";
export { foldModule } from "./compile/fold.js";
export { opNames } from "./compile/opcodes.js";
export type { CompileWarning } from "./compile/warnings.js";
export type * as ast from "./syntax/ast.js";
export type { SyntaxErrorType } from "./syntax/errors.js";
export { PySyntaxError } from "./syntax/errors.js";
export { parse } from "./syntax/parse.js";
export {
  ERRNO,
  type ErrnoCode,
  type FileStat,
  type FileSystem,
  FileSystemError,
  MEMORY_BLKSIZE,
  MemoryFileSystem,
  type OpenFlags,
  type SyncFileApi,
  syncFileSystem,
} from "./vm/files.js";
export { Interpreter, type InterpreterIO } from "./vm/interpreter.js";
export { moduleNames } from "./vm/modules.js";
export {
  describeEvent,
  describeStep,
  hexAddress,
  PY_TRACE_VERSION,
  type PyTrace,
  type RecordedEvent,
  type RecordedFrame,
  type RecordedFreeCause,
  type RecordedGcState,
  type RecordedHeap,
  type RecordedObject,
  type RecordedPool,
  type RecordedStep,
  type RecordedVariable,
  type RecorderOptions,
  type RecordingSummary,
  type RecordOptions,
  recordPython,
  StepRecorder,
} from "./vm/recorder.js";
export { PyRepl, type ReplOptions } from "./vm/repl.js";
export { type RunOptions, type RunResult, runPython, syntaxErrorText } from "./vm/run.js";

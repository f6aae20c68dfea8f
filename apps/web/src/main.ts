// The page: an editor and its examples, a Run that records the program in a worker, and the
// panes that show the recorded step chosen with the slider, the buttons or the keys.

import { hexAddress } from "@mm/python";
import { addressSpaceSvg, arenaSvg, escapeXml, formatBytes } from "@mm/views";
import { createEditor } from "./editor.js";
import { EXAMPLES, FIRST_EXAMPLE } from "./examples.js";
import { programFragment, programFromFragment } from "./fragment.js";
import {
  arenaMapOf,
  blockPlace,
  boxTitle,
  departures,
  eventLines,
  gcModel,
  generationText,
  graphModel,
} from "./model.js";
import {
  ALLOCATORS,
  COLLECTORS,
  DEFAULT_STRATEGY,
  type DoneMessage,
  type PageStep,
  PRESETS,
  type RunRequest,
  type Strategy,
  type WarmRequest,
  type WorkerMessage,
} from "./protocol.js";
import { graphSvg } from "./render.js";

/** Steps recorded with their objects; later lines are only counted. */
const STEP_BUDGET = 1000;
/** Instructions after which a program is stopped as a runaway. */
const MAX_INSTRUCTIONS = 5_000_000;
/** Wall-clock time after which the worker is stopped. */
const WATCHDOG_MS = 20_000;

function $<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page has no #${id}`);
  return element as T;
}

const ui = {
  example: $<HTMLSelectElement>("example"),
  collector: $<HTMLSelectElement>("collector"),
  allocator: $<HTMLSelectElement>("allocator"),
  preset: $<HTMLSelectElement>("preset"),
  process: $<HTMLInputElement>("process"),
  run: $<HTMLButtonElement>("run"),
  first: $<HTMLButtonElement>("first"),
  back: $<HTMLButtonElement>("back"),
  slider: $<HTMLInputElement>("slider"),
  forward: $<HTMLButtonElement>("forward"),
  last: $<HTMLButtonElement>("last"),
  position: $<HTMLParagraphElement>("position"),
  status: $<HTMLParagraphElement>("status"),
  output: $<HTMLPreElement>("output"),
  runs: $<HTMLTableElement>("runs"),
  graph: $<HTMLDivElement>("graph"),
  selected: $<HTMLDivElement>("selected"),
  gc: $<HTMLDivElement>("gc"),
  events: $<HTMLUListElement>("events"),
  freed: $<HTMLUListElement>("freed"),
  arenas: $<HTMLDivElement>("arenas"),
  layout: $<HTMLDivElement>("layout"),
};

function fillSelect(select: HTMLSelectElement, values: readonly string[], chosen: string): void {
  select.replaceChildren(
    ...values.map((value) => {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      option.selected = value === chosen;
      return option;
    }),
  );
}

/** The run being shown: its steps so far, the chosen one, and the rest once it is over. */
interface RunState {
  readonly strategy: Strategy;
  readonly steps: PageStep[];
  index: number;
  done: DoneMessage | undefined;
  stopped: string | undefined;
  startedAt: number;
}

let current: RunState | undefined;
/** The worker running the current program, if it is still running. */
let worker: Worker | undefined;
/** A worker with nothing to do, its modules loaded and warmed up: the next Run starts at once. */
let spare: Worker | undefined;
/** Removes the current run's listeners from its worker. */
let detach: (() => void) | undefined;
let watchdog: ReturnType<typeof setTimeout> | undefined;
let selected: number | undefined;

// The examples menu: a first, empty choice names a program that is not one of them.
ui.example.replaceChildren(
  Object.assign(document.createElement("option"), { value: "", textContent: "(your program)" }),
  ...EXAMPLES.map((e) =>
    Object.assign(document.createElement("option"), { value: e.id, textContent: e.title }),
  ),
);
fillSelect(ui.collector, COLLECTORS, DEFAULT_STRATEGY.collector);
fillSelect(ui.allocator, ALLOCATORS, DEFAULT_STRATEGY.allocator);
fillSelect(ui.preset, PRESETS, DEFAULT_STRATEGY.preset);

const initial = programFromFragment(location.hash);
let fragmentTimer: ReturnType<typeof setTimeout> | undefined;
const editor = createEditor(
  $("editor"),
  initial ?? FIRST_EXAMPLE.source,
  () => {
    // The address follows the program (debounced: a keystroke should not rewrite history).
    clearTimeout(fragmentTimer);
    fragmentTimer = setTimeout(writeFragment, 250);
    const match = EXAMPLES.find((e) => e.source === editor.text());
    ui.example.value = match?.id ?? "";
  },
  () => run(),
);
ui.example.value =
  initial === undefined ? FIRST_EXAMPLE.id : (EXAMPLES.find((e) => e.source === initial)?.id ?? "");
if (initial === undefined) writeFragment();

function writeFragment(): void {
  clearTimeout(fragmentTimer);
  const fragment = programFragment(editor.text());
  if (location.hash !== fragment) history.replaceState(null, "", fragment);
}

addEventListener("hashchange", () => {
  const program = programFromFragment(location.hash);
  if (program !== undefined && program !== editor.text()) editor.setText(program);
});

ui.example.addEventListener("change", () => {
  const example = EXAMPLES.find((e) => e.id === ui.example.value);
  if (example === undefined) return;
  editor.setText(example.source);
  writeFragment();
});

function strategy(): Strategy {
  return {
    collector: ui.collector.value as Strategy["collector"],
    allocator: ui.allocator.value as Strategy["allocator"],
    preset: ui.preset.value as Strategy["preset"],
    process: ui.process.checked,
  };
}

function strategyName(s: Strategy): string {
  return `${s.collector} · ${s.allocator}${s.collector === "cpython" ? ` · ${s.preset}` : ""}`;
}

/**
 * A new worker, asked to warm up under the chosen strategy (load its modules, run a line) so
 * that its first real run does not pay for that.
 */
function spawnWorker(): Worker {
  const w = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
  const warm: WarmRequest = { kind: "warm", strategy: strategy() };
  w.postMessage(warm);
  // The page says when a worker is ready (for tests and the benchmark: a Run before then waits).
  const ready = (event: MessageEvent<WorkerMessage>) => {
    if (event.data.kind !== "ready") return;
    w.removeEventListener("message", ready);
    performance.mark("mm:worker-ready");
    document.body.dataset.ready = "true";
  };
  w.addEventListener("message", ready);
  return w;
}

/** Records the editor's program in the spare worker (stopping a run still going). */
function run(): void {
  stopWorker();
  writeFragment();
  const chosen = strategy();
  const state: RunState = {
    strategy: chosen,
    steps: [],
    index: 0,
    done: undefined,
    stopped: undefined,
    startedAt: performance.now(),
  };
  current = state;
  selected = undefined;
  ui.status.textContent = `Running under ${strategyName(chosen)}…`;
  ui.position.textContent = "Recording…";
  ui.output.textContent = "";
  const w = spare ?? spawnWorker();
  spare = undefined;
  worker = w;
  const onMessage = (event: MessageEvent<WorkerMessage>) => {
    if (current !== state) return;
    const message = event.data;
    if (message.kind === "steps") {
      const first = state.steps.length === 0;
      state.steps.push(...message.steps);
      if (first) {
        show(0);
        performance.mark("mm:first-step");
      } else updateControls();
    } else if (message.kind === "ready") {
      return;
    } else if (message.kind === "done") {
      state.done = message;
      finishRun();
    } else {
      state.stopped = `The run failed: ${message.message}`;
      finishRun();
    }
  };
  const onError = (event: ErrorEvent) => {
    if (current !== state) return;
    state.stopped = `The worker failed: ${event.message}`;
    finishRun();
  };
  w.addEventListener("message", onMessage);
  w.addEventListener("error", onError);
  detach = () => {
    w.removeEventListener("message", onMessage);
    w.removeEventListener("error", onError);
  };
  watchdog = setTimeout(() => {
    if (current !== state || state.done !== undefined) return;
    state.stopped = `Stopped: the program ran for more than ${WATCHDOG_MS / 1000} s without ending (an endless loop?). The steps recorded until then are shown.`;
    finishRun();
  }, WATCHDOG_MS);
  const request: RunRequest = {
    kind: "run",
    source: editor.text(),
    strategy: chosen,
    budget: STEP_BUDGET,
    maxInstructions: MAX_INSTRUCTIONS,
  };
  w.postMessage(request);
}

/** Stops the current run's worker, if it is still running, and readies a spare one. */
function stopWorker(): void {
  clearTimeout(watchdog);
  detach?.();
  detach = undefined;
  if (worker === undefined) return;
  worker.terminate();
  worker = undefined;
  spare ??= spawnWorker();
}

/** The run is over (ended, failed or stopped): say how, and add it to the runs table. */
function finishRun(): void {
  const state = current;
  if (state?.done !== undefined && worker !== undefined) {
    // It ended by itself: its worker is idle again and becomes the spare.
    clearTimeout(watchdog);
    detach?.();
    detach = undefined;
    spare ??= worker;
    if (spare !== worker) worker.terminate();
    worker = undefined;
  } else stopWorker();
  if (state === undefined) return;
  performance.mark("mm:run-done");
  const done = state.done;
  if (done !== undefined) {
    const { trace } = done;
    const parts = [
      `${strategyName(state.strategy)}: exit status ${trace.status}`,
      `${trace.summary.lines} lines in ${(done.elapsedMs / 1000).toFixed(2)} s`,
    ];
    if (trace.truncated)
      parts.push(
        `the first ${state.steps.length} steps are recorded in full; the other ${trace.summary.lines - trace.budget} lines are only counted (summary below)`,
      );
    ui.status.textContent = `${parts.join("; ")}.`;
    addRunRow(state, done);
  } else ui.status.textContent = state.stopped ?? "";
  ui.status.classList.toggle("warn", state.stopped !== undefined || done?.trace.truncated === true);
  if (state.steps.length === 0) {
    ui.position.textContent = "No steps: the program did not run a line.";
    ui.output.textContent = done?.trace.stderr ?? "";
  } else show(state.index);
}

function addRunRow(state: RunState, done: DoneMessage): void {
  const { summary } = done.trace;
  const row = document.createElement("tr");
  const cells = [
    strategyName(state.strategy),
    String(summary.lines),
    String(summary.freedBy.refcount),
    String(summary.freedBy.collection.reduce((a, b) => a + b, 0)),
    String(summary.events.collect),
  ];
  row.replaceChildren(
    ...cells.map((text) => Object.assign(document.createElement("td"), { textContent: text })),
  );
  const body = ui.runs.tBodies[0]!;
  body.prepend(row);
  while (body.rows.length > 6) body.deleteRow(-1);
}

function updateControls(): void {
  const state = current;
  const count = state?.steps.length ?? 0;
  const index = state?.index ?? 0;
  ui.slider.max = String(Math.max(0, count - 1));
  ui.slider.value = String(index);
  ui.slider.disabled = count === 0;
  ui.first.disabled = ui.back.disabled = index <= 0;
  ui.last.disabled = ui.forward.disabled = index >= count - 1;
  if (state !== undefined && count > 0) {
    const step = state.steps[index]!;
    const more = state.done === undefined && state.stopped === undefined ? "+ (recording)" : "";
    const where = step.function === "<module>" ? "" : ` in ${step.function}`;
    ui.position.textContent = `Step ${index + 1} of ${count}${more} · line ${step.line}${where}`;
    ui.slider.setAttribute("aria-valuetext", `step ${index + 1} of ${count}, line ${step.line}`);
  }
}

/** Shows step `index` of the current run in every pane. */
function show(index: number): void {
  const state = current;
  if (state === undefined || state.steps.length === 0) return;
  index = Math.max(0, Math.min(index, state.steps.length - 1));
  state.index = index;
  const step = state.steps[index]!;
  const previous = index > 0 ? state.steps[index - 1] : undefined;
  updateControls();
  editor.markLine(step.line);
  // Output up to and including this step; stderr (a traceback) once the last step is shown.
  let out = "";
  for (let i = 0; i <= index; i++) out += state.steps[i]!.stdout;
  const atEnd = index === state.steps.length - 1 && state.done !== undefined;
  if (atEnd && state.done!.trace.stderr !== "") out += state.done!.trace.stderr;
  ui.output.textContent = out;
  ui.output.scrollTop = ui.output.scrollHeight;
  if (selected === undefined || !step.objects?.some((o) => o.address === selected)) {
    // Nothing chosen (or it died): the newest object the line made that a box shows, else
    // the innermost frame's last variable.
    const shown = new Set(step.objects?.map((o) => o.address));
    const made = step.events.findLast((e) => e.kind === "allocate" && shown.has(e.address));
    selected =
      made?.kind === "allocate" ? made.address : step.frames.at(-1)?.variables.at(-1)?.address;
  }
  renderStep(step, previous);
}

function renderStep(step: PageStep, previous: PageStep | undefined): void {
  const model = graphModel(step);
  ui.graph.innerHTML = graphSvg(model, selected);
  renderSelected(step);
  renderGc(step);
  const lines = eventLines(step);
  ui.events.replaceChildren(
    ...(lines.length > 0 ? lines : ["nothing happened to memory on this line"]).map((text) =>
      Object.assign(document.createElement("li"), { textContent: text }),
    ),
  );
  const gone = departures(step, previous);
  const items = gone.shown.map((d) => {
    const li = document.createElement("li");
    li.className = "leaving";
    li.innerHTML = `<strong>${escapeXml(d.type)}</strong> ${escapeXml(d.repr ?? "")} <span class="muted">at ${hexAddress(d.address)}, ${d.size} bytes</span><br/>freed by ${escapeXml(d.freedBy)}`;
    return li;
  });
  if (gone.temporaries > 0)
    items.push(
      Object.assign(document.createElement("li"), {
        className: "muted",
        textContent: `${gone.temporaries} temporar${gone.temporaries === 1 ? "y" : "ies"} of the line freed`,
      }),
    );
  if (items.length === 0)
    items.push(
      Object.assign(document.createElement("li"), { className: "muted", textContent: "nothing" }),
    );
  ui.freed.replaceChildren(...items);
  renderArenas(step);
  renderLayout(step);
}

function renderSelected(step: PageStep): void {
  const o = step.objects?.find((x) => x.address === selected);
  if (o === undefined) {
    ui.selected.innerHTML = `<p class="muted">Select an object box (click it, or focus it and press Enter).</p>`;
    return;
  }
  const held = step.frames.flatMap((f) =>
    f.variables.filter((v) => v.address === o.address).map((v) => `${v.name} (${f.name})`),
  );
  const virtual = step.virtual?.get(o.address);
  const rows: Array<[string, string]> = [
    ["object", boxTitle(o)],
    ["value", o.repr],
    ["refcount", `${o.refcount} (sys.getrefcount(x) - 1)`],
    ["size", `${o.size} bytes (sys.getsizeof)`],
    ["collector", generationText(o)],
    ["reachable", o.reachable ? "from a variable" : "no variable reaches it"],
    ["held by", held.length > 0 ? held.join(", ") : "no variable directly"],
  ];
  if (virtual !== undefined) rows.push(["virtual address", `0x${virtual.toString(16)}`]);
  ui.selected.innerHTML = `<dl>${rows
    .map(([k, v]) => `<dt>${k}</dt><dd>${escapeXml(v)}</dd>`)
    .join("")}</dl>`;
}

function renderGc(step: PageStep): void {
  const gc = gcModel(step);
  if (gc === undefined) {
    ui.gc.textContent = "";
    return;
  }
  const rows = gc.rows
    .map((r) => {
      const share = r.count !== undefined && r.threshold ? Math.min(1, r.count / r.threshold) : 0;
      const bar = gc.generational
        ? `<span class="meter" role="img" aria-label="${r.count} of ${r.threshold}"><span style="width:${(share * 100).toFixed(0)}%"></span></span>`
        : "";
      const count = gc.generational ? `${r.count} / ${r.threshold}` : "—";
      return `<tr><th scope="row">gen ${r.generation}</th><td>${count} ${bar}</td><td>${r.collections}</td><td>${r.collected}</td></tr>`;
    })
    .join("");
  const notes = [
    "count against threshold; collections so far and the objects they found",
    gc.enabled ? "enabled" : "disabled (gc.disable())",
    `gc.garbage: ${gc.garbage}`,
    ...(gc.generational ? [] : ["this collector has no generations"]),
  ];
  ui.gc.innerHTML = `<table class="gc"><thead><tr><th></th><th title="gc.get_count() against gc.get_threshold()">count</th><th title="collections of the generation so far">runs</th><th title="unreachable objects those collections found">found</th></tr></thead><tbody>${rows}</tbody></table><p class="muted">${escapeXml(notes.join(" · "))}</p>${gc.collectedNow
    .map((t) => `<p class="hot">${escapeXml(t)}</p>`)
    .join("")}`;
}

function renderArenas(step: PageStep): void {
  const heap = step.heap;
  if (heap === undefined) {
    ui.arenas.innerHTML = `<p class="muted">No pymalloc under the ${escapeXml(current?.strategy.allocator ?? "")} allocator: every block comes from the free store.</p>`;
    return;
  }
  const map = arenaMapOf(heap);
  const place = selected === undefined ? undefined : blockPlace(map, heap, selected);
  const title = `${map.arenas.length} arena${map.arenas.length === 1 ? "" : "s"}, ${map.blocksInUse} blocks in use${
    place
      ? `; the selected object's block is in pool ${place.cell} of arena ${map.arenas[place.arenaIndex]!.index} (class ${place.sizeClass})`
      : ""
  }`;
  ui.arenas.innerHTML = arenaSvg(map, title, { form: "auto" });
  if (place !== undefined) {
    // Outline the selected object's pool: the cells are drawn arena by arena, each an outline.
    const outlines = ui.arenas.querySelectorAll('rect[stroke="#bbb"]');
    let offset = 0;
    for (let a = 0; a < place.arenaIndex; a++) offset += map.arenas[a]!.totalPools;
    const cell = outlines[offset + place.cell];
    cell?.setAttribute("stroke", "#1d4ed8");
    cell?.setAttribute("stroke-width", "5");
    cell?.classList.add("selected-pool");
  }
}

function renderLayout(step: PageStep): void {
  if (step.layout === undefined) {
    ui.layout.innerHTML = `<p class="muted">Tick “Process” and run again to place the runtime in a modelled x86-64 process.</p>`;
    return;
  }
  const virtual = selected === undefined ? undefined : step.virtual?.get(selected);
  const model =
    virtual === undefined
      ? step.layout
      : {
          ...step.layout,
          markers: [...step.layout.markers, { name: "selected", address: virtual }],
        };
  ui.layout.innerHTML = addressSpaceSvg(model, {
    title: `address space${virtual !== undefined ? `: the selected object at 0x${virtual.toString(16)} (${formatBytes(step.objects?.find((o) => o.address === selected)?.size ?? 0)})` : ""}`,
    width: 560,
    framesShown: 4,
  });
}

function select(address: number): void {
  selected = address;
  const state = current;
  if (state === undefined) return;
  const step = state.steps[state.index];
  if (step === undefined) return;
  renderStep(step, state.index > 0 ? state.steps[state.index - 1] : undefined);
  ui.graph.querySelector<SVGGElement>(`g.box[data-address="${address}"]`)?.focus();
}

function step(delta: number | "first" | "last"): void {
  const state = current;
  if (state === undefined) return;
  const target =
    delta === "first" ? 0 : delta === "last" ? state.steps.length - 1 : state.index + delta;
  show(target);
}

ui.run.addEventListener("click", () => run());
ui.first.addEventListener("click", () => step("first"));
ui.back.addEventListener("click", () => step(-1));
ui.forward.addEventListener("click", () => step(1));
ui.last.addEventListener("click", () => step("last"));
ui.slider.addEventListener("input", () => show(Number(ui.slider.value)));
ui.graph.addEventListener("click", (event) => {
  const box = (event.target as Element).closest("g.box");
  if (box !== null) select(Number(box.getAttribute("data-address")));
});
ui.graph.addEventListener("keydown", (event) => {
  const box = (event.target as Element).closest("g.box");
  if (box !== null && (event.key === "Enter" || event.key === " ")) {
    event.preventDefault();
    select(Number(box.getAttribute("data-address")));
  }
});

// Keys step through the run anywhere but in the editor and the form controls (which use them).
addEventListener("keydown", (event) => {
  const target = event.target as Element;
  if (target.closest(".cm-editor, select, input, textarea") !== null) return;
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  const keys: Record<string, number | "first" | "last"> = {
    ArrowRight: 1,
    ArrowLeft: -1,
    ".": 1,
    ",": -1,
    Home: "first",
    End: "last",
  };
  const delta = keys[event.key];
  if (delta === undefined || current === undefined) return;
  event.preventDefault();
  step(delta);
});

// A worker gets ready while the reader reads: after the first paint, not before it.
setTimeout(() => {
  spare ??= spawnWorker();
}, 0);

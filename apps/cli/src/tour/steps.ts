// The tour's steps, in the order a reader meets the ideas.

import { contextManagers } from "./context-managers.js";
import { cycles } from "./cycles.js";
import { finalizers } from "./finalizers.js";
import { freeLists } from "./free-lists.js";
import { generations } from "./generations.js";
import { pools } from "./pools.js";
import { privateHeap } from "./private-heap.js";
import { processLayout } from "./process-layout.js";
import { refcounts } from "./refcounts.js";
import type { TourStep } from "./step.js";
import { weakrefs } from "./weakrefs.js";

/** Every step of `mm tour`. */
export const tourSteps: readonly TourStep[] = [
  privateHeap,
  refcounts,
  cycles,
  generations,
  pools,
  freeLists,
  finalizers,
  weakrefs,
  contextManagers,
  processLayout,
];

// @mm/views: the pictures of @mm's memory and the data behind them, for any front end. Every
// picture has a model (plain data, computed from a runtime, an allocator or a process) and a
// renderer (an SVG string, or text for a terminal); nothing here imports from Node.js, so the
// same code draws in a terminal tool and in a browser.

export type {
  AddressBlock,
  AddressMarker,
  AddressSpaceModel,
  AddressSpaceOptions,
  PlacedBlock,
} from "./address-space.js";
export { addressSpaceModel, addressSpaceSvg } from "./address-space.js";
export { arenaCounts, arenaGrid, plainText, type TextPaint } from "./arena-grid.js";
export {
  type ArenaSvgOptions,
  arenaSvg,
  FULL_FORM_MAX_ARENAS,
  type HeapMapForm,
  heapMapForm,
  type SummaryLayout,
  summaryLayout,
} from "./arena-svg.js";
export {
  type ArenaMap,
  type ArenaPicture,
  type ArenaSummary,
  arenaMap,
  arenaSummaries,
  type CellState,
  type PoolCell,
} from "./arenas.js";
export {
  type Box,
  binaryStep,
  type ChartInput,
  type ChartMark,
  type ChartModel,
  type ChartPanel,
  type ChartSeries,
  chartModel,
  chartSvg,
  decimalStep,
  type LineModel,
  linearScale,
  type MarkerShape,
  type MarkRowModel,
  marker,
  type PanelModel,
  type Point,
  type Scale,
  type SeriesStyle,
  seriesStyle,
  type Tick,
} from "./chart.js";
export { type ComparedRun, compareChartInput, comparedRun, compareSvg } from "./compare.js";
export { countLeaks, liveObjects } from "./leaks.js";
export {
  type CollectionMark,
  type Measurement,
  type MeasureOptions,
  measureTrace,
  type PauseFigures,
  pauseFigures,
  pauseWarmth,
  type RunSummary,
} from "./measure.js";
export {
  type ConstantsArea,
  type FrameView,
  type RuntimeFootprint,
  runtimeFootprint,
  stackFrames,
} from "./process.js";
export { bucketMax, sampleSeries, sparkline } from "./sparkline.js";
export {
  type Attributes,
  CHAR_WIDTH,
  element,
  escapeXml,
  round,
  svgDocument,
  text,
  textWidth,
  titleLines,
  wrapText,
} from "./svg.js";
export { countSteps } from "./trace-shape.js";
export { count, formatBytes, ms, plural } from "./units.js";

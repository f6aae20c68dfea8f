// The frames-and-objects picture as SVG text: frames on the left with a row per variable,
// object boxes in columns, arrows from variables and from containers to what they hold. Each
// box is a focusable button of the picture (Enter or a click selects it).

import { hexAddress } from "@mm/python";
import { escapeXml } from "@mm/views";
import { type Arrow, boxTitle, GRAPH, type GraphModel } from "./model.js";

/** Colours of the picture, by what a box holds. */
const TYPE_FILL: Record<string, string> = {
  int: "#eef5ff",
  float: "#eef5ff",
  str: "#f1f8ec",
  bool: "#eef5ff",
  NoneType: "#f4f4f4",
  list: "#fff6e6",
  tuple: "#fff6e6",
  dict: "#fdeef4",
  set: "#fdeef4",
};

function arrowPath(a: Arrow): string {
  const { from, to } = a;
  if (!a.back) {
    const dx = Math.max(30, (to.x - from.x) / 2);
    return `M${from.x},${from.y} C${from.x + dx},${from.y} ${to.x - dx},${to.y} ${to.x},${to.y}`;
  }
  // Back to a box in the same or an earlier column (a cycle): a loop out to the right.
  const bulge = 46;
  return `M${from.x},${from.y} C${from.x + bulge},${from.y} ${to.x + bulge},${to.y} ${to.x},${to.y}`;
}

/** The picture of `model`, `selected` (an address) outlined. */
export function graphSvg(model: GraphModel, selected: number | undefined): string {
  const { frameWidth, frameHeader, rowHeight, boxWidth, boxHeight } = GRAPH;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="graph" width="${model.width}" height="${model.height}" viewBox="0 0 ${model.width} ${model.height}" role="group" aria-label="Frames and objects">`,
    `<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#4a5568"/></marker>`,
    `<marker id="head-hot" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#c53030"/></marker></defs>`,
  );
  for (const frame of model.frames) {
    out.push(
      `<g class="frame${frame.current ? " current" : ""}">`,
      `<rect x="${frame.x}" y="${frame.y}" width="${frameWidth}" height="${frame.height}" rx="4"/>`,
      `<text class="frame-name" x="${frame.x + 8}" y="${frame.y + 17}">${escapeXml(frame.name)}${frame.line > 0 ? `  line ${frame.line}` : ""}</text>`,
    );
    if (frame.rows.length === 0)
      out.push(
        `<text class="muted" x="${frame.x + 10}" y="${frame.y + frameHeader + 15}">no variables</text>`,
      );
    for (const row of frame.rows)
      out.push(
        `<line class="row-rule" x1="${frame.x}" x2="${frame.x + frameWidth}" y1="${row.y}" y2="${row.y}"/>`,
        `<text class="var" x="${frame.x + 10}" y="${row.y + 15}">${escapeXml(row.name)}</text>`,
        `<circle class="dot" cx="${frame.x + frameWidth - 8}" cy="${row.y + rowHeight / 2}" r="3"/>`,
      );
    out.push("</g>");
  }
  for (const arrow of model.arrows) {
    const hot = arrow.target === selected;
    out.push(
      `<path class="arrow${hot ? " hot" : ""}" d="${arrowPath(arrow)}" marker-end="url(#${hot ? "head-hot" : "head"})"/>`,
    );
  }
  for (const box of model.boxes) {
    const o = box.object;
    const fill = o.reachable ? (TYPE_FILL[o.type] ?? "#f0f0fa") : "#fff0f0";
    const cls = `box${o.address === selected ? " selected" : ""}${o.reachable ? "" : " stranded"}`;
    const label = `${boxTitle(o)}: ${o.repr}, refcount ${o.refcount}, ${o.size} bytes, ${box.lines[2]}`;
    out.push(
      `<g class="${cls}" data-address="${o.address}" tabindex="0" role="button" aria-label="${escapeXml(label)}">`,
      `<rect x="${box.x}" y="${box.y}" width="${boxWidth}" height="${boxHeight}" rx="4" fill="${fill}"/>`,
      `<line class="box-rule" x1="${box.x}" x2="${box.x + boxWidth}" y1="${box.y + 22}" y2="${box.y + 22}"/>`,
      `<text class="type" x="${box.x + 8}" y="${box.y + 16}">${escapeXml(o.type)}</text>`,
      `<text class="addr" x="${box.x + boxWidth - 8}" y="${box.y + 16}" text-anchor="end">${hexAddress(o.address)}</text>`,
    );
    box.lines.forEach((line, i) => {
      out.push(
        `<text class="${i === 0 ? "repr" : "stat"}" x="${box.x + 8}" y="${box.y + 38 + i * 16}">${escapeXml(line)}</text>`,
      );
    });
    out.push("</g>");
  }
  if (model.hidden > 0)
    out.push(
      `<text class="muted" x="${GRAPH.margin}" y="${model.height - 4}">${model.hidden} more objects not drawn</text>`,
    );
  out.push("</svg>");
  return out.join("");
}

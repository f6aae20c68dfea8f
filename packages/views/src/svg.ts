// SVG documents built as strings, and the small pieces every picture uses: the one XML escape
// of @mm, a document with a white background, text, and titles wrapped to the picture's width
// (a picture never clips its own title).

/** Escapes text for an XML attribute value or element content. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** The width of a character of the pictures' monospace font, as a share of its size. */
export const CHAR_WIDTH = 0.6;

/** The width in pixels that `content` takes in the pictures' monospace font at `fontSize`. */
export function textWidth(content: string, fontSize: number): number {
  return content.length * fontSize * CHAR_WIDTH;
}

/**
 * `content` broken at spaces into lines of at most `maxWidth` pixels at `fontSize` (a word
 * longer than a line is cut into pieces), so that a title fits its picture.
 */
export function wrapText(content: string, maxWidth: number, fontSize: number): string[] {
  const perLine = Math.max(1, Math.floor(maxWidth / (fontSize * CHAR_WIDTH)));
  const lines: string[] = [];
  let line = "";
  for (const word of content.split(" ")) {
    let rest = word;
    while (rest.length > perLine) {
      if (line !== "") lines.push(line);
      lines.push(rest.slice(0, perLine));
      line = "";
      rest = rest.slice(perLine);
    }
    if (line === "") line = rest;
    else if (line.length + 1 + rest.length <= perLine) line += ` ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line !== "" || lines.length === 0) lines.push(line);
  return lines;
}

/** A complete SVG document of the given size and title around `body`, text `fontSize` px. */
export function svgDocument(
  width: number,
  height: number,
  title: string,
  body: readonly string[],
  fontSize = 12,
): string {
  const w = Math.ceil(width);
  const h = Math.ceil(height);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="${fontSize}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${w}" height="${h}" fill="#ffffff"/>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}

/** Attributes of an element: names to values, written escaped. */
export type Attributes = Readonly<Record<string, string | number>>;

function attributeText(attributes: Attributes): string {
  return Object.entries(attributes)
    .map(([k, v]) => ` ${k}="${escapeXml(typeof v === "number" ? String(round(v)) : v)}"`)
    .join("");
}

/** A `<text>` element. */
export function text(x: number, y: number, content: string, attributes: Attributes = {}): string {
  return `<text x="${round(x)}" y="${round(y)}"${attributeText(attributes)}>${escapeXml(content)}</text>`;
}

/** An element without content: `<rect …/>`, `<line …/>`, `<path …/>`. */
export function element(name: string, attributes: Attributes, tooltip?: string): string {
  return tooltip === undefined
    ? `<${name}${attributeText(attributes)}/>`
    : `<${name}${attributeText(attributes)}><title>${escapeXml(tooltip)}</title></${name}>`;
}

/**
 * A title of `content` wrapped to `maxWidth` at `fontSize`, bold, its first baseline at `y`;
 * returns the elements and the y below its last line.
 */
export function titleLines(
  x: number,
  y: number,
  content: string,
  maxWidth: number,
  fontSize = 14,
): { readonly elements: string[]; readonly bottom: number } {
  const lines = wrapText(content, maxWidth, fontSize);
  const step = Math.round(fontSize * 1.3);
  return {
    elements: lines.map((line, i) =>
      text(x, y + i * step, line, { "font-size": fontSize, "font-weight": "bold" }),
    ),
    bottom: y + (lines.length - 1) * step + Math.round(fontSize * 0.5),
  };
}

/** `value` to one decimal place, as coordinates are written. */
export function round(value: number): number {
  return Math.round(value * 10) / 10;
}

// A minimal XML check for the tests: tags balance and every attribute is quoted.

/** Whether `xml`'s tags balance and no `<` or `>` is left outside a tag. */
export function wellFormed(xml: string): boolean {
  const tag = /<(\/?)([a-zA-Z]+)((?:\s+[a-zA-Z][a-zA-Z0-9-]*="[^"<>]*")*)\s*(\/?)>/g;
  const stack: string[] = [];
  for (const [, closing, name, , selfClosing] of xml.matchAll(tag)) {
    if (selfClosing) continue;
    if (closing) {
      if (stack.pop() !== name) return false;
    } else stack.push(name!);
  }
  return stack.length === 0 && !/[<>]/.test(xml.replace(tag, ""));
}

// The program editor: CodeMirror 6 with its Python mode, line numbers, undo, and a mark on the
// line the shown step ran.

import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { defaultHighlightStyle, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { EditorState, StateEffect, StateField } from "@codemirror/state";
import {
  Decoration,
  type DecorationSet,
  EditorView,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";

/** Sets the line the shown step ran (1-based), or 0 for none. */
const setStepLine = StateEffect.define<number>();

const stepLineMark = Decoration.line({ class: "cm-step-line" });

/** The decoration of the step's line, kept across edits until the next step is shown. */
const stepLine = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    marks = marks.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setStepLine)) continue;
      const line = effect.value;
      marks =
        line >= 1 && line <= tr.state.doc.lines
          ? Decoration.set([stepLineMark.range(tr.state.doc.line(line).from)])
          : Decoration.none;
    }
    return marks;
  },
  provide: (field) => EditorView.decorations.from(field),
});

/** The page's editor: its text and the step line it marks. */
export interface ProgramEditor {
  readonly view: EditorView;
  /** The program's text. */
  text(): string;
  /** Replaces the whole program. */
  setText(text: string): void;
  /** Marks `line` (1-based) as the step's line and scrolls it into view; 0 clears it. */
  markLine(line: number): void;
}

/** Makes the editor in `parent`; `onChange` hears every edit, `onRun` Ctrl+Enter. */
export function createEditor(
  parent: HTMLElement,
  text: string,
  onChange: () => void,
  onRun: () => void,
): ProgramEditor {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        indentUnit.of("    "),
        keymap.of([
          {
            key: "Mod-Enter",
            run: () => {
              onRun();
              return true;
            },
          },
          ...defaultKeymap,
          ...historyKeymap,
        ]),
        python(),
        syntaxHighlighting(defaultHighlightStyle),
        stepLine,
        EditorView.contentAttributes.of({ "aria-label": "Program" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange();
        }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(next) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } });
    },
    markLine(line) {
      const effects: StateEffect<unknown>[] = [setStepLine.of(line)];
      if (line >= 1 && line <= view.state.doc.lines)
        effects.push(EditorView.scrollIntoView(view.state.doc.line(line).from, { y: "nearest" }));
      view.dispatch({ effects });
    },
  };
}

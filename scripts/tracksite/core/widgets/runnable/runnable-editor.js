/* tracksite /// runnable: the code editor, CodeMirror 6 (codemirror/codemirror.js, vendored and
   rebuilt by scripts/codemirror/build.sh). runnable.js imports this module on pages with
   runnable code only, and keeps the block's highlighted code until it has loaded, so a page
   whose scripts fail still shows the code. What a learner expects of a code editor, CodeMirror
   does: Python highlighting and indentation, Tab and Shift+Tab indenting or dedenting the line
   or every line of a selection (never replacing it), undo, line numbers, long lines wrapped
   rather than scrolled sideways on a phone, and its accessibility (a named textbox). Reset is a
   transaction like any edit, so Ctrl+Z undoes it.
   Leaving with the keyboard (WCAG 2.1.2, issue 83): Tab indents, so Escape makes Tab and
   Shift+Tab move the focus, as CodeMirror's guidance has it, but with no time limit and through
   any key that only moves or reads (arrows, Home, a screen reader's reading keys): until the
   learner changes the code or the editor loses the focus. Ctrl+M (Shift+Alt+M on a Mac) switches
   Tab's meaning and keeps it. CodeMirror's own Escape gives 2 s and ends at the next key. */
import {
  EditorState, EditorView, StateEffect, StateField, Decoration, keymap, lineNumbers, drawSelection,
  highlightActiveLine, highlightSpecialChars, history, defaultKeymap, historyKeymap, indentWithTab,
  LanguageSupport, indentUnit, syntaxHighlighting, bracketMatching, indentOnInput, pythonLanguage,
  classHighlighter, undo,
} from "./codemirror/codemirror.js";

/* the line an error names: marked until the code changes */
const markError = StateEffect.define();
const errorLine = StateField.define({
  create: () => Decoration.none,
  update(marks, tr) {
    let out = tr.docChanged ? Decoration.none : marks;
    for (const e of tr.effects) {
      if (!e.is(markError)) continue;
      const n = e.value;
      if (n == null || n < 1 || n > tr.state.doc.lines) out = Decoration.none;
      else {
        const line = tr.state.doc.line(n);
        out = Decoration.set([Decoration.line({ class: "ts-run__errline" }).range(line.from)]);
      }
    }
    return out;
  },
  provide: (f) => EditorView.decorations.from(f),
});

/* a wrapped line goes on under its own indentation and one step more (a hanging indent), never
   at column 0, where it would read as a dedent (issue 83): each line's padding is its indentation
   plus four columns, and its first row is pulled back by as much (the code is short: every line
   is measured again after an edit) */
const columns = (text) => {
  let n = 0;
  for (const ch of text) {
    if (ch === " ") n += 1;
    else if (ch === "\t") n += 4 - (n % 4);
    else break;
  }
  return n;
};
const hangAll = (doc) => {
  const marks = [];
  for (let i = 1; i <= doc.lines; i++) {
    const line = doc.line(i);
    const n = columns(line.text) + 4;
    marks.push(Decoration.line({ attributes: { style: `padding-left: calc(${n}ch + 6px); text-indent: -${n}ch` } }).range(line.from));
  }
  return Decoration.set(marks);
};
const hanging = StateField.define({
  create: (state) => hangAll(state.doc),
  update: (marks, tr) => (tr.docChanged ? hangAll(tr.state.doc) : marks),
  provide: (f) => EditorView.decorations.from(f),
});

/* {parent, doc, label, describedBy, onRun, onChange, onIntent, onTabMode}: an editor in
   `parent`. label: the accessible name (the exercise's title); onChange(text) after each edit;
   onIntent() at the first focus or key (Python starts downloading then); onTabMode(moves) when
   Tab's meaning changes (true: Tab moves the focus). */
export function createEditor(opts) {
  const { parent, doc, label, describedBy, onRun, onChange, onIntent, onTabMode } = opts;
  let intent = false;
  const intended = () => { if (!intent) { intent = true; if (onIntent) onIntent(); } };
  /* Tab's meaning: "indent"; "escaped" (Escape: moves the focus until an edit or a blur);
     "held" (Ctrl+M: moves the focus until Ctrl+M again) */
  let tab = "indent";
  const setTab = (view, mode) => {
    if (mode === tab) return;
    tab = mode;
    view.setTabFocusMode(mode !== "indent");
    if (onTabMode) onTabMode(mode !== "indent");
  };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightSpecialChars(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        new LanguageSupport(pythonLanguage),
        syntaxHighlighting(classHighlighter),
        indentUnit.of("    "),
        EditorState.tabSize.of(4),
        EditorView.lineWrapping,
        errorLine,
        hanging,
        keymap.of([
          { key: "Mod-Enter", run: () => { onRun(); return true; } },
          { key: "Escape", run: (v) => { if (tab === "indent") setTab(v, "escaped"); return true; } },
          { key: "Ctrl-m", mac: "Shift-Alt-m", run: (v) => { setTab(v, tab === "indent" ? "held" : "indent"); return true; } },
          indentWithTab,
          /* Escape only ever readies the Tab that leaves (the keys' help says so), never first
             folds a selection, as CodeMirror's default binding does; Ctrl+M is bound above */
          ...defaultKeymap.filter((b) => b.key !== "Escape" && b.key !== "Ctrl-m"),
          ...historyKeymap,
        ]),
        EditorView.contentAttributes.of({
          "aria-label": label,
          ...(describedBy ? { "aria-describedby": describedBy } : {}),
          spellcheck: "false", autocorrect: "off", autocapitalize: "off", translate: "no",
        }),
        EditorView.updateListener.of((u) => {
          if (!u.docChanged) return;
          if (tab === "escaped") setTab(u.view, "indent");
          if (onChange) onChange(u.state.doc.toString());
        }),
        EditorView.domEventHandlers({
          focus: intended, keydown: intended, pointerdown: intended,
          blur: (e, v) => { if (tab === "escaped") setTab(v, "indent"); },
        }),
      ],
    }),
  });
  return {
    view,
    get value() { return view.state.doc.toString(); },
    /* the whole text replaced as one undoable step (Reset; Ctrl+Z brings the code back) */
    replace(text) {
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: text },
        selection: { anchor: 0 },
        userEvent: "input.reset",
        scrollIntoView: true,
      });
    },
    undo() { return undo(view); },
    /* mark line n (1-based) of the code as where an error was raised; null clears it */
    markLine(n) { view.dispatch({ effects: markError.of(n) }); },
    focus() { view.focus(); },
    /* the caret to the start of line n (1-based), in view, the editor focused: the way to the
       line an error names for a keyboard or screen reader user (issue 83) */
    goToLine(n) {
      if (n < 1 || n > view.state.doc.lines) return;
      const line = view.state.doc.line(n);
      view.dispatch({ selection: { anchor: line.from + (line.text.length - line.text.trimStart().length) }, scrollIntoView: true });
      view.focus();
    },
  };
}

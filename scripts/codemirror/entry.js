/* What the runnable widget's editor (core/widgets/runnable/runnable-editor.js) takes from
   CodeMirror 6: build.mjs bundles these into one ES module, and nothing else of CodeMirror. */
export { EditorState, Compartment, StateEffect, StateField, Transaction } from "@codemirror/state";
export {
  EditorView, keymap, lineNumbers, drawSelection, highlightActiveLine, highlightActiveLineGutter,
  highlightSpecialChars, Decoration,
} from "@codemirror/view";
export {
  history, defaultKeymap, historyKeymap, indentWithTab, indentMore, indentLess, undo, redo,
  insertNewlineAndIndent,
} from "@codemirror/commands";
export { LanguageSupport, indentUnit, syntaxHighlighting, bracketMatching, indentOnInput } from "@codemirror/language";
export { pythonLanguage } from "@codemirror/lang-python";
export { classHighlighter } from "@lezer/highlight";

// What scripts/check-size.mjs measures, kept apart so ui/tests can check the measuring itself:
// a check that silently finds nothing would pass forever.
import ts from "typescript";

export const MAX_FILE_LINES = 500;
export const MAX_FUNCTION_LINES = 60;

/** Lines as `wc -l` counts them for a file ending in a newline, and one more for a last line without. */
export function countLines(text) {
  if (text.length === 0) return 0;
  const lines = text.split("\n").length;
  return text.endsWith("\n") ? lines - 1 : lines;
}

/** Lines of a Rust file up to its top-level `#[cfg(test)]`: unit tests there do not count. */
export function rustCountedLines(text) {
  const lines = text.split("\n");
  const tests = lines.findIndex((line) => /^#\[cfg\(\s*test\s*\)\]/.test(line));
  return tests === -1 ? countLines(text) : tests;
}

/** A readable name for a function node; anonymous ones are named after what holds them. */
function functionName(node, sourceFile) {
  if (node.name) return node.name.getText(sourceFile);
  if (ts.isConstructorDeclaration(node)) return "constructor";
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.initializer === node) {
    return parent.name.getText(sourceFile);
  }
  if (ts.isBinaryExpression(parent) && parent.right === node) return parent.left.getText(sourceFile);
  if (ts.isCallExpression(parent) && parent.arguments.includes(node)) {
    return `<callback of ${parent.expression.getText(sourceFile)}>`;
  }
  return ts.isArrowFunction(node) ? "<arrow>" : "<anonymous>";
}

function isFunction(node) {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/**
 * Every function with a body in a TypeScript source: name, first line (1-based) and how many
 * lines it spans from its first to its last, nested functions included in their parent's span.
 */
export function tsFunctions(text, fileName = "input.ts") {
  const sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found = [];
  const visit = (node) => {
    if (isFunction(node) && node.body) {
      // getStart skips leading comments (a JSDoc is not part of the function's length).
      const first = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line;
      const last = sourceFile.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ name: functionName(node, sourceFile), line: first + 1, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** Offenders of one TypeScript file: `{ path, line, name, lines, kind }`, kind "file" or "function". */
export function tsOffenders(path, text, { maxFile = MAX_FILE_LINES, maxFunction = MAX_FUNCTION_LINES } = {}) {
  const offenders = [];
  const lines = countLines(text);
  if (lines > maxFile) offenders.push({ path, line: 1, name: "<file>", lines, kind: "file" });
  const functions = tsFunctions(text, path);
  for (const f of functions) {
    if (f.lines > maxFunction) offenders.push({ path, ...f, kind: "function" });
  }
  return { offenders, functions: functions.length };
}

/** Offenders of one Rust file: only its length, without the unit tests at its end. */
export function rustOffenders(path, text, { maxFile = MAX_FILE_LINES } = {}) {
  const lines = rustCountedLines(text);
  return lines > maxFile ? [{ path, line: 1, name: "<file>", lines, kind: "file" }] : [];
}

export function formatOffender({ path, line, name, lines }) {
  return `${path}:${line} ${name} ${lines} lines`;
}

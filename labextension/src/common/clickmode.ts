// The Click configuration language for CodeMirror 6 (a stream parser).
import type { StreamParser, StringStream } from '@codemirror/language';

export const CLICK_MIME = 'text/x-click';

interface ClickState {
  /** nesting depth of parentheses: inside a configuration string when > 0 */
  depth: number;
  /** inside a block comment */
  comment: boolean;
}

const KEYWORDS = new Set(['elementclass', 'require', 'define', 'input', 'output']);

function blockComment(stream: StringStream, state: ClickState): string {
  while (!stream.eol()) {
    if (stream.match('*/')) {
      state.comment = false;
      return 'comment';
    }
    stream.next();
  }
  return 'comment';
}

function quoted(stream: StringStream, quote: string): string {
  let escaped = false;
  let ch: string | void;
  while ((ch = stream.next()) != null) {
    if (ch === quote && !escaped) break;
    escaped = !escaped && ch === '\\' && quote === '"';
  }
  return 'string';
}

export const clickMode: StreamParser<ClickState> = {
  name: 'click',
  startState: () => ({ depth: 0, comment: false }),
  copyState: s => ({ ...s }),
  token(stream, state) {
    if (state.comment) return blockComment(stream, state);
    if (stream.sol() && stream.match(/^%%?\w+/)) {
      stream.skipToEnd();
      return 'meta';
    }
    if (stream.eatSpace()) return null;
    if (stream.match('//')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match('/*')) {
      state.comment = true;
      return blockComment(stream, state);
    }
    const ch = stream.peek()!;
    if (ch === '"' || ch === "'") {
      stream.next();
      return quoted(stream, ch);
    }
    if (stream.match(/^\\<[0-9a-fA-F\s]*>/)) return 'string';
    if (stream.match(/^\$[A-Za-z_][A-Za-z0-9_]*/) || stream.match(/^\$\{[^}]*\}/)) return 'variableName.special';
    if (ch === '(') {
      stream.next();
      state.depth++;
      return 'bracket';
    }
    if (ch === ')') {
      stream.next();
      state.depth = Math.max(0, state.depth - 1);
      return 'bracket';
    }
    if (state.depth > 0) {
      // Inside a configuration string: KEYWORDS, numbers, the rest as text.
      if (stream.match(/^[A-Z][A-Z0-9_]*(?=\s)/)) return 'propertyName';
      if (stream.match(/^-?(0x[0-9a-fA-F]+|\d+(\.\d+)?)([a-zA-Z/]*)?\b/)) return 'number';
      if (stream.match(/^(true|false)\b/)) return 'bool';
      if (stream.match(/^[^\s,()"'$/\\]+/)) return null;
      stream.next();
      return null;
    }
    if (stream.match('->') || stream.match('=>') || stream.match('::') || stream.match('~>')) return 'operator';
    if (ch === '[') {
      stream.match(/^\[[\s\d,]*\]/) || stream.next();
      return 'number';
    }
    if (ch === '{' || ch === '}' || ch === ';' || ch === ',' || ch === '|') {
      stream.next();
      return 'punctuation';
    }
    const word = stream.match(/^[A-Za-z_@][A-Za-z0-9_@/]*/) as RegExpMatchArray | null;
    if (word) {
      const w = word[0];
      if (KEYWORDS.has(w)) return 'keyword';
      if (/^[A-Z]/.test(w)) return 'variableName.standard'; // a class, styled as a builtin
      return stream.match(/^\s*::/, false) ? 'variableName.definition' : 'variableName';
    }
    stream.next();
    return null;
  },
  languageData: {
    commentTokens: { line: '//', block: { open: '/*', close: '*/' } }
  }
};

import { type FenceInfo, parseFenceInfo } from './info-string.js';

/** One code example, as written in a README or a TSDoc comment. */
export interface CodeExample {
  /** The file it is written in (as given to the extractor; repository-relative in reports). */
  file: string;
  /** 1-based line, in `file`, of the example's first line of code. */
  line: number;
  /** The code, with the comment's `* ` prefixes and the fence's indentation removed. */
  code: string;
  info: FenceInfo;
}

/** Something wrong with how an example is written (not with what it does). */
export interface Problem {
  file: string;
  line: number;
  message: string;
}

export interface Extracted {
  examples: CodeExample[];
  problems: Problem[];
}

const OPENING_FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/;

interface Line {
  /** 1-based line in the file. */
  line: number;
  text: string;
}

/** Fenced blocks in markdown lines: `[info, first line, code lines]`. */
function fencedBlocks(lines: readonly Line[]): { info: string; at: Line; body: Line[] }[] {
  const blocks: { info: string; at: Line; body: Line[] }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const opening = OPENING_FENCE.exec(lines[i]!.text);
    if (opening === null) continue;
    const [, indent = '', fence = '', info = ''] = opening;
    if (fence[0] === '`' && info.includes('`')) continue;
    const closing = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    const body: Line[] = [];
    let j = i + 1;
    for (; j < lines.length && !closing.test(lines[j]!.text); j++) {
      const { line, text } = lines[j]!;
      const removable = Math.min(indent.length, /^\s*/.exec(text)![0].length);
      body.push({ line, text: text.slice(removable) });
    }
    blocks.push({ info, at: lines[i]!, body });
    i = j;
  }
  return blocks;
}

function toExamples(file: string, lines: readonly Line[], out: Extracted): number {
  let count = 0;
  for (const block of fencedBlocks(lines)) {
    const info = parseFenceInfo(block.info);
    if (info === undefined) continue;
    if (typeof info === 'string') {
      out.problems.push({ file, line: block.at.line, message: info });
      continue;
    }
    count += 1;
    const first = block.body[0]?.line ?? block.at.line + 1;
    out.examples.push({ file, line: first, code: block.body.map((l) => l.text).join('\n'), info });
  }
  return count;
}

/** Every fenced `ts`/`js` block of a markdown file. */
export function extractFromMarkdown(file: string, text: string): Extracted {
  const out: Extracted = { examples: [], problems: [] };
  const lines = text.split('\n').map((t, i) => ({ line: i + 1, text: t }));
  toExamples(file, lines, out);
  return out;
}

const DOC_COMMENT = /\/\*\*(?!\/)[\s\S]*?\*\//g;

/** The lines of a doc comment without `/**`, ` * ` and `*\/`, with their file lines. */
function commentLines(comment: string, firstLine: number): Line[] {
  return comment
    .replace(/^\/\*\*/, '')
    .replace(/\*\/$/, '')
    .split('\n')
    .map((text, i) => ({ line: firstLine + i, text: text.replace(/^\s*\* ?/, '') }));
}

/**
 * Every fenced `ts`/`js` block in the doc comments of a TypeScript file. An
 * `@example` tag must hold at least one such block (TSDoc renders a bare
 * `@example` as code, but nothing could check it).
 */
export function extractFromSource(file: string, text: string): Extracted {
  const out: Extracted = { examples: [], problems: [] };
  for (const match of text.matchAll(DOC_COMMENT)) {
    const firstLine = text.slice(0, match.index).split('\n').length;
    const lines = commentLines(match[0], firstLine);
    // Split into sections at block tags outside fences: an @example section must hold a block.
    let inFence = false;
    let section: { tag: string; lines: Line[] } = { tag: '', lines: [] };
    const sections = [section];
    for (const line of lines) {
      if (OPENING_FENCE.test(line.text)) inFence = !inFence;
      const tag = inFence ? null : /^@(\w+)/.exec(line.text.trim());
      if (tag) {
        section = { tag: tag[1]!, lines: [] };
        sections.push(section);
      }
      section.lines.push(line);
    }
    for (const { tag, lines: sectionLines } of sections) {
      const found = toExamples(file, sectionLines, out);
      if (tag === 'example' && found === 0) {
        out.problems.push({
          file,
          line: sectionLines[0]!.line,
          message: '`@example` holds no fenced ```ts block, so nothing checks it',
        });
      }
    }
  }
  return out;
}

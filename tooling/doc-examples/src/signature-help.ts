import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import type { Problem } from './extract.js';

export interface SignatureHelpOptions {
  /** A folder from which the entries resolve (its `node_modules`), and where the probe lives. */
  dir: string;
  /** The repository's `tsconfig.base.json`. */
  baseConfig: string;
  /** Export conditions: `['@vae/source']` for sources, `[]` for installed packages. */
  conditions: readonly string[];
}

export interface SignatureHelpReport {
  /** Functions and classes whose signature help was checked. */
  checked: number;
  problems: Problem[];
}

const PROBE = '__signature_help_probe.ts';

/** Compiler options: the repository's strict ones, resolving `@vae/*` with `conditions`. */
function compilerOptions(options: SignatureHelpOptions): ts.CompilerOptions {
  const base = JSON.parse(readFileSync(options.baseConfig, 'utf8')).compilerOptions;
  const converted = ts.convertCompilerOptionsFromJson(
    { ...base, customConditions: options.conditions, types: ['node'], noEmit: true },
    options.dir,
  );
  return converted.options;
}

function languageService(options: SignatureHelpOptions, probe: { text: string }) {
  const probePath = join(options.dir, PROBE);
  const settings = compilerOptions(options);
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => settings,
    getScriptFileNames: () => [probePath],
    getScriptVersion: () => probe.text,
    getScriptSnapshot: (path) => {
      if (path === probePath) return ts.ScriptSnapshot.fromString(probe.text);
      const text = ts.sys.readFile(path);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => options.dir,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (path) => path === probePath || ts.sys.fileExists(path),
    readFile: (path) => (path === probePath ? probe.text : ts.sys.readFile(path)),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    realpath: ts.sys.realpath!,
  };
  return { service: ts.createLanguageService(host), probePath };
}

interface Callable {
  entry: string;
  name: string;
  isClass: boolean;
  /** Where it is declared (a source file, or a `.d.ts` of an installed package). */
  file: string;
  line: number;
}

/** The exported functions and classes of each entry (`@vae/viz`, `@vae/viz/node`, ...). */
function callables(service: ts.LanguageService, probePath: string, entries: readonly string[]) {
  const program = service.getProgram()!;
  const checker = program.getTypeChecker();
  const probe = program.getSourceFile(probePath)!;
  const found: Callable[] = [];
  const seen = new Set<ts.Symbol>();
  probe.statements.forEach((statement, i) => {
    if (!ts.isImportDeclaration(statement)) return;
    const module = checker.getSymbolAtLocation(statement.moduleSpecifier);
    if (module === undefined) throw new Error(`cannot resolve ${entries[i]} from the probe`);
    for (const symbol of checker.getExportsOfModule(module)) {
      const target =
        symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      // A name re-exported by several entries (VaeError) is checked once, where it is declared.
      if (!(target.flags & ts.SymbolFlags.Value) || seen.has(target)) continue;
      seen.add(target);
      const type = checker.getTypeOfSymbol(target);
      const isClass = (target.flags & ts.SymbolFlags.Class) !== 0;
      const signatures = isClass ? type.getConstructSignatures() : type.getCallSignatures();
      // A class without parameters to its constructor has nothing to document there.
      if (signatures.length === 0) continue;
      if (isClass && signatures.every((s) => s.parameters.length === 0)) continue;
      const declaration = target.valueDeclaration ?? target.declarations![0]!;
      const source = declaration.getSourceFile();
      const { line } = source.getLineAndCharacterOfPosition(declaration.getStart());
      found.push({
        entry: entries[i]!,
        name: symbol.name,
        isClass,
        file: source.fileName,
        line: line + 1,
      });
    }
  });
  return found;
}

const text = (parts: readonly ts.SymbolDisplayPart[]) => ts.displayPartsToString([...parts]).trim();

/**
 * What a user sees in signature help (the parameter hints their editor shows
 * while typing a call), for every exported function and class constructor of
 * `entries`: the summary and each parameter's documentation must be there.
 * This catches functions whose docs sit on a `const` of another function's
 * type (hover shows them, signature help does not).
 */
export function checkSignatureHelp(
  entries: readonly string[],
  options: SignatureHelpOptions,
): SignatureHelpReport {
  const probe = { text: entries.map((e, i) => `import * as m${i} from '${e}';\n`).join('') };
  const { service, probePath } = languageService(options, probe);
  const found = callables(service, probePath, entries);
  const imports = probe.text;
  const calls = found.map((c) => {
    const module = `m${entries.indexOf(c.entry)}`;
    return `${c.isClass ? 'new ' : ''}${module}.${c.name}();\n`;
  });
  probe.text = imports + calls.join('');
  const problems: Problem[] = [];
  let offset = imports.length;
  for (const [i, callable] of found.entries()) {
    const position = offset + calls[i]!.indexOf('(') + 1;
    offset += calls[i]!.length;
    const where = `${callable.entry}: ${callable.isClass ? 'new ' : ''}${callable.name}(...)`;
    const report = (message: string) =>
      problems.push({ file: callable.file, line: callable.line, message: `${where}: ${message}` });
    const help = service.getSignatureHelpItems(probePath, position, undefined);
    if (help === undefined) {
      report('no signature help at all');
      continue;
    }
    for (const item of help.items) {
      const signature = `${text(item.prefixDisplayParts)}${item.parameters.map((p) => text(p.displayParts)).join(', ')}${text(item.suffixDisplayParts)}`;
      if (text(item.documentation) === '')
        report(`signature help shows no summary for ${signature}`);
      for (const parameter of item.parameters) {
        if (text(parameter.documentation) === '') {
          report(`signature help shows no documentation for parameter \`${parameter.name}\``);
        }
      }
    }
  }
  return { checked: found.length, problems };
}

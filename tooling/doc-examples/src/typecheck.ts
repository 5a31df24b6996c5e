import { join } from 'node:path';
import ts from 'typescript';
import type { Problem } from './extract.js';
import type { GeneratedExample } from './generate.js';

/** Maps a position in a written example back to the file and line it was written in. */
function toProblem(generated: GeneratedExample, line: number, message: string): Problem {
  return { file: generated.example.file, line: generated.example.line + line, message };
}

/**
 * Type-checks every example written by `writeExamples` into `outDir` as one
 * TypeScript program (one program for all examples: the libraries' types are
 * loaded once), and emits JavaScript when its `tsconfig.json` asks for it.
 * Problems point at the example's own file and line.
 */
export function typecheckExamples(
  outDir: string,
  generated: readonly GeneratedExample[],
): { problems: Problem[]; failed: Set<GeneratedExample> } {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(outDir, 'tsconfig.json'), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (parsed === undefined) throw new Error(`cannot read ${join(outDir, 'tsconfig.json')}`);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const byPath = new Map(generated.map((g) => [ts.sys.resolvePath(g.path), g]));
  const problems: Problem[] = [];
  const failed = new Set<GeneratedExample>();
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const diagnostic of global) {
    problems.push({
      file: join(outDir, 'tsconfig.json'),
      line: 1,
      message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
    });
  }
  for (const sourceFile of program.getSourceFiles()) {
    const owner = byPath.get(ts.sys.resolvePath(sourceFile.fileName));
    if (owner === undefined) continue;
    const diagnostics = [
      ...program.getSyntacticDiagnostics(sourceFile),
      ...program.getSemanticDiagnostics(sourceFile),
    ];
    if (diagnostics.length > 0) failed.add(owner);
    for (const diagnostic of diagnostics) {
      const { line } = sourceFile.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n    ');
      problems.push(toProblem(owner, line, `type error TS${diagnostic.code}: ${text}`));
    }
  }
  // JavaScript is emitted even for examples with type errors; those are reported, not run.
  if (!parsed.options.noEmit) {
    const emitted = program.emit();
    for (const diagnostic of emitted.diagnostics) {
      problems.push({
        file: diagnostic.file?.fileName ?? outDir,
        line: 1,
        message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
      });
    }
  }
  return { problems, failed };
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { indentationAt, insertText, lineEnding, replaceText } from './edits';
import type { FileCreation, TextEdit } from './findings';
import { posixRelative } from './paths';

// Every quick fix that needs a pattern goes through here: the pattern is copied into the
// user's project once (an existing copy is reused and never overwritten, even when the
// user edited it), and the file being fixed gets an import for the names the fix uses.

export const PATTERN_NAMES = [
  'with-timeout',
  'retry',
  'circuit-breaker',
  'lru-cache',
  'batch-loader',
  'token-bucket',
  'bulkhead',
  'single-flight',
  'dead-letter-queue',
] as const;

export type PatternName = (typeof PATTERN_NAMES)[number];

/** Where patterns go, relative to the project root, unless configured otherwise. */
export const DEFAULT_PATTERNS_DIR = 'src/resilience';

const MARKER = /^\uFEFF?\/\/ resilint-pattern: ([a-z][a-z-]*) v(\d+)[ \t]*\r?$/;

/** Recognises an inserted copy of a pattern by the marker on its first line. */
export function readPatternMarker(text: string): { name: PatternName; version: number } | undefined {
  const match = MARKER.exec(text.split('\n', 1)[0] ?? '');
  const name = match?.[1];
  if (!match || !isPatternName(name)) return undefined;
  return { name, version: Number(match[2]) };
}

export function isPatternName(name: string | undefined): name is PatternName {
  return (PATTERN_NAMES as readonly (string | undefined)[]).includes(name);
}

interface LoadedPattern {
  text: string;
  /** Exported name → whether it is only a type (interface or type alias). */
  exports: ReadonlyMap<string, boolean>;
}

const loaded = new Map<PatternName, LoadedPattern>();

/**
 * The pattern's source text. The folder is found by walking up from this module: the
 * bundle runs from dist/ (the build copies patterns to dist/patterns), tests run from
 * out/server/src/engine, and both sit below the repository's own patterns/.
 */
export function patternSource(name: PatternName): string {
  return loadPattern(name).text;
}

function loadPattern(name: PatternName): LoadedPattern {
  const cached = loaded.get(name);
  if (cached) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'patterns', `${name}.ts`);
    if (fs.existsSync(candidate)) {
      const text = fs.readFileSync(candidate, 'utf8');
      const pattern = { text, exports: exportedNames(text) };
      loaded.set(name, pattern);
      return pattern;
    }
    if (path.dirname(dir) === dir) throw new Error(`Resilint: pattern '${name}' not found in a patterns/ folder above ${__dirname}`);
  }
}

function exportedNames(text: string): Map<string, boolean> {
  const sourceFile = ts.createSourceFile('pattern.ts', text, ts.ScriptTarget.Latest, false);
  const names = new Map<string, boolean>();
  for (const statement of sourceFile.statements) {
    const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) names.set(declaration.name.text, false);
      }
    } else if ((ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement))) {
      names.set(statement.name.text, true);
    } else if ((ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) {
      names.set(statement.name.text, false);
    }
  }
  return names;
}

export interface PatternImportRequest {
  pattern: PatternName;
  /** Names the fixed code uses, e.g. ['withTimeout']; types get an inline `type` modifier. */
  symbols: string[];
  /** Absolute path of the file that will use them. */
  targetFile: string;
  /** Its current text. */
  targetText: string;
  /** Absolute. */
  projectRoot: string;
  /** Relative to projectRoot. Default DEFAULT_PATTERNS_DIR. */
  patternsDir?: string;
  /** True: the import specifier ends in '.js', as Node ESM resolution requires. */
  esm: boolean;
  /** Default fs.existsSync. */
  fileExists?: (absPath: string) => boolean;
}

export interface PatternImportPlan {
  /** The pattern file, unless the project already has one at that path. */
  createFiles: FileCreation[];
  /** Edits to the target file: one new or extended import, or none. */
  edits: TextEdit[];
  /** Absolute path of the pattern in the user's project. */
  patternFile: string;
  /** The specifier the target file imports it by. */
  specifier: string;
}

export function planPatternImport(request: PatternImportRequest): PatternImportPlan {
  const pattern = loadPattern(request.pattern);
  for (const symbol of request.symbols) {
    if (!pattern.exports.has(symbol)) throw new Error(`Resilint: pattern '${request.pattern}' does not export '${symbol}'`);
  }
  const patternFile = path.resolve(request.projectRoot, request.patternsDir ?? DEFAULT_PATTERNS_DIR, `${request.pattern}.ts`);
  const fileExists = request.fileExists ?? fs.existsSync;
  const createFiles = fileExists(patternFile) ? [] : [{ filePath: patternFile, text: pattern.text }];
  const specifier = relativeSpecifier(request.targetFile, patternFile, request.esm);
  const sourceFile = ts.createSourceFile(request.targetFile, request.targetText, ts.ScriptTarget.Latest, true);
  const edits = importEdits(sourceFile, specifier, [...new Set(request.symbols)], pattern.exports);
  return { createFiles, edits, patternFile, specifier };
}

function relativeSpecifier(fromFile: string, toFile: string, esm: boolean): string {
  const relative = posixRelative(path.dirname(fromFile), toFile);
  const withoutExtension = relative.replace(/\.ts$/, '');
  const specifier = esm ? `${withoutExtension}.js` : withoutExtension;
  return specifier.startsWith('../') ? specifier : `./${specifier}`;
}

/** './x', './x.js' and './x.ts' all name the same module. */
function sameModule(a: string, b: string): boolean {
  const strip = (specifier: string) => specifier.replace(/\.(js|ts)$/, '');
  return strip(a) === strip(b);
}

function importEdits(
  sourceFile: ts.SourceFile,
  specifier: string,
  symbols: string[],
  typeOnly: ReadonlyMap<string, boolean>,
): TextEdit[] {
  const fromPattern = sourceFile.statements.filter(
    (s): s is ts.ImportDeclaration => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && sameModule(s.moduleSpecifier.text, specifier),
  );
  const bound = new Set<string>();
  let mergeInto: ts.NamedImports | undefined;
  for (const declaration of fromPattern) {
    const clause = declaration.importClause;
    const named = clause?.namedBindings;
    if (!clause || clause.isTypeOnly || !named || !ts.isNamedImports(named)) continue;
    mergeInto ??= named;
    for (const element of named.elements) {
      // `import { retry as r }` does not bind `retry`, which is the name the fix uses.
      if ((element.propertyName ?? element.name).text === element.name.text) bound.add(element.name.text);
    }
  }
  const missing = symbols.filter((symbol) => !bound.has(symbol)).map((symbol) => (typeOnly.get(symbol) ? `type ${symbol}` : symbol));
  if (missing.length === 0) return [];
  return [mergeInto ? extendNamedImports(sourceFile, mergeInto, missing) : newImport(sourceFile, specifier, missing)];
}

/** Adds names to `{ ... }`, keeping a one-line list on one line and a multi-line list one name per line. */
function extendNamedImports(sourceFile: ts.SourceFile, named: ts.NamedImports, names: string[]): TextEdit {
  const elements = named.elements;
  const last = elements[elements.length - 1];
  if (!last) return replaceText(sourceFile, named.getStart(sourceFile), named.getEnd(), `{ ${names.join(', ')} }`);
  const anchor = elements.hasTrailingComma ? sourceFile.text.indexOf(',', last.getEnd()) + 1 : last.getEnd();
  const multiline = lineOf(sourceFile, named.getStart(sourceFile)) !== lineOf(sourceFile, named.getEnd());
  if (multiline) {
    const newLine = lineEnding(sourceFile) + indentationAt(sourceFile, last.getStart(sourceFile));
    const added = names.map((name) => newLine + name).join(',');
    return insertText(sourceFile, anchor, elements.hasTrailingComma ? `${added},` : `,${added}`);
  }
  return insertText(sourceFile, anchor, elements.hasTrailingComma ? ` ${names.join(', ')},` : `, ${names.join(', ')}`);
}

function newImport(sourceFile: ts.SourceFile, specifier: string, names: string[]): TextEdit {
  const imports = sourceFile.statements.filter((s) => ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s));
  const eol = lineEnding(sourceFile);
  const quote = quoteStyle(sourceFile, imports);
  const lastImport = imports[imports.length - 1];
  const semicolon = lastImport && !lastImport.getText(sourceFile).endsWith(';') ? '' : ';';
  const statement = `import { ${names.join(', ')} } from ${quote}${specifier}${quote}${semicolon}`;
  if (lastImport) return insertText(sourceFile, lineEndOffset(sourceFile, lineOf(sourceFile, lastImport.getEnd())), eol + statement);

  // No imports yet: go below whatever must stay on top, and keep a blank line before the code.
  const headerEnd = headerEndOffset(sourceFile);
  const nextLine = headerEnd === undefined ? 0 : lineOf(sourceFile, headerEnd) + 1;
  const blankLineAfter = isBlankLine(sourceFile, nextLine) ? '' : eol;
  if (headerEnd === undefined) return insertText(sourceFile, 0, statement + eol + blankLineAfter);
  return insertText(sourceFile, lineEndOffset(sourceFile, lineOf(sourceFile, headerEnd)), eol + statement + blankLineAfter);
}

/**
 * The end of the leading block an import must not precede: a shebang, 'use strict'-style
 * directives, triple-slash directives, and header comments (those separated from the
 * code below by a blank line; a comment right above a declaration documents it).
 */
function headerEndOffset(sourceFile: ts.SourceFile): number | undefined {
  const text = sourceFile.text;
  let end: number | undefined;
  if (text.startsWith('#!')) end = lineEndOffset(sourceFile, 0);
  for (const statement of sourceFile.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) break;
    end = statement.getEnd();
  }
  const firstCode = sourceFile.statements.find((s) => s.getEnd() > (end ?? 0));
  const codeStart = firstCode ? firstCode.getStart(sourceFile) : text.length;
  const comments = ts.getLeadingCommentRanges(text, end ?? 0) ?? [];
  comments.forEach((comment, i) => {
    const gapEnd = comments[i + 1]?.pos ?? codeStart;
    const gap = text.slice(comment.end, gapEnd);
    const isTripleSlash = text.startsWith('///', comment.pos);
    if (isTripleSlash || !firstCode || (gap.match(/\n/g)?.length ?? 0) >= 2) end = comment.end;
  });
  return end;
}

function quoteStyle(sourceFile: ts.SourceFile, imports: ts.Statement[]): string {
  for (const statement of imports) {
    if (ts.isImportDeclaration(statement)) return statement.moduleSpecifier.getText(sourceFile).startsWith('"') ? '"' : "'";
  }
  return "'";
}

function lineOf(sourceFile: ts.SourceFile, offset: number): number {
  return sourceFile.getLineAndCharacterOfPosition(offset).line;
}

/** Offset of the end of a line, before its line break. */
function lineEndOffset(sourceFile: ts.SourceFile, line: number): number {
  const nextStart = sourceFile.getLineStarts()[line + 1];
  if (nextStart === undefined) return sourceFile.text.length;
  return sourceFile.text[nextStart - 2] === '\r' ? nextStart - 2 : nextStart - 1;
}

/** True for a line of only whitespace; a line past the end of the file counts as blank. */
function isBlankLine(sourceFile: ts.SourceFile, line: number): boolean {
  const start = sourceFile.getLineStarts()[line];
  if (start === undefined) return true;
  return sourceFile.text.slice(start, lineEndOffset(sourceFile, line)).trim() === '';
}

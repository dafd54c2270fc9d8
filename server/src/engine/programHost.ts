import { getLibFiles, libFolderInMemoryPath } from '@ts-morph/common';
import { ts } from 'ts-morph';

// What a type-checking program needs besides the files Resilint analyses: the lib.*.d.ts
// files (shipped inside the bundle, since the extension carries no node_modules) and the
// declaration files of dependencies. Both are parsed once per workspace and shared by all
// of its projects; the analysed files themselves come from the project, so rules and the
// checker see the very same ts.SourceFile objects.

const LIB_FOLDER: string = libFolderInMemoryPath;

export class DeclarationFiles {
  private libTexts: Map<string, string> | undefined;
  private readonly parsed = new Map<string, ts.SourceFile>();

  isLibFile(file: string): boolean {
    return file.startsWith(LIB_FOLDER + '/');
  }

  readLib(file: string): string | undefined {
    this.libTexts ??= new Map(getLibFiles().map((lib) => [`${LIB_FOLDER}/${lib.fileName}`, lib.text]));
    return this.libTexts.get(file);
  }

  /** `read` false: the file as an empty module (a package no type question is about). */
  get(file: string, options: ts.ScriptTarget | ts.CreateSourceFileOptions, read: ((file: string) => string | undefined) | false): ts.SourceFile | undefined {
    const languageVersion = typeof options === 'number' ? options : options.languageVersion;
    const key = `${languageVersion}${read ? '' : '-'}|${file}`;
    let sourceFile = this.parsed.get(key);
    if (!sourceFile) {
      const text = this.isLibFile(file) ? this.readLib(file) : read ? read(file) : 'export {};';
      if (text === undefined) return undefined;
      sourceFile = ts.createSourceFile(file, text, options, false);
      this.parsed.set(key, sourceFile);
    }
    return sourceFile;
  }

  /** A declaration file changed on disk (`npm install`, an edited typings.d.ts). */
  forget(file: string): void {
    for (const key of this.parsed.keys()) if (key.endsWith(`|${file}`)) this.parsed.delete(key);
  }

  /** Everything but the libs, which never change. */
  clear(): void {
    for (const key of this.parsed.keys()) if (!this.isLibFile(key.slice(key.indexOf('|') + 1))) this.parsed.delete(key);
  }
}

export interface ProgramSources {
  options: ts.CompilerOptions;
  declarations: DeclarationFiles;
  /** A file Resilint analyses, parsed by (and cached in) its project; undefined when unreadable. */
  analysable(file: string): ts.SourceFile | undefined;
  isAnalysable(file: string): boolean;
  /** Editor text when the file is open, else disk. */
  readFile(file: string): string | undefined;
  fileExists(file: string): boolean;
  /** Whether a declaration file is read as it is, or as an empty module (see Workspace.declaredByTypedPackage). */
  readsDeclarations(file: string): boolean;
}

// JSDoc is parsed as tsc parses it: not in TypeScript files, where it carries no types
// and no rule reads it (only `{@link}`/`@see` comments, which can use imports). On
// vendure that is 8% of a warm parse, and more while the parser is still cold.
const JSDOC_PARSING = ts.JSDocParsingMode.ParseForTypeErrors;

export function createProgramHost(sources: ProgramSources): ts.CompilerHost {
  const host = ts.createCompilerHost(sources.options, true);
  host.jsDocParsingMode = JSDOC_PARSING;
  const { declarations } = sources;
  host.getDefaultLibLocation = () => LIB_FOLDER;
  host.getDefaultLibFileName = (options) => `${LIB_FOLDER}/${ts.getDefaultLibFileName(options)}`;
  // The bundled libs sit under /node_modules/typescript/lib, a path no package owns: always read.
  host.getSourceFile = (file, options) =>
    sources.isAnalysable(file) ? sources.analysable(file) : declarations.get(file, options, declarations.isLibFile(file) || sources.readsDeclarations(file) ? sources.readFile : false);
  host.fileExists = (file) => (declarations.isLibFile(file) ? declarations.readLib(file) !== undefined : sources.fileExists(file));
  host.readFile = (file) => (declarations.isLibFile(file) ? declarations.readLib(file) : sources.readFile(file));
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (dir) => dir === LIB_FOLDER || (directoryExists?.(dir) ?? true);
  host.writeFile = () => undefined;
  return host;
}

/** Options for parsing a file exactly as a program would, so the program can adopt it as is. */
export function sourceFileOptions(
  file: string,
  options: ts.CompilerOptions,
  host: ts.ModuleResolutionHost,
  cache: ts.ModuleResolutionCache,
): ts.CreateSourceFileOptions {
  return {
    languageVersion: internals.getEmitScriptTarget?.(options) ?? options.target ?? ts.ScriptTarget.Latest,
    impliedNodeFormat: ts.getImpliedNodeFormatForFile(file, cache.getPackageJsonInfoCache(), host, options),
    jsDocParsingMode: JSDOC_PARSING,
    ...externalModuleIndicator(options),
  };
}

// Not in TypeScript's public declarations, yet what the program itself uses for the
// default target and for deciding whether a file is a module (moduleDetection); each
// falls back to the parser's default should a TypeScript release drop it.
const internals = ts as unknown as {
  getEmitScriptTarget?: (options: ts.CompilerOptions) => ts.ScriptTarget;
  getSetExternalModuleIndicator?: (options: ts.CompilerOptions) => (file: ts.SourceFile) => void;
};

function externalModuleIndicator(options: ts.CompilerOptions): Pick<ts.CreateSourceFileOptions, 'setExternalModuleIndicator'> {
  const indicator = internals.getSetExternalModuleIndicator?.(options);
  return indicator ? { setExternalModuleIndicator: indicator } : {};
}

import * as path from 'node:path';
import { ts } from 'ts-morph';

// Keys for memoising module resolution that are coarser than (importing directory,
// specifier) but still determine TypeScript's answer, so that the hundreds of folders
// importing '../../shared/logger' or '@nestjs/common' share one resolution:
// - a relative specifier: the resolver reads only the path it names (rootDirs match on that
//   path too);
// - a bare specifier: it reads the package scope (self-references, `#imports`) and the
//   node_modules folders above the importer, so folders with the same nearest package.json
//   and the same nearest node_modules resolve it alike.
// Where any other input could matter (classic resolution, a specifier TypeScript would
// rewrite, output folders guessed from the importer), the key stays per directory.

/** What an exists check answers; the caller's probe cache, shared with TypeScript's resolver. */
export interface PathProbe {
  fileExists(file: string): boolean;
  directoryExists(dir: string): boolean;
}

interface Scope {
  packageJsonFolder: string;
  nodeModulesOwner: string;
}

const RELATIVE = /^\.\.?(?:\/|$)/;
const ENDS_IN_DOTS = /(?:^|\/)\.\.?$/;
const NODE_MODULES_SEGMENT = /(?:^|[\\/])node_modules(?:[\\/]|$)/;
const CLASSIC_BY_DEFAULT = new Set([ts.ModuleKind.None, ts.ModuleKind.AMD, ts.ModuleKind.UMD, ts.ModuleKind.System]);

export class ResolutionKeys {
  private readonly scopes = new Map<string, Scope>();
  private readonly bareByScope: boolean;

  constructor(
    options: ts.CompilerOptions,
    private readonly probe: PathProbe,
  ) {
    const classic = options.moduleResolution === ts.ModuleResolutionKind.Classic || (options.moduleResolution === undefined && options.module !== undefined && CLASSIC_BY_DEFAULT.has(options.module));
    // With an output folder and neither rootDir nor a tsconfig, TypeScript guesses the
    // source root of a package's exports from the importing folder.
    const guessesFromImporter = (options.outDir !== undefined || options.declarationDir !== undefined) && options.rootDir === undefined && options.configFilePath === undefined;
    this.bareByScope = !classic && !guessesFromImporter;
  }

  key(dir: string, specifier: string): string {
    // TypeScript turns backslashes into slashes, and checks the unnormalised path for node_modules.
    if (!specifier.includes('\\') && !NODE_MODULES_SEGMENT.test(specifier)) {
      if (RELATIVE.test(specifier)) {
        // A specifier ending in '.' or '..' names only a folder ('.' is ./index.ts, never
        // ../a.ts), though it joins to the same path as one that may name a file.
        if (!NODE_MODULES_SEGMENT.test(dir)) return `path\0${path.join(dir, specifier)}${ENDS_IN_DOTS.test(specifier) ? '\0dots' : ''}`;
      } else if (this.bareByScope && !path.isAbsolute(specifier) && !/^[A-Za-z]:/.test(specifier)) {
        const scope = this.scopeOf(dir);
        return `bare\0${scope.packageJsonFolder}\0${scope.nodeModulesOwner}\0${specifier}`;
      }
    }
    return `dir\0${dir}\0${specifier}`;
  }

  /** Files or folders appeared or vanished: package.json and node_modules may have too. */
  clear(): void {
    this.scopes.clear();
  }

  private scopeOf(dir: string): Scope {
    let scope = this.scopes.get(dir);
    if (!scope) {
      const parent = path.dirname(dir);
      const above: Scope = parent === dir ? { packageJsonFolder: '', nodeModulesOwner: '' } : this.scopeOf(parent);
      scope = {
        packageJsonFolder: this.probe.fileExists(path.join(dir, 'package.json')) ? dir : above.packageJsonFolder,
        // The resolver skips folders named node_modules when it looks for node_modules above.
        nodeModulesOwner: path.basename(dir) !== 'node_modules' && this.probe.directoryExists(path.join(dir, 'node_modules')) ? dir : above.nodeModulesOwner,
      };
      this.scopes.set(dir, scope);
    }
    return scope;
  }
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { minimatch } from 'minimatch';
import schema from '../config/resilint.schema.json';
import type { SeveritySetting } from './findings';
import { posixRelative } from './paths';

// Configuration is JSON only (never a JS file we would have to execute), shared by the
// CLI and the language server, and found by walking up from the analysed file.

export const CONFIG_FILE_NAME = 'resilint.config.json';

export interface RuleSetting {
  severity?: SeveritySetting;
  options?: Record<string, unknown>;
}

export interface ResilintConfig {
  rules?: Record<string, SeveritySetting | RuleSetting>;
  include?: string[];
  exclude?: string[];
  patternsDir?: string;
  /** Report `resilint-disable` comments that give no `-- reason`, at this severity. */
  requireSuppressionReason?: SeveritySetting;
}

export interface LoadedConfig {
  config: ResilintConfig;
  /** The folder globs are relative to: the config file's folder, else the workspace root. */
  baseDir: string;
  /** The file the configuration came from, when there was one. */
  source?: string;
  /** Readable problems ("file: problem"); analysis continues with defaults when present. */
  problems: string[];
}

let compiled: ValidateFunction | undefined;
/** Compiled on first use: most projects have no configuration file, and every scan worker loads this module. */
function validator(): ValidateFunction {
  if (!compiled) {
    // Rules compile option patterns (n-plus-one-query's ignorePaths) per file: a broken one is a configuration error, not a rule failure in every file.
    const ajv = new Ajv({ allErrors: true, strict: false }).addFormat('regex', { type: 'string', validate: isRegExp });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** Parses and validates configuration text; on any problem the defaults are used. */
export function parseConfig(text: string, source: string, packageJsonKey = false): { config: ResilintConfig; problems: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { config: {}, problems: [`${source}: invalid JSON (${(error as Error).message}); using defaults`] };
  }
  if (packageJsonKey) parsed = (parsed as Record<string, unknown> | null)?.['resilint'];
  if (parsed === undefined) return { config: {}, problems: [] };
  const validate = validator();
  if (validate(parsed)) {
    const config = parsed as ResilintConfig;
    const escape = config.patternsDir !== undefined && escapesProject(config.patternsDir);
    // Quick fixes create files under patternsDir: it must never point outside the project.
    if (escape) return { config: withoutPatternsDir(config), problems: [`${source}: patternsDir '${config.patternsDir}' must be a relative path inside the project; using the default`] };
    return { config, problems: [] };
  }
  const errors = validate.errors ?? [];
  // A rule's setting is a severity or an object: for a wrong option deep inside the object,
  // the complaints that it is no severity, and matches neither form, only hide the problem.
  const shapeOnly = (e: ErrorObject) => (e.keyword === 'oneOf' || e.keyword === 'type' || e.keyword === 'enum') && errors.some((other) => other.instancePath.startsWith(`${e.instancePath}/`));
  const details = errors
    .filter((e) => !shapeOnly(e))
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` '${String(e.params['additionalProperty'])}'` : ''}`)
    .join('; ');
  return { config: {}, problems: [`${source}: ${details}; using defaults`] };
}

function withoutPatternsDir({ patternsDir: _ignored, ...rest }: ResilintConfig): ResilintConfig {
  return rest;
}

function escapesProject(dir: string): boolean {
  const normalized = path.posix.normalize(dir.replace(/\\/g, '/'));
  return path.isAbsolute(dir) || path.win32.isAbsolute(dir) || normalized === '..' || normalized.startsWith('../');
}

/** Finds and loads configuration for files, caching per folder until `clear()`. */
export class ConfigResolver {
  private readonly byDir = new Map<string, LoadedConfig>();

  constructor(
    private readonly workspaceRoot: string,
    private readonly explicitFile?: string,
  ) {}

  forFile(filePath: string): LoadedConfig {
    if (this.explicitFile) return this.cached(this.explicitFile, () => loadConfigFile(this.explicitFile!));
    return this.forDir(path.dirname(path.resolve(filePath)));
  }

  clear(): void {
    this.byDir.clear();
  }

  private forDir(dir: string): LoadedConfig {
    return this.cached(dir, () => {
      const own = findConfigIn(dir);
      if (own) return own;
      const parent = path.dirname(dir);
      const insideRoot = dir !== this.workspaceRoot && dir.startsWith(this.workspaceRoot) && parent !== dir;
      return insideRoot ? this.forDir(parent) : { config: {}, baseDir: this.workspaceRoot, problems: [] };
    });
  }

  private cached(key: string, load: () => LoadedConfig): LoadedConfig {
    let loaded = this.byDir.get(key);
    if (!loaded) this.byDir.set(key, (loaded = load()));
    return loaded;
  }
}

export function loadConfigFile(file: string): LoadedConfig {
  const source = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(source, 'utf8');
  } catch (error) {
    return { config: {}, baseDir: path.dirname(source), source, problems: [`${source}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`] };
  }
  const isPackageJson = path.basename(source) === 'package.json';
  return { ...parseConfig(text, source, isPackageJson), baseDir: path.dirname(source), source };
}

function findConfigIn(dir: string): LoadedConfig | undefined {
  const configFile = path.join(dir, CONFIG_FILE_NAME);
  if (fs.existsSync(configFile)) return loadConfigFile(configFile);
  const packageJson = path.join(dir, 'package.json');
  if (!fs.existsSync(packageJson)) return undefined;
  try {
    const manifest = JSON.parse(fs.readFileSync(packageJson, 'utf8')) as Record<string, unknown>;
    if (manifest['resilint'] === undefined) return undefined;
  } catch {
    return undefined;
  }
  return loadConfigFile(packageJson);
}

/** Whether include/exclude globs (relative to the config's folder) let a file be analysed. */
export function isFileIncluded(loaded: LoadedConfig, filePath: string): boolean {
  const { include = [], exclude = [] } = loaded.config;
  if (include.length === 0 && exclude.length === 0) return true;
  const relative = posixRelative(loaded.baseDir, filePath);
  if (include.length > 0 && !include.some((glob) => minimatch(relative, glob, { dot: true }))) return false;
  return !exclude.some((glob) => minimatch(relative, glob, { dot: true }));
}

export function ruleSettingOf(config: ResilintConfig, ruleId: string): RuleSetting {
  const setting = config.rules?.[ruleId];
  if (setting === undefined) return {};
  return typeof setting === 'string' ? { severity: setting } : setting;
}

import { ts } from 'ts-morph';
import { addPropertyEdit, insertText, replaceText } from '../../engine/edits';
import type { Fix, TextEdit } from '../../engine/findings';
import { findLocalDeclaration, importBindings } from '../../engine/imports';
import { planPatternImport } from '../../engine/patternInsertion';
import type { RuleContext } from '../../engine/rule';
import type { Creation } from './clientValues';
import { skipOuterExpressions, staticPropertyName } from './localDeclarations';
import type { Coverage, OptionKind, OptionSpec } from './timeoutOptions';

// Quick fixes for missing timeouts: the client's own option first (a signal for fetch,
// undici and node:http, `timeout` for axios and got, a gRPC `deadline`), written where
// the call's options are; else the with-timeout pattern around the awaited value.

type Missing = Extract<Coverage, { status: 'missing' }>;

export interface FixSettings {
  ms: number;
  context: RuleContext<Record<string, unknown>>;
}

function valueText(kind: OptionKind | undefined, ms: number): string {
  switch (kind) {
    case 'signal':
      return `AbortSignal.timeout(${ms})`;
    case 'gotTimeout':
      return `{ request: ${ms} }`;
    case 'deadline':
      return `Date.now() + ${ms}`;
    default:
      return String(ms);
  }
}

function optionText(option: string, spec: OptionSpec, ms: number): string {
  return `${option}: ${valueText(spec.options.get(option), ms)}`;
}

function addTitle(option: string, text: string, spec: OptionSpec, ms: number): string {
  return option === 'deadline' ? `Add deadline: ${valueText(spec.options.get(option), ms)}` : `Add timeout: ${text}`;
}

/** The fix that adds or corrects the client option where the coverage says it is missing. */
export function optionFix(missing: Missing, settings: FixSettings): Fix | undefined {
  const { site, spec } = missing;
  const { ms } = settings;
  const sourceFile = settings.context.sourceFile;
  const fix = (title: string, edit: TextEdit | undefined): Fix | undefined => (edit ? { title, isPreferred: true, edits: [edit] } : undefined);
  switch (site.kind) {
    case 'object': {
      if (site.object.getSourceFile() !== sourceFile) return undefined;
      const text = optionText(site.option, spec, ms);
      return fix(addTitle(site.option, text, spec, ms), addPropertyEdit(sourceFile, site.object, text));
    }
    case 'argument': {
      if (site.call.getSourceFile() !== sourceFile) return undefined;
      const text = optionText(site.option, spec, ms);
      const inserted = (site.prefix ?? '') + (site.value ? valueText(spec.options.get(site.option), ms) : `{ ${text} }`);
      return fix(addTitle(site.option, text, spec, ms), argumentEdit(sourceFile, site.call, site.index, inserted));
    }
    case 'value': {
      const property = site.property;
      if (property.getSourceFile() !== sourceFile) return undefined;
      if (missing.reason === 'untimedSignal') {
        const current = ts.isPropertyAssignment(property) ? property.initializer.getText(sourceFile) : property.name.text;
        const merged = `AbortSignal.any([${current}, AbortSignal.timeout(${ms})])`;
        const edit = ts.isPropertyAssignment(property)
          ? replaceText(sourceFile, property.initializer.getStart(sourceFile), property.initializer.getEnd(), merged)
          : replaceText(sourceFile, property.getStart(sourceFile), property.getEnd(), `${site.option}: ${merged}`);
        return fix(`Add timeout: ${site.option}: AbortSignal.any([…, AbortSignal.timeout(${ms})])`, edit);
      }
      const value = valueText(spec.options.get(site.option), ms);
      const edit = ts.isPropertyAssignment(property)
        ? replaceText(sourceFile, property.initializer.getStart(sourceFile), property.initializer.getEnd(), value)
        : replaceText(sourceFile, property.getStart(sourceFile), property.getEnd(), `${site.option}: ${value}`);
      return fix(`Set timeout: ${site.option}: ${value}`, edit);
    }
    case 'reference': {
      const reference = site.reference;
      if (reference.getSourceFile() !== sourceFile) return undefined;
      const text = optionText(site.option, spec, ms);
      const spread = `{ ...${reference.getText(sourceFile)}, ${text} }`;
      return fix(addTitle(site.option, text, spec, ms), replaceText(sourceFile, reference.getStart(sourceFile), reference.getEnd(), spread));
    }
    case 'chained': {
      if (site.call.getSourceFile() !== sourceFile) return undefined;
      const text = `.${site.option}(${valueText(spec.options.get(site.option), ms)})`;
      return fix(`Add timeout: ${text}`, insertText(sourceFile, site.call.getEnd(), text));
    }
    case 'none':
      return undefined;
  }
}

/** Inserts an argument at `index`: before the argument there now (a callback), else after the last one. */
function argumentEdit(sourceFile: ts.SourceFile, call: ts.CallExpression, index: number, text: string): TextEdit | undefined {
  const args = call.arguments;
  const before = args[index];
  if (before) return insertText(sourceFile, before.getStart(sourceFile), `${text}, `);
  const last = args[args.length - 1];
  if (!last) return undefined;
  // axios.post(url) → axios.post(url, undefined, { timeout }): the data argument comes first.
  const padding = 'undefined, '.repeat(index - args.length);
  return insertText(sourceFile, last.getEnd(), `, ${padding}${text}`);
}

/** Sets the timeout once on the instance (`axios.create({ ..., timeout })`) instead of on each call. */
export function instanceFix(creation: Creation, spec: OptionSpec, settings: FixSettings): Fix | undefined {
  const first = creation.options[0] && skipOuterExpressions(creation.options[0]);
  const sourceFile = settings.context.sourceFile;
  if (!first || !ts.isObjectLiteralExpression(first) || first.getSourceFile() !== sourceFile) return undefined;
  if (first.properties.some((p) => ts.isSpreadAssignment(p) || staticPropertyName(p.name) === spec.preferred)) return undefined;
  const text = optionText(spec.preferred, spec, settings.ms);
  return { title: `Add timeout to the instance: ${text}`, edits: [addPropertyEdit(sourceFile, first, text)] };
}

/**
 * Wraps a promise in the with-timeout pattern, inserting the pattern into the project
 * and importing it. Not offered when the file already has another `withTimeout`.
 */
export function withTimeoutFix(expression: ts.Expression, settings: FixSettings, preferred: boolean): Fix | undefined {
  const { context, ms } = settings;
  const sourceFile = context.sourceFile;
  const existing = importBindings(context.facts, sourceFile).get('withTimeout');
  const importsPattern = existing !== undefined && /(?:^|\/)with-timeout(?:\.js)?$/.test(existing.module);
  if ((existing && !importsPattern) || findLocalDeclaration(sourceFile, 'withTimeout')) return undefined;
  const plan = planPatternImport({
    pattern: 'with-timeout',
    symbols: ['withTimeout'],
    targetFile: sourceFile.fileName,
    targetText: sourceFile.text,
    projectRoot: context.settings.projectRoot,
    patternsDir: context.settings.patternsDir,
    esm: context.facts.usesEsmImports(),
  });
  const wrapped = replaceText(sourceFile, expression.getStart(sourceFile), expression.getEnd(), `withTimeout(${expression.getText(sourceFile)}, ${ms})`);
  return { title: `Wrap in withTimeout(…, ${ms})`, isPreferred: preferred, edits: [wrapped, ...plan.edits], createFiles: plan.createFiles };
}

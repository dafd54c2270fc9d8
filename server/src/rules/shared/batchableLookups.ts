import { ts } from 'ts-morph';
import { skipOuterExpressions } from './localDeclarations';
import { usesAny } from './iterationScopes';

// Lookups by one key that have a batched counterpart, so a quick fix can load many keys in
// one IN query: Prisma `findFirst/findUnique/findMany({ where: { field: key } })` and
// TypeORM `findOne({ where })` / `findOneBy` / `find({ where })` / `findBy`. Anything
// else (a relation filter, take/skip, a select that may drop the key column) is left
// alone: a fix that changed what is loaded would be worse than none.

export interface BatchableLookup {
  orm: 'prisma' | 'typeorm';
  call: ts.CallExpression;
  /** The model delegate or repository: `ctx.db.vendor`, `this.users`. */
  receiver: ts.Expression;
  /** True when each key loads a list of rows (findMany / find / findBy). */
  many: boolean;
  /** The column the key is compared with: 'id', 'authorId'. */
  field: string;
  /** The per-item key: `product.vendorId`. */
  key: ts.Expression;
  /** Written `{ id }`: the key is the property's own name. */
  shorthand: boolean;
  /** The batched method: 'findMany', 'find', 'findBy'. */
  batchedMethod: string;
}

const PRISMA = new Map([
  ['findFirst', false],
  ['findUnique', false],
  ['findMany', true],
]);
const TYPEORM_WHERE = new Map([
  ['findOne', false],
  ['find', true],
]);
const TYPEORM_BY = new Map([
  ['findOneBy', false],
  ['findBy', true],
]);
const PRISMA_SINGLE_OPTIONS = new Set(['where', 'include']);
const PRISMA_MANY_OPTIONS = new Set(['where', 'include', 'orderBy']);
const TYPEORM_SINGLE_OPTIONS = new Set(['where', 'relations', 'withDeleted']);
const TYPEORM_MANY_OPTIONS = new Set(['where', 'relations', 'withDeleted', 'order']);

/**
 * The lookup `call` performs, when its key depends on `perItem` names (the element or the
 * parent) and nothing else in it does.
 */
export function batchableLookup(call: ts.CallExpression, orm: 'prisma' | 'typeorm', perItem: ReadonlySet<string>): BatchableLookup | undefined {
  const callee = call.expression;
  const [argument, ...extra] = call.arguments;
  if (!ts.isPropertyAccessExpression(callee) || !argument || extra.length > 0) return undefined;
  const options = skipOuterExpressions(argument);
  if (!ts.isObjectLiteralExpression(options)) return undefined;
  const method = callee.name.text;
  const receiver = callee.expression;
  if (usesAny(receiver, perItem)) return undefined;
  let many: boolean | undefined;
  let where: ts.Expression | undefined;
  let batchedMethod: string;
  if (orm === 'prisma') {
    many = PRISMA.get(method);
    if (many === undefined || !onlyOptions(options, many ? PRISMA_MANY_OPTIONS : PRISMA_SINGLE_OPTIONS)) return undefined;
    where = optionValue(options, 'where');
    batchedMethod = 'findMany';
  } else if (TYPEORM_BY.has(method)) {
    many = TYPEORM_BY.get(method)!;
    where = options;
    batchedMethod = 'findBy';
  } else {
    many = TYPEORM_WHERE.get(method);
    if (many === undefined || !onlyOptions(options, many ? TYPEORM_MANY_OPTIONS : TYPEORM_SINGLE_OPTIONS)) return undefined;
    where = optionValue(options, 'where');
    batchedMethod = 'find';
  }
  if (!where || !ts.isObjectLiteralExpression(where)) return undefined;
  if (where !== options) {
    for (const property of options.properties) {
      if (ts.isPropertyAssignment(property) && property.initializer !== where && usesAny(property.initializer, perItem)) return undefined;
    }
  }
  let keyProperty: ts.PropertyAssignment | ts.ShorthandPropertyAssignment | undefined;
  for (const property of where.properties) {
    const isPlain = ts.isPropertyAssignment(property) && ts.isIdentifier(property.name);
    if (!isPlain && !ts.isShorthandPropertyAssignment(property)) return undefined;
    if (!usesAny(ts.isPropertyAssignment(property) ? property.initializer : property.name, perItem)) continue;
    if (keyProperty) return undefined;
    keyProperty = property;
  }
  if (!keyProperty || !ts.isIdentifier(keyProperty.name)) return undefined;
  const shorthand = ts.isShorthandPropertyAssignment(keyProperty);
  const key = ts.isPropertyAssignment(keyProperty) ? skipOuterExpressions(keyProperty.initializer) : keyProperty.name;
  if (ts.isObjectLiteralExpression(key) || ts.isArrayLiteralExpression(key)) return undefined;
  return { orm, call, receiver, many, field: keyProperty.name.text, key, shorthand, batchedMethod };
}

/**
 * The batched call's text: the original call with the method swapped and the key replaced
 * by the list of keys, so other conditions and the formatting are kept.
 */
export function batchedCallText(lookup: BatchableLookup, keysText: string, inName = 'In'): string {
  const { call, key } = lookup;
  const sourceFile = call.getSourceFile();
  const start = call.getStart(sourceFile);
  const text = sourceFile.text;
  const callee = call.expression as ts.PropertyAccessExpression;
  const nameStart = callee.name.getStart(sourceFile);
  const keyStart = key.getStart(sourceFile);
  const list = (lookup.shorthand ? `${lookup.field}: ` : '') + (lookup.orm === 'prisma' ? `{ in: ${keysText} }` : `${inName}(${keysText})`);
  return (
    text.slice(start, nameStart) +
    lookup.batchedMethod +
    text.slice(callee.name.getEnd(), keyStart) +
    list +
    text.slice(key.getEnd(), call.getEnd())
  );
}

function onlyOptions(options: ts.ObjectLiteralExpression, allowed: ReadonlySet<string>): boolean {
  return options.properties.every((p) => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && allowed.has(p.name.text));
}

function optionValue(options: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const property of options.properties) {
    if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === name) return skipOuterExpressions(property.initializer);
  }
  return undefined;
}

/** The ORM a database call goes through, judged by its method; undefined for others. */
export function ormOf(call: ts.CallExpression): 'prisma' | 'typeorm' | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  if (PRISMA.has(method) && ts.isPropertyAccessExpression(callee.expression)) return 'prisma';
  if (TYPEORM_WHERE.has(method) || TYPEORM_BY.has(method)) return 'typeorm';
  return undefined;
}

/** Whether a receiver's type, when the checker knows it, has the batched method. */
export function hasBatchedMethod(checker: ts.TypeChecker | undefined, lookup: BatchableLookup): boolean {
  if (!checker) return false;
  const type = checker.getTypeAtLocation(lookup.receiver);
  return type.getProperty(lookup.batchedMethod) !== undefined;
}

/** The key's type as source text when it is a plain primitive ('string', 'number'); IN lists need one. */
export function primitiveKeyType(checker: ts.TypeChecker | undefined, key: ts.Expression): 'string' | 'number' | 'bigint' | undefined {
  if (!checker) return undefined;
  const type = checker.getTypeAtLocation(key);
  if (type.flags & ts.TypeFlags.String) return 'string';
  if (type.flags & ts.TypeFlags.Number) return 'number';
  if (type.flags & ts.TypeFlags.BigInt) return 'bigint';
  return undefined;
}

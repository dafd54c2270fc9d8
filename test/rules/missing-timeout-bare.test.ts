import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { analyzeFile, walk } from '../../server/src/engine/analyzer';
import { ConfigResolver } from '../../server/src/engine/config';
import { Workspace } from '../../server/src/engine/workspace';
import type { ProjectFacts } from '../../server/src/engine/projectFacts';
import rule from '../../server/src/rules/missing-timeout';
import { recognizeOutboundCall } from '../../server/src/rules/shared/outboundCalls';

// A bare checkout: no node_modules, so no library types. Import tracing alone must find
// the clients, as it does when the CLI runs in CI before `npm install`.

/** The project is written to a temporary folder, or to `under` inside it (for what lies above a project). */
function bareProject(files: Record<string, string>, under = '.'): { dir: string; dispose(): void } {
  const outer = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'resilint-bare-')));
  const dir = path.join(outer, under);
  const all = {
    'package.json': JSON.stringify({ name: 'bare', dependencies: { axios: '^1.0.0', got: '^14.0.0' } }),
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs' }, include: ['src'] }),
    ...files,
  };
  for (const [relative, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    fs.writeFileSync(path.join(dir, relative), text);
  }
  return { dir, dispose: () => fs.rmSync(outer, { recursive: true, force: true }) };
}

function findings(dir: string, file: string) {
  const workspace = new Workspace(dir);
  const result = analyzeFile({ workspace, configs: new ConfigResolver(dir), rules: [rule as never] }, path.join(dir, file));
  assert.deepEqual(result.ruleErrors, []);
  return result.findings.map((f) => `${f.messageId}:${f.range.start.line + 1}`);
}

describe('missing-timeout on a bare checkout (no node_modules)', () => {
  it('traces an axios instance created in another file', () => {
    const project = bareProject({
      'src/http.ts': `import axios from 'axios';\nexport const http = axios.create({ baseURL: 'https://x' });\nexport const safe = axios.create({ timeout: 1000 });\n`,
      'src/main.ts': `import { http, safe } from './http';\nexport const a = () => http.get('/a');\nexport const b = () => safe.get('/b');\n`,
    });
    try {
      assert.deepEqual(findings(project.dir, 'src/main.ts'), ['axiosNoTimeout:2']);
    } finally {
      project.dispose();
    }
  });

  it('traces got and fetch wrappers', () => {
    const project = bareProject({
      'src/main.ts': `import got from 'got';
export const a = (url: string) => got(url);
export async function load(url: string, init?: RequestInit) {
  return fetch(url, init);
}
export const b = () => load('/b');
`,
    });
    try {
      assert.deepEqual(findings(project.dir, 'src/main.ts'), ['gotNoTimeout:2', 'wrapperCallNoTimeout:6']);
    } finally {
      project.dispose();
    }
  });
});

/** The client recognizeOutboundCall names, with no clients configured, and what it asks the checker through `typeChecker`. */
function outboundClient(call: ts.CallExpression, facts: ProjectFacts, typeChecker: () => ts.TypeChecker | undefined): string | undefined {
  return recognizeOutboundCall(call, { facts, customClasses: new Set(), customFunctions: new Set(), customMethods: new Map(), typeChecker })?.client;
}

/** The callees of the calls in `files` (relative to `dir`) whose receiver outboundClient asked the type checker about. */
function checkerQuestions(dir: string, files: string[]): string[] {
  const workspace = new Workspace(dir);
  const asked: string[] = [];
  for (const file of files.map((relative) => path.join(dir, relative))) {
    const facts = workspace.projectFor(file);
    const sourceFile = facts.getSourceFile(file)!;
    walk(sourceFile, (node) => {
      if (ts.isCallExpression(node)) outboundClient(node, facts, () => (asked.push(node.expression.getText(sourceFile)), undefined));
    });
  }
  return asked;
}

describe('recognizeOutboundCall', () => {
  it('names the client of each outbound call, and of none other', () => {
    const project = bareProject({
      'src/main.ts': `import axios from 'axios';
import got from 'got';
import * as https from 'node:https';
const api = axios.create({ timeout: 1000 });
function loadUser(id: string) {
  return fetch('/users/' + id);
}
export async function all(ids: string[]) {
  await api.get('/a');
  await got('https://b');
  https.get('https://c');
  await loadUser('1');
  ids.map((id) => id.trim());
}
`,
    });
    try {
      const workspace = new Workspace(project.dir);
      const facts = workspace.projectFor(path.join(project.dir, 'src/main.ts'));
      const sourceFile = facts.getSourceFile(path.join(project.dir, 'src/main.ts'))!;
      const kinds: string[] = [];
      walk(sourceFile, (node) => {
        if (!ts.isCallExpression(node)) return;
        const kind = outboundClient(node, facts, () => undefined);
        if (kind) kinds.push(`${node.expression.getText(sourceFile)}=${kind}`);
      });
      assert.deepEqual(kinds, ['fetch=fetch', 'api.get=axios', 'got=got', 'https.get=node-http']);
    } finally {
      project.dispose();
    }
  });

  it('asks the type checker about a client-like receiver only when syntax cannot tell: not for project members or collections', () => {
    const project = bareProject({
      // Installed packages: without any, the checker could not name a client (next tests).
      'node_modules/.package-lock.json': '{}',
      'src/http.ts': `import type { Got } from 'got';
export class Http {
  get(url: string): Promise<string> {
    return Promise.resolve(url);
  }
}
export interface Api {
  get(url: string): Promise<string>;
}
export interface ExtendedApi extends Got {
  get(url: string): Promise<string>;
}
`,
      'src/main.ts': `import type { Http, Api, ExtendedApi } from './http';
export async function viaClass(http: Http) {
  return http.get('/a');
}
export async function viaInterface(api: Api, extendedApi: ExtendedApi, http: Http) {
  await (http as Http).get('/cast');
  await extendedApi.get('/extended');
  return api.get('/b');
}
const requests = new Map<string, Promise<string>>();
export function pending(id: string) {
  return requests.get(id);
}
export class Cache {
  private readonly clients: Map<string, Http> = new Map();
  private pendingRequests;
  constructor() {
    this.pendingRequests = new Set<string>();
  }
  lookup(id: string, api: Api) {
    this.pendingRequests.delete(id);
    return this.clients.get(id) ?? api.get(id);
  }
}
`,
      'src/ownMap.ts': `import type { Map } from 'some-client-sdk';
export function viaImportedMap(requests: Map<string, string>) {
  return requests.get('/c');
}
`,
    });
    try {
      const asked = checkerQuestions(project.dir, ['src/main.ts', 'src/ownMap.ts']);
      // Http.get has a body in the project, Api declares get and extends nothing, and the
      // global Map and Set are no clients. ExtendedApi extends a library's type, a cast
      // is what the checker goes by, and an imported Map could be anything.
      assert.deepEqual(asked, ['(http as Http).get', 'extendedApi.get', 'requests.get']);
    } finally {
      project.dispose();
    }
  });

  it('does not ask about instances of packages that depend on no client library, nor of project classes looked up by dependency injection', () => {
    const manifest = (name: string, fields: Record<string, unknown> = {}) => JSON.stringify({ name, version: '1.0.0', ...fields });
    const project = bareProject({
      'node_modules/@nestjs/config/package.json': manifest('@nestjs/config', { dependencies: { dotenv: '16' }, peerDependencies: { '@nestjs/common': '10' } }),
      'node_modules/@nestjs/core/package.json': manifest('@nestjs/core'),
      'node_modules/@angular/core/package.json': manifest('@angular/core', { peerDependencies: { rxjs: '7' } }),
      'node_modules/@angular/common/package.json': manifest('@angular/common', { peerDependencies: { '@angular/core': '19', rxjs: '7' } }),
      'node_modules/store-lib/package.json': manifest('store-lib'),
      'node_modules/some-sdk/package.json': manifest('some-sdk', { dependencies: { axios: '1' } }),
      'src/user.service.ts': `import { Store } from 'store-lib';
export class UserService extends Store {
  get(id: string) {
    return this.state[id];
  }
}
`,
      'src/main.ts': `import { ConfigService } from '@nestjs/config';
import { ModuleRef, NestFactory } from '@nestjs/core';
import { inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import { SdkClient } from 'some-sdk';
import { Missing } from 'not-installed';
import { UserService } from './user.service';
import { AppModule } from './app.module';
export async function main() {
  const app = await NestFactory.create(AppModule);
  const configService = app.get(ConfigService);
  const userService = app.get<UserService>(UserService);
  return [configService.get('PORT'), userService.get('1')];
}
export class Component {
  private readonly http = inject(HttpClient);
  private readonly userService = inject(UserService);
  constructor(private readonly configService: ConfigService, private readonly sdkClient: SdkClient, private readonly missingClient: Missing) {}
  run(moduleRef: ModuleRef) {
    const refService = moduleRef.get(ConfigService);
    return [this.http.get('/a'), this.userService.get('1'), this.configService.get('X'), refService.get('Y'), this.sdkClient.get('/b'), this.missingClient.get('/c')];
  }
}
`,
    });
    try {
      // some-sdk depends on axios, so its types may be or extend axios's; not-installed cannot be read.
      assert.deepEqual(checkerQuestions(project.dir, ['src/main.ts']), ['this.sdkClient.get', 'this.missingClient.get']);
    } finally {
      project.dispose();
    }
  });

  it('a call the syntax settles leaves the memos around it valid across unrelated changes; one left to the checker does not', () => {
    const project = bareProject({
      'src/http.ts': `export class Http {\n  get(url: string): Promise<string> {\n    return Promise.resolve(url);\n  }\n}\n`,
      'src/settled.ts': `import type { Http } from './http';\nexport const viaClass = (http: Http) => http.get('/a');\n`,
      'src/open.ts': `import type { Api } from 'some-sdk';\nexport const viaPackage = (api: Api) => api.get('/a');\n`,
      'src/other.ts': `export const other = 1;\n`,
    });
    try {
      const workspace = new Workspace(project.dir);
      let edits = 0;
      const recomputations = (file: string) => {
        const facts = workspace.projectFor(path.join(project.dir, file));
        let computed = 0;
        const ask = () =>
          facts.acrossFiles(`test:${file}`, () => {
            computed++;
            walk(facts.getSourceFile(path.join(project.dir, file))!, (node) => {
              if (ts.isCallExpression(node)) outboundClient(node, facts, () => undefined);
            });
          });
        ask();
        workspace.setOverlay(path.join(project.dir, 'src/other.ts'), `export const other = ${++edits};\n`);
        ask();
        return computed;
      };
      // Whether node_modules has appeared is asked anew after each change, like the checker.
      assert.deepEqual([recomputations('src/settled.ts'), recomputations('src/open.ts')], [1, 2]);
    } finally {
      project.dispose();
    }
  });

  describe('without node_modules, asks the type checker only where a client library declaration is visible', () => {
    // `api` comes from a destructured parameter of a package's callback: only the checker
    // could type it, and only with the package's (and axios') declarations at hand.
    const testFile = `import { runner } from 'test-utils';
runner({ suite: ({ api }) => api.get('/products') });
`;
    const cases: [string, Record<string, string>, string[]][] = [
      ['none is: every answer would be any', {}, []],
      ['a project declaration file declares axios', { 'src/types/vendor.d.ts': `declare module 'axios' {\n  export interface AxiosInstance { get(url: string): Promise<unknown> }\n}\n` }, ['api.get']],
      ['tsconfig paths map got to a project file', { 'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, baseUrl: '.', paths: { got: ['stubs/got.d.ts'] } }, include: ['src'] }), 'stubs/got.d.ts': 'export interface Got {}\n' }, ['api.get']],
      ['node_modules is installed above the project (a hoisting monorepo)', { '../node_modules/.package-lock.json': '{}' }, ['api.get']],
    ];
    for (const [title, files, expected] of cases) {
      it(title, () => {
        const project = bareProject({ 'src/main.test.ts': testFile, ...files }, 'packages/app');
        try {
          assert.deepEqual(checkerQuestions(project.dir, ['src/main.test.ts']), expected);
        } finally {
          project.dispose();
        }
      });
    }
  });
});

import rule from '../../server/src/rules/missing-timeout';
import { runRuleTests } from '../ruleTester';

// A project's own helpers around fetch/axios, and calls bounded from the outside
// (withTimeout, Promise.race, p-timeout).

const fetchWrapper = `export async function httpGet(url: string, init?: RequestInit): Promise<unknown> {
  const res = await fetch(url, { ...init, method: 'GET' });
  return res.json();
}
`;

const axiosWrapper = `import axios, { type AxiosRequestConfig } from 'axios';
export async function getJson<T>(url: string, config?: AxiosRequestConfig): Promise<T> {
  const { data } = await axios.get<T>(url, config);
  return data;
}
`;

runRuleTests(rule, {
  valid: [
    {
      name: 'a wrapper that forwards its init: callers that pass a signal are clean',
      files: { 'src/http.ts': fetchWrapper },
      code: `import { httpGet } from './http';\nexport const f = () => httpGet('/x', { signal: AbortSignal.timeout(3000) });`,
    },
    {
      name: 'a forwarding wrapper itself is not reported',
      code: fetchWrapper,
    },
    {
      name: 'a wrapper that always enforces a timeout: its callers are clean',
      files: {
        'src/http.ts': `export async function httpGet(url: string): Promise<unknown> {\n  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });\n  return res.json();\n}\n`,
      },
      code: `import { httpGet } from './http';\nexport const f = () => httpGet('/x');`,
    },
    {
      // The module's first export forwards: the call must reach the export it names.
      name: 'a wrapper that always enforces a timeout, called through a namespace import',
      files: {
        'src/http.ts': `export const rawGet = (url: string, init?: RequestInit) => fetch(url, init);\nexport async function httpGet(url: string): Promise<unknown> {\n  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });\n  return res.json();\n}\n`,
      },
      code: `import * as http from './http';\nexport const f = () => http.httpGet('/x');`,
    },
    {
      name: 'an object literal whose helper sets its own timeout; a let-held object is not followed',
      code: `const api = {
  get: (url: string) => fetch(url, { signal: AbortSignal.timeout(5000) }),
};
let mutable = {
  get: (url: string, init?: RequestInit) => fetch(url, init),
};
export const a = () => api.get('/a');
export const b = () => mutable.get('/b');
`,
    },
    {
      // None names one class it makes: one returns a plain object, two either of two classes.
      name: 'a static method is followed only when it makes an instance of one known class',
      code: `class Other {
  get(path: string) {
    return fetch(path, { signal: AbortSignal.timeout(5000) });
  }
}
export class Http {
  static config() {
    return { get: (path: string) => path };
  }
  static either(flag: boolean) {
    if (flag) return new Http();
    return new Other();
  }
  static or(flag: boolean) {
    if (flag) return new Other();
    return new Http();
  }
  get(path: string, init?: RequestInit) {
    return fetch(path, init);
  }
}
export const a = () => Http.config().get('/a');
export function b(flag: boolean) {
  const http = Http.either(flag);
  return http.get('/b');
}
export function c(flag: boolean) {
  const http = Http.or(flag);
  return http.get('/c');
}
`,
    },
    {
      name: 'a helper that a later spread may replace is not followed',
      code: `declare const overrides: { get?: (url: string, init?: RequestInit) => Promise<Response> };
const client = {
  get: (url: string, init?: RequestInit) => fetch(url, init),
  ...overrides,
};
export const a = () => client.get('/a');
`,
    },
    {
      name: 'a wrapper whose instance has a timeout: callers that pass no config are clean',
      files: {
        'src/http.ts': `import axios, { type AxiosRequestConfig } from 'axios';
const api = axios.create({ timeout: 5000 });
export const get = (url: string, config?: AxiosRequestConfig) => api.get(url, config);
`,
      },
      code: `import { get } from './http';\nexport const f = () => get('/x');`,
    },
    {
      name: 'a parameter default that sets the timeout covers callers that pass nothing',
      files: {
        'src/http.ts': `import axios, { type AxiosRequestConfig } from 'axios';\nexport const get = (url: string, config: AxiosRequestConfig = { timeout: 5000 }) => axios.get(url, config);\n`,
      },
      code: `import { get } from './http';\nexport const f = () => get('/x');`,
    },
    {
      name: 'a caller that forwards its own caller\'s config is judged at its callers',
      files: { 'src/http.ts': axiosWrapper },
      code: `import type { AxiosRequestConfig } from 'axios';\nimport { getJson } from './http';\nexport const orders = (config?: AxiosRequestConfig) => getJson<string[]>('/orders', config);`,
    },
    {
      name: 'the wrapped call raced against a timer',
      files: { 'src/http.ts': fetchWrapper },
      code: `import { httpGet } from './http';
const timeout = (ms: number) => new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms));
export const f = () => Promise.race([httpGet('/x'), timeout(3000)]);`,
    },
    {
      name: 'withTimeout around the call',
      code: `declare function withTimeout<T>(p: Promise<T>, ms: number): Promise<T>;\nexport const f = (url: string) => withTimeout(fetch(url), 3000);`,
    },
    {
      name: 'withTimeout around a callback that makes the call',
      code: `declare function withTimeout<T>(op: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T>;
export const f = (url: string) =>
  withTimeout(async (signal) => {
    const res = await fetch(url, { signal });
    return res.json();
  }, 3000);
export const g = (url: string) =>
  withTimeout(async () => {
    const res = await fetch(url);
    return res.text();
  }, 3000);`,
    },
    {
      name: 'a promise stored in a const and then raced',
      code: `declare function sleep(ms: number): Promise<void>;
export async function f(url: string) {
  const request = fetch(url);
  return Promise.race([request, sleep(2000).then(() => { throw new Error('timeout'); })]);
}`,
    },
    {
      name: 'p-timeout under any local name',
      files: { 'src/types.d.ts': `declare module 'p-timeout' {\n  export default function pTimeout<T>(p: Promise<T>, o: { milliseconds: number }): Promise<T>;\n}\n` },
      code: `import bounded from 'p-timeout';\nexport const f = (url: string) => bounded(fetch(url), { milliseconds: 3000 });`,
    },
    {
      name: 'a class method wrapper whose callers in subclasses pass a timeout',
      files: {
        'src/base.ts': `import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
export class ExternalApi {
  protected axios: AxiosInstance;
  constructor(baseURL: string) {
    this.axios = axios.create({ baseURL });
  }
  protected async get<T>(endpoint: string, config?: AxiosRequestConfig): Promise<T> {
    const response = await this.axios.get<T>(endpoint, config);
    return response.data;
  }
}
`,
      },
      code: `import { ExternalApi } from './base';
export class Movies extends ExternalApi {
  list() {
    return this.get<string[]>('/movies', { timeout: 4000 });
  }
}`,
    },
  ],
  invalid: [
    {
      name: 'a wrapper that offers no way to set a timeout is reported inside',
      code: `export async function getStock(sku: string): Promise<number> {\n  const res = await fetch(\`/stock/\${sku}\`);\n  return (await res.json()) as number;\n}\n`,
      errors: [{ messageId: 'fetchNoTimeout', line: 2 }],
    },
    {
      name: 'a wrapper whose options type cannot carry a signal is reported inside',
      code: `interface GetOptions { headers?: Record<string, string> }
export async function httpGet(url: string, options: GetOptions = {}) {
  return fetch(url, { ...options });
}
export const f = () => httpGet('/x');
`,
      errors: [{ messageId: 'fetchNoTimeout', line: 3 }],
      output: `interface GetOptions { headers?: Record<string, string> }
export async function httpGet(url: string, options: GetOptions = {}) {
  return fetch(url, { ...options, signal: AbortSignal.timeout(10000) });
}
export const f = () => httpGet('/x');
`,
    },
    {
      name: 'callers of a forwarding fetch wrapper that omit the signal, in another file',
      files: { 'src/http.ts': fetchWrapper },
      code: `import { httpGet } from './http';\nexport const a = () => httpGet('/a');\nexport const b = () => httpGet('/b', { headers: { accept: 'application/json' } });\nexport const c = () => httpGet('/c', { signal: AbortSignal.timeout(1000) });\n`,
      errors: [
        {
          messageId: 'wrapperCallNoTimeout',
          line: 2,
          message: 'httpGet() passes its signal option on to fetch(), and this call sets none: if the server stops responding, it waits forever.',
          relatedFiles: ['src/http.ts'],
        },
        { messageId: 'wrapperCallNoTimeout', line: 3 },
      ],
      output: `import { httpGet } from './http';\nexport const a = () => httpGet('/a', { signal: AbortSignal.timeout(10000) });\nexport const b = () => httpGet('/b', { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10000) });\nexport const c = () => httpGet('/c', { signal: AbortSignal.timeout(1000) });\n`,
    },
    {
      name: 'a wrapper that destructures its options in the body forwards the signal as one that destructures them in the parameter list',
      code: `type CheckRequest = { url: string; region: string; signal?: AbortSignal };
export async function checkRegion(props: CheckRequest) {
  const { url, region, signal } = props;
  const res = await fetch(\`https://checker.example.com/\${region}\`, { method: 'POST', body: url, signal });
  return res.json();
}
export const a = (url: string) => checkRegion({ url, region: 'ams' });
export const b = (url: string) => checkRegion({ url, region: 'ams', signal: AbortSignal.timeout(5000) });
`,
      errors: [{ messageId: 'wrapperCallNoTimeout', line: 7, message: 'checkRegion() passes its signal option on to fetch(), and this call sets none: if the server stops responding, it waits forever.' }],
      output: `type CheckRequest = { url: string; region: string; signal?: AbortSignal };
export async function checkRegion(props: CheckRequest) {
  const { url, region, signal } = props;
  const res = await fetch(\`https://checker.example.com/\${region}\`, { method: 'POST', body: url, signal });
  return res.json();
}
export const a = (url: string) => checkRegion({ url, region: 'ams', signal: AbortSignal.timeout(10000) });
export const b = (url: string) => checkRegion({ url, region: 'ams', signal: AbortSignal.timeout(5000) });
`,
    },
    {
      name: 'a wrapper with a this parameter: arguments fill the parameters after it',
      code: `interface Api { base: string }
export function get(this: Api, path: string, init?: RequestInit) {
  return fetch(this.base + path, init);
}
export const api = { base: 'https://x.example', get };
export const load = () => api.get('/a', { signal: AbortSignal.timeout(2000) });
export const loadForever = () => api.get('/b');
`,
      errors: [{ messageId: 'wrapperCallNoTimeout', line: 7 }],
      output: `interface Api { base: string }
export function get(this: Api, path: string, init?: RequestInit) {
  return fetch(this.base + path, init);
}
export const api = { base: 'https://x.example', get };
export const load = () => api.get('/a', { signal: AbortSignal.timeout(2000) });
export const loadForever = () => api.get('/b', { signal: AbortSignal.timeout(10000) });
`,
    },
    {
      name: 'callers of a forwarding wrapper through a namespace import',
      files: { 'src/http.ts': fetchWrapper },
      code: `import * as http from './http';\nexport const a = () => http.httpGet('/a');\nexport const c = () => http.httpGet('/c', { signal: AbortSignal.timeout(1000) });\n`,
      errors: [
        {
          messageId: 'wrapperCallNoTimeout',
          line: 2,
          message: 'http.httpGet() passes its signal option on to fetch(), and this call sets none: if the server stops responding, it waits forever.',
          relatedFiles: ['src/http.ts'],
        },
      ],
      output: `import * as http from './http';\nexport const a = () => http.httpGet('/a', { signal: AbortSignal.timeout(10000) });\nexport const c = () => http.httpGet('/c', { signal: AbortSignal.timeout(1000) });\n`,
    },
    {
      name: 'callers of a forwarding wrapper in a module re-exported as a namespace, or re-exported by a barrel',
      files: {
        'src/http.ts': fetchWrapper,
        'src/api.ts': `export * as http from './http';\n`,
        'src/index.ts': `import { httpGet } from './http';\nexport { httpGet as get };\n`,
      },
      code: `import { http } from './api';\nimport { get } from './index';\nexport const a = () => http.httpGet('/a');\nexport const b = () => get('/b');\nexport const c = () => http.httpGet('/c', { signal: AbortSignal.timeout(1000) });\n`,
      errors: [
        { messageId: 'wrapperCallNoTimeout', line: 3, relatedFiles: ['src/http.ts'] },
        { messageId: 'wrapperCallNoTimeout', line: 4, relatedFiles: ['src/http.ts'] },
      ],
      output: `import { http } from './api';\nimport { get } from './index';\nexport const a = () => http.httpGet('/a', { signal: AbortSignal.timeout(10000) });\nexport const b = () => get('/b', { signal: AbortSignal.timeout(10000) });\nexport const c = () => http.httpGet('/c', { signal: AbortSignal.timeout(1000) });\n`,
    },
    {
      name: 'callers of helpers held in an exported object literal',
      files: {
        'src/api.ts': `import axios, { type AxiosRequestConfig } from 'axios';
export const api = {
  get(url: string, init?: RequestInit) {
    return fetch(url, init);
  },
  remove: (url: string, config: AxiosRequestConfig = {}) => axios.delete(url, config),
};
`,
      },
      code: `import { api } from './api';\nexport const a = () => api.get('/a');\nexport const b = () => api.remove('/b', {});\nexport const c = () => api.get('/c', { signal: AbortSignal.timeout(1000) });\n`,
      errors: [
        { messageId: 'wrapperCallNoTimeout', line: 2, message: 'api.get() passes its signal option on to fetch(), and this call sets none: if the server stops responding, it waits forever.', relatedFiles: ['src/api.ts'] },
        { messageId: 'wrapperCallNoTimeout', line: 3, message: 'api.remove() passes its timeout option on to axios.delete(), and this call sets none: if the server stops responding, it waits forever.' },
      ],
      output: `import { api } from './api';\nexport const a = () => api.get('/a', { signal: AbortSignal.timeout(10000) });\nexport const b = () => api.remove('/b', { timeout: 10000 });\nexport const c = () => api.get('/c', { signal: AbortSignal.timeout(1000) });\n`,
    },
    {
      name: 'a helper in a local const object, and one in a default-exported object',
      files: { 'src/http.ts': `export default {\n  load: (url: string, signal?: AbortSignal) => fetch(url, { signal }),\n};\n` },
      code: `import http from './http';
const client = {
  get: (url: string, init?: RequestInit) => fetch(url, init),
};
export const a = () => client.get('/a');
export const b = () => http.load('/b');
`,
      errors: [
        { messageId: 'wrapperCallNoTimeout', line: 5 },
        { messageId: 'wrapperCallNoTimeout', line: 6 },
      ],
      output: `import http from './http';
const client = {
  get: (url: string, init?: RequestInit) => fetch(url, init),
};
export const a = () => client.get('/a', { signal: AbortSignal.timeout(10000) });
export const b = () => http.load('/b', AbortSignal.timeout(10000));
`,
    },
    {
      name: 'a helper defined after a spread is the one called',
      code: `declare const defaults: { base: string };
const client = { ...defaults, get: (url: string, init?: RequestInit) => fetch(url, init) };
export const a = () => client.get('/a');
`,
      errors: [{ messageId: 'wrapperCallNoTimeout', line: 3 }],
      output: `declare const defaults: { base: string };
const client = { ...defaults, get: (url: string, init?: RequestInit) => fetch(url, init) };
export const a = () => client.get('/a', { signal: AbortSignal.timeout(10000) });
`,
    },
    {
      name: 'callers of an axios wrapper that omit the timeout',
      files: { 'src/http.ts': axiosWrapper },
      code: `import { getJson } from './http';\nexport const orders = () => getJson<string[]>('/orders');\nexport const zero = () => getJson<string[]>('/orders', { timeout: 0 });\n`,
      errors: [
        { messageId: 'wrapperCallNoTimeout', line: 2, message: 'getJson() passes its timeout option on to axios.get(), and this call sets none: if the server stops responding, it waits forever.' },
        { messageId: 'wrapperCallNoTimeout', line: 3 },
      ],
      output: `import { getJson } from './http';\nexport const orders = () => getJson<string[]>('/orders', { timeout: 10000 });\nexport const zero = () => getJson<string[]>('/orders', { timeout: 10000 });\n`,
    },
    {
      name: 'a wrapper that forwards options.signal',
      code: `interface Options { signal?: AbortSignal; retries?: number }
async function call(url: string, options: Options = {}) {
  return fetch(url, { method: 'POST', signal: options.signal });
}
export const f = () => call('/a', { retries: 2 });
export const g = () => call('/b', { signal: AbortSignal.timeout(500) });
`,
      errors: [{ messageId: 'wrapperCallNoTimeout', line: 5 }],
      output: `interface Options { signal?: AbortSignal; retries?: number }
async function call(url: string, options: Options = {}) {
  return fetch(url, { method: 'POST', signal: options.signal });
}
export const f = () => call('/a', { retries: 2, signal: AbortSignal.timeout(10000) });
export const g = () => call('/b', { signal: AbortSignal.timeout(500) });
`,
    },
    {
      name: 'a wrapper that takes the signal itself',
      code: `const load = (url: string, signal?: AbortSignal) => fetch(url, { signal });
export const f = () => load('/a');
`,
      errors: [{ messageId: 'wrapperCallNoTimeout', line: 2 }],
      output: `const load = (url: string, signal?: AbortSignal) => fetch(url, { signal });
export const f = () => load('/a', AbortSignal.timeout(10000));
`,
    },
    {
      name: 'a destructured timeout option',
      code: `import axios from 'axios';
export async function post(url: string, body: unknown, { timeout }: { timeout?: number } = {}) {
  return axios.post(url, body, { timeout });
}
export const f = () => post('/a', {}, {});
`,
      errors: [{ messageId: 'wrapperCallNoTimeout', line: 5 }],
      output: `import axios from 'axios';
export async function post(url: string, body: unknown, { timeout }: { timeout?: number } = {}) {
  return axios.post(url, body, { timeout });
}
export const f = () => post('/a', {}, { timeout: 10000 });
`,
    },
    {
      name: 'a chain of wrappers: the outer callers are reported',
      files: {
        'src/http.ts': `export function request(method: string, url: string, init?: RequestInit) {\n  return fetch(url, { ...init, method });\n}\nexport function get(url: string, init?: RequestInit) {\n  return request('GET', url, init);\n}\n`,
      },
      code: `import { get } from './http';\nexport const f = () => get('/x');\n`,
      errors: [{ messageId: 'wrapperCallNoTimeout', line: 2 }],
      output: `import { get } from './http';\nexport const f = () => get('/x', { signal: AbortSignal.timeout(10000) });\n`,
    },
    {
      name: 'class method wrappers: this.get in a subclass, and a service calling it',
      files: {
        'src/base.ts': `import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
export class ExternalApi {
  protected axios: AxiosInstance;
  constructor(baseURL: string) {
    this.axios = axios.create({ baseURL });
  }
  protected async get<T>(endpoint: string, config?: AxiosRequestConfig): Promise<T> {
    const response = await this.axios.get<T>(endpoint, config);
    return response.data;
  }
}
`,
      },
      code: `import { ExternalApi } from './base';
export class Movies extends ExternalApi {
  list() {
    return this.get<string[]>('/movies', { params: { page: 1 } });
  }
}
`,
      errors: [{ messageId: 'wrapperCallNoTimeout', line: 4 }],
      output: `import { ExternalApi } from './base';
export class Movies extends ExternalApi {
  list() {
    return this.get<string[]>('/movies', { params: { page: 1 }, timeout: 10000 });
  }
}
`,
    },
    {
      name: 'a method of an injected service class',
      files: {
        'src/httpClient.ts': `export class HttpClient {\n  get(url: string, init?: RequestInit) {\n    return fetch(url, init);\n  }\n}\n`,
      },
      code: `import { HttpClient } from './httpClient';
export class Orders {
  constructor(private readonly http: HttpClient) {}
  list() {
    return this.http.get('/orders');
  }
}
`,
      errors: [{ messageId: 'wrapperCallNoTimeout', line: 5 }],
    },
    {
      name: 'an instance made by a static async factory typed Promise<C> (a client that connects first)',
      files: {
        'src/apiClient.ts': `export class ApiClient {
  private constructor(private readonly base: string) {}
  static async create(base: string): Promise<ApiClient> {
    const client = new ApiClient(base);
    await client.get('/health', { signal: AbortSignal.timeout(1000) });
    return client;
  }
  get(path: string, init?: RequestInit) {
    return fetch(this.base + path, init);
  }
}
`,
      },
      code: `import { ApiClient } from './apiClient';
export async function listOrders() {
  const api = await ApiClient.create('https://orders.internal');
  return api.get('/orders');
}
`,
      errors: [{ messageId: 'wrapperCallNoTimeout', line: 4 }],
      output: `import { ApiClient } from './apiClient';
export async function listOrders() {
  const api = await ApiClient.create('https://orders.internal');
  return api.get('/orders', { signal: AbortSignal.timeout(10000) });
}
`,
    },
    {
      name: 'an instance made by an unannotated static factory that returns new this()',
      code: `export class Http {
  constructor(private readonly base: string) {}
  static for(base: string) {
    return new this(base);
  }
  get(path: string, init?: RequestInit) {
    return fetch(this.base + path, init);
  }
}
export const users = () => Http.for('https://users.internal').get('/users');
export function orders() {
  const http = Http.for('https://orders.internal');
  return http.get('/orders');
}
`,
      errors: [{ messageId: 'wrapperCallNoTimeout', line: 13 }],
    },
    {
      name: 'a static factory found past an instance method of the same name',
      code: `export class Connection {
  open(path: string) {
    return fetch(path, { method: 'OPTIONS', signal: AbortSignal.timeout(1000) });
  }
  static async open(): Promise<Connection> {
    return new Connection();
  }
  get(path: string, init?: RequestInit) {
    return fetch(path, init);
  }
}
export async function ping() {
  const connection = await Connection.open();
  return connection.get('/ping');
}
`,
      errors: [{ messageId: 'wrapperCallNoTimeout', line: 14 }],
    },
    {
      name: 'a .then chain is not a timer race',
      code: `declare function sleep(ms: number): Promise<void>;\nexport const f = (url: string) => Promise.all([fetch(url), sleep(10)]);\n`,
      errors: [{ messageId: 'fetchNoTimeout', line: 2 }],
    },
  ],
});

import rule from '../../server/src/rules/missing-timeout';
import { runRuleTests } from '../ruleTester';

// HTTP client libraries: axios, got, ky, ofetch, superagent, undici and node:http(s).

runRuleTests(rule, {
  valid: [
    {
      name: 'axios call with a timeout',
      code: `import axios from 'axios';\nexport const f = (url: string) => axios.get(url, { timeout: 5000 });`,
    },
    {
      name: 'axios post with a config timeout after the data',
      code: `import axios from 'axios';\nexport const f = (url: string, body: unknown) => axios.post(url, body, { timeout: 5000 });`,
    },
    {
      name: 'axios(config) with a signal',
      code: `import axios from 'axios';\nexport const f = (url: string) => axios({ url, method: 'get', signal: AbortSignal.timeout(5000) });`,
    },
    {
      name: 'an instance created with a timeout covers its calls',
      code: `import axios from 'axios';
const api = axios.create({ baseURL: 'https://api.example.com', timeout: 5000 });
export const f = () => api.get('/orders');
export const g = () => api('/orders');
export const h = () => api.request({ url: '/orders' });`,
    },
    {
      name: 'instance.defaults.timeout set later in the file',
      code: `import axios from 'axios';
const api = axios.create({ baseURL: 'https://api.example.com' });
api.defaults.timeout = 4000;
export const f = () => api.get('/orders');`,
    },
    {
      name: 'axios.defaults.timeout set in the entry file covers the default axios elsewhere',
      files: {
        'src/index.ts': `import axios from 'axios';\nimport { f } from './main';\naxios.defaults.timeout = 8000;\nvoid f();\n`,
      },
      code: `import axios from 'axios';\nexport const f = () => axios.get('https://example.com/x');`,
    },
    {
      name: 'axios.defaults.timeout set in a side-effect import of the entry file',
      files: {
        'src/index.ts': `import './setup/http';\nexport {};\n`,
        'src/setup/http.ts': `import axios from 'axios';\naxios.defaults.timeout = 8000;\n`,
      },
      code: `import axios from 'axios';\nexport const f = () => axios.post('https://example.com/x', {});`,
    },
    {
      name: "an instance's defaults.timeout set by start-up code in another file",
      files: {
        'src/http.ts': `import axios from 'axios';\nexport const http = axios.create({ baseURL: 'https://x' });\n`,
        'src/index.ts': `import { http } from './http';\nimport './main';\nhttp.defaults.timeout = 5000;\n`,
      },
      code: `import { http } from './http';\nexport const f = () => http.get('/orders');`,
    },
    {
      name: 'an instance imported from another file that was created with a timeout',
      files: { 'src/http.ts': `import axios from 'axios';\nexport const http = axios.create({ timeout: 3000 });\n` },
      code: `import { http } from './http';\nexport const f = () => http.get('/x');`,
    },
    {
      name: 'an instance exported as default from another file',
      files: { 'src/http.ts': `import axios from 'axios';\nexport default axios.create({ timeout: 3000 });\n` },
      code: `import http from './http';\nexport const f = () => http.delete('/x');`,
    },
    {
      name: 'an instance built by a factory function that sets a timeout',
      files: {
        'src/http.ts': `import axios from 'axios';\nexport function createClient(baseURL: string) {\n  return axios.create({ baseURL, timeout: 2500 });\n}\n`,
      },
      code: `import { createClient } from './http';\nconst client = createClient('https://x');\nexport const f = () => client.get('/y');`,
    },
    {
      name: 'an instance built by a static factory method that sets a timeout',
      files: {
        'src/http.ts': `import axios from 'axios';\nexport class Http {\n  static client(baseURL: string) {\n    return axios.create({ baseURL, timeout: 2500 });\n  }\n}\n`,
      },
      code: `import { Http } from './http';\nconst client = Http.client('https://x');\nexport const f = () => client.get('/y');`,
    },
    {
      name: 'a class field instance created with a timeout in the constructor',
      code: `import axios, { type AxiosInstance } from 'axios';
export class Billing {
  private readonly http: AxiosInstance;
  constructor(baseURL: string) {
    this.http = axios.create({ baseURL, timeout: 5000 });
  }
  invoices() {
    return this.http.get('/invoices');
  }
}`,
    },
    {
      name: 'a subclass calling the instance its base class created with a timeout',
      files: {
        'src/base.ts': `import axios, { type AxiosInstance } from 'axios';
export class ExternalApi {
  protected axios: AxiosInstance;
  constructor(baseURL: string) {
    this.axios = axios.create({ baseURL, timeout: 5000 });
  }
}
`,
      },
      code: `import { ExternalApi } from './base';
export class Movies extends ExternalApi {
  list() {
    return this.axios.get('/movies');
  }
}`,
    },
    {
      name: 'an injected AxiosInstance of unknown configuration is not judged',
      code: `import type { AxiosInstance } from 'axios';
export class Orders {
  constructor(private readonly http: AxiosInstance) {}
  list() {
    return this.http.get('/orders');
  }
}`,
    },
    {
      name: 'an interceptor that sets a timeout per request',
      code: `import axios from 'axios';
const api = axios.create({ baseURL: 'https://x' });
api.interceptors.request.use((config) => {
  config.timeout = 3000;
  return config;
});
export const f = () => api.get('/y');`,
    },
    {
      name: 'a config built elsewhere is not guessed at',
      code: `import axios, { type AxiosRequestConfig } from 'axios';\ndeclare function config(): AxiosRequestConfig;\nexport const f = (url: string) => axios.get(url, config());`,
    },
    {
      name: 'got with a request timeout',
      code: `import got from 'got';\nexport const f = (url: string) => got(url, { timeout: { request: 5000 } }).json();`,
    },
    {
      name: 'got instance extended with a timeout',
      code: `import got from 'got';\nconst client = got.extend({ prefixUrl: 'https://x', timeout: { request: 5000 } });\nexport const f = () => client.get('y').json();`,
    },
    {
      name: 'got instance extended from a base that has a timeout',
      code: `import got from 'got';
const base = got.extend({ timeout: { request: 5000 } });
const client = base.extend({ prefixUrl: 'https://x' });
export const f = () => client.post('y', { json: {} });`,
    },
    {
      name: 'ky keeps its 10 s default',
      code: `import ky from 'ky';\nexport const f = (url: string) => ky.get(url).json();`,
    },
    {
      name: 'ky instance without timeout: false',
      code: `import ky from 'ky';\nconst api = ky.create({ prefixUrl: 'https://x' });\nexport const f = () => api.get('y');`,
    },
    {
      name: 'a ky call that sets a number over an instance that disabled it',
      code: `import ky from 'ky';\nconst api = ky.create({ prefixUrl: 'https://x', timeout: false });\nexport const f = () => api.get('y', { timeout: 5000 });`,
    },
    {
      name: 'undici request with headersTimeout and bodyTimeout',
      code: `import { request } from 'undici';\nexport const f = (url: string) => request(url, { headersTimeout: 5000, bodyTimeout: 5000 });`,
    },
    {
      name: 'undici Pool created with timeouts',
      code: `import { Pool } from 'undici';
const pool = new Pool('https://x', { headersTimeout: 5000, bodyTimeout: 5000 });
export const f = () => pool.request({ path: '/', method: 'GET' });`,
    },
    {
      name: 'node:https with a timeout handler that destroys the request',
      code: `import * as https from 'node:https';
export function f(url: string) {
  const req = https.get(url, (res) => res.resume());
  req.setTimeout(5000, () => req.destroy(new Error('timeout')));
  return req;
}`,
    },
    {
      name: "node:http with a timeout option and a 'timeout' handler",
      code: `import http from 'node:http';
export function f(): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: 'x', path: '/', timeout: 5000 }, (res) => resolve(res.statusCode ?? 0));
    req.on('timeout', () => req.destroy());
    req.on('error', reject);
    req.end();
  });
}`,
    },
    {
      name: 'node:https with a signal',
      code: `import { request } from 'https';\nexport const f = () => request({ host: 'x', signal: AbortSignal.timeout(3000) }).end();`,
    },
    {
      name: 'node:http request destroyed by a timer',
      code: `import * as http from 'http';
export function f(url: string) {
  const req = http.get(url);
  const timer = setTimeout(() => req.destroy(), 5000);
  req.on('close', () => clearTimeout(timer));
}`,
    },
    {
      name: 'a request handed to a helper that may enforce a deadline',
      code: `import * as http from 'http';\nimport type { ClientRequest } from 'http';\ndeclare function track(req: ClientRequest): void;\nexport function f(url: string) {\n  const req = http.get(url);\n  track(req);\n}`,
    },
    {
      name: 'ofetch with a timeout, and $fetch with a signal',
      code: `import { $fetch, ofetch } from 'ofetch';\nexport const f = (url: string) => ofetch(url, { timeout: 5000 });\nexport const g = (url: string) => $fetch(url, { signal: AbortSignal.timeout(5000) });\n`,
    },
    {
      name: 'an ofetch instance created with a timeout covers its calls',
      code: `import { ofetch } from 'ofetch';\nconst api = ofetch.create({ baseURL: 'https://x', timeout: 5000 });\nexport const f = () => api('/orders');\nexport const g = () => api.raw('/orders');\n`,
    },
    {
      name: 'an injected $Fetch may have been created with a timeout',
      code: `import type { $Fetch } from 'ofetch';\nexport class Orders {\n  constructor(private readonly http: $Fetch) {}\n  list() {\n    return this.http('/orders');\n  }\n}\n`,
    },
    {
      name: 'an undeclared $fetch is no client outside Nuxt and Nitro',
      code: `export const f = () => $fetch('/api/orders');\n`,
    },
    {
      name: 'superagent with .timeout() anywhere in the chain',
      code: `import superagent from 'superagent';\nexport const f = (url: string) => superagent.get(url).set('Accept', 'application/json').timeout(5000);\nexport const g = async (url: string) => (await superagent.post(url).timeout({ response: 2000, deadline: 10000 }).send({ a: 1 })).body;\n`,
    },
    {
      name: "a superagent agent's requests take the agent's defaults, which are set by calls on it",
      code: `import superagent from 'superagent';\nconst agent = superagent.agent();\nagent.timeout(5000);\nexport const f = async (url: string) => (await agent.get(url)).body;\n`,
    },
    {
      name: 'a superagent request returned unsent may get its timeout from the caller',
      code: `import superagent from 'superagent';\nexport const authed = (url: string, token: string) => superagent.get(url).set('Authorization', token);\nexport const g = (url: string) => authed(url, 't').timeout(5000);\n`,
    },
  ],
  invalid: [
    {
      name: 'an axios instance returned by a method of the base class, called through this',
      code: `import axios from 'axios';
const shared = axios.create({ baseURL: 'https://api.example.com' });
const bounded = axios.create({ baseURL: 'https://api.example.com', timeout: 5000 });
abstract class Provider {
  protected http() {
    return shared;
  }
  protected boundedHttp() {
    return bounded;
  }
}
export class Moltbook extends Provider {
  status = async () => (await this.http().get('/status')).data;
  health = async () => (await this.boundedHttp().get('/health')).data;
}
`,
      errors: [{ messageId: 'axiosNoTimeout', line: 13 }],
    },
    {
      name: 'superagent requests sent with no timeout',
      code: `import superagent from 'superagent';\nexport const f = async (url: string) => (await superagent.get(url).set('Accept', 'application/json')).body;\nexport const g = (url: string) => superagent.del(url).then((res) => res.status);\n`,
      errors: [
        { messageId: 'superagentNoTimeout', line: 2, message: 'superagent.get() has no .timeout(), and superagent sets none by default: if the server stops responding, this request waits forever.' },
        { messageId: 'superagentNoTimeout', line: 3 },
      ],
      output: `import superagent from 'superagent';\nexport const f = async (url: string) => (await superagent.get(url).timeout(10000).set('Accept', 'application/json')).body;\nexport const g = (url: string) => superagent.del(url).timeout(10000).then((res) => res.status);\n`,
    },
    {
      name: 'ofetch without a timeout',
      code: `import { ofetch } from 'ofetch';\nexport const f = (url: string) => ofetch(url);\n`,
      errors: [{ messageId: 'ofetchNoTimeout', line: 2, message: 'ofetch() has no timeout, and ofetch sets none by default: if the server stops responding, this call waits forever.' }],
      output: `import { ofetch } from 'ofetch';\nexport const f = (url: string) => ofetch(url, { timeout: 10000 });\n`,
    },
    {
      name: '$fetch and ofetch.raw with options but no timeout',
      code: `import { $fetch, ofetch } from 'ofetch';\nexport const f = (url: string) => $fetch(url, { method: 'POST' });\nexport const g = (url: string) => ofetch.raw(url);\n`,
      errors: [
        { messageId: 'ofetchNoTimeout', line: 2 },
        { messageId: 'ofetchNoTimeout', line: 3 },
      ],
      output: `import { $fetch, ofetch } from 'ofetch';\nexport const f = (url: string) => $fetch(url, { method: 'POST', timeout: 10000 });\nexport const g = (url: string) => ofetch.raw(url, { timeout: 10000 });\n`,
    },
    {
      name: 'an ofetch instance without a timeout: the fix on the instance',
      code: `import { ofetch } from 'ofetch';\nconst api = ofetch.create({ baseURL: 'https://x' });\nexport const f = () => api('/orders');\n`,
      errors: [{ messageId: 'ofetchNoTimeout', line: 3 }],
      fixTitle: 'Add timeout to the instance: timeout: 10000',
      output: `import { ofetch } from 'ofetch';\nconst api = ofetch.create({ baseURL: 'https://x', timeout: 10000 });\nexport const f = () => api('/orders');\n`,
    },
    {
      name: "a class's ofetch instance called through this, and Nuxt's global $fetch",
      packageJson: { dependencies: { nuxt: '^3.0.0' } },
      files: { 'src/nuxt-globals.d.ts': `import type { $Fetch } from 'ofetch';\ndeclare global {\n  var $fetch: $Fetch;\n}\nexport {};\n` },
      code: `import { ofetch } from 'ofetch';\nexport class Orders {\n  private readonly http = ofetch.create({ baseURL: 'https://x' });\n  list() {\n    return this.http('/orders');\n  }\n}\nexport const f = () => $fetch('/api/orders');\n`,
      errors: [
        { messageId: 'ofetchNoTimeout', line: 5 },
        { messageId: 'ofetchNoTimeout', line: 8 },
      ],
      output: `import { ofetch } from 'ofetch';\nexport class Orders {\n  private readonly http = ofetch.create({ baseURL: 'https://x' });\n  list() {\n    return this.http('/orders', { timeout: 10000 });\n  }\n}\nexport const f = () => $fetch('/api/orders', { timeout: 10000 });\n`,
    },
    {
      name: 'axios.get without a timeout',
      code: `import axios from 'axios';\nexport const f = (url: string) => axios.get(url);\n`,
      errors: [{ messageId: 'axiosNoTimeout', line: 2, message: 'axios.get() has no timeout, and axios sets none by default: if the server stops responding, this call waits forever.' }],
      output: `import axios from 'axios';\nexport const f = (url: string) => axios.get(url, { timeout: 10000 });\n`,
    },
    {
      name: 'an instance built by a static factory method without a timeout',
      files: {
        'src/http.ts': `import axios from 'axios';\nexport class Http {\n  client(): never {\n    throw new Error('use Http.client()');\n  }\n  static client(baseURL: string) {\n    return axios.create({ baseURL });\n  }\n}\n`,
      },
      code: `import { Http } from './http';\nconst client = Http.client('https://x');\nexport const f = () => client.get('/y');\n`,
      errors: [{ messageId: 'axiosNoTimeout', line: 3 }],
    },
    {
      name: 'a callee split over lines reads as one name in the message',
      code: `import axios from 'axios';\nexport const f = (url: string) =>\n  axios\n    .delete(url);\n`,
      errors: [{ messageId: 'axiosNoTimeout', line: 3, message: 'axios.delete() has no timeout, and axios sets none by default: if the server stops responding, this call waits forever.' }],
    },
    {
      name: 'axios.post without a config gets one after the data',
      code: `import axios from 'axios';\nexport const f = (url: string, body: object) => axios.post(url, body);\n`,
      errors: [{ messageId: 'axiosNoTimeout', line: 2 }],
      output: `import axios from 'axios';\nexport const f = (url: string, body: object) => axios.post(url, body, { timeout: 10000 });\n`,
    },
    {
      name: 'axios.post with no data gets undefined data first',
      code: `import axios from 'axios';\nexport const f = (url: string) => axios.post(url);\n`,
      errors: [{ messageId: 'axiosNoTimeout', line: 2 }],
      output: `import axios from 'axios';\nexport const f = (url: string) => axios.post(url, undefined, { timeout: 10000 });\n`,
    },
    {
      name: 'axios(config) and axios.request(config)',
      code: `import axios from 'axios';\nexport const f = (url: string) => axios({ url, method: 'put' });\nexport const g = (url: string) => axios.request({ url });\n`,
      errors: [
        { messageId: 'axiosNoTimeout', line: 2 },
        { messageId: 'axiosNoTimeout', line: 3 },
      ],
      output: `import axios from 'axios';\nexport const f = (url: string) => axios({ url, method: 'put', timeout: 10000 });\nexport const g = (url: string) => axios.request({ url, timeout: 10000 });\n`,
    },
    {
      name: 'timeout: 0 means no timeout',
      code: `import axios from 'axios';\nexport const f = (url: string) => axios.get(url, { timeout: 0, responseType: 'json' });\n`,
      errors: [{ messageId: 'axiosTimeoutDisabled', line: 2 }],
      output: `import axios from 'axios';\nexport const f = (url: string) => axios.get(url, { timeout: 10000, responseType: 'json' });\n`,
    },
    {
      name: 'a call that sets timeout: 0 over an instance with a timeout',
      code: `import axios from 'axios';\nconst api = axios.create({ timeout: 5000 });\nexport const f = () => api.get('/stream', { timeout: 0 });\n`,
      errors: [{ messageId: 'axiosTimeoutDisabled', line: 3 }],
    },
    {
      name: 'an instance without a timeout: fix on the call, or on the instance',
      code: `import axios from 'axios';\nconst api = axios.create({ baseURL: 'https://api.example.com' });\nexport const f = () => api.get('/orders');\n`,
      errors: [{ messageId: 'axiosNoTimeout', line: 3 }],
      output: `import axios from 'axios';\nconst api = axios.create({ baseURL: 'https://api.example.com' });\nexport const f = () => api.get('/orders', { timeout: 10000 });\n`,
    },
    {
      name: 'the instance fix sets the timeout once',
      code: `import axios from 'axios';\nconst api = axios.create({ baseURL: 'https://api.example.com' });\nexport const f = () => api.get('/orders');\n`,
      errors: [{ messageId: 'axiosNoTimeout', line: 3 }],
      fixTitle: 'Add timeout to the instance: timeout: 10000',
      output: `import axios from 'axios';\nconst api = axios.create({ baseURL: 'https://api.example.com', timeout: 10000 });\nexport const f = () => api.get('/orders');\n`,
    },
    {
      name: 'instance.defaults.timeout = 0 does not count',
      code: `import axios from 'axios';\nconst api = axios.create();\napi.defaults.timeout = 0;\nexport const f = () => api.get('/orders');\n`,
      errors: [{ messageId: 'axiosNoTimeout', line: 4 }],
    },
    {
      name: 'axios.defaults.timeout does not reach instances created before it is set',
      files: { 'src/index.ts': `import axios from 'axios';\nimport './main';\naxios.defaults.timeout = 5000;\n` },
      code: `import axios from 'axios';\nconst api = axios.create({ baseURL: 'https://x' });\nexport const f = () => api.get('/orders');\n`,
      errors: [{ messageId: 'axiosNoTimeout', line: 3 }],
    },
    {
      name: 'an instance created without a timeout in another file',
      files: { 'src/clients/http.ts': `import axios from 'axios';\nexport const http = axios.create({ baseURL: 'https://x' });\n` },
      code: `import { http } from './clients/http';\nexport async function load() {\n  const { data } = await http.get<string[]>('/items');\n  return data;\n}\n`,
      errors: [{ messageId: 'axiosNoTimeout', line: 3 }],
      output: `import { http } from './clients/http';\nexport async function load() {\n  const { data } = await http.get<string[]>('/items', { timeout: 10000 });\n  return data;\n}\n`,
    },
    {
      name: 'a subclass calling the instance its imported base class created without a timeout',
      files: {
        'src/base.ts': `import axios, { type AxiosInstance } from 'axios';
import rateLimit from './rateLimit';
export class ExternalApi {
  protected axios: AxiosInstance;
  constructor(baseURL: string) {
    this.axios = axios.create({ baseURL });
    this.axios = rateLimit(this.axios);
  }
}
`,
        'src/rateLimit.ts': `import type { AxiosInstance } from 'axios';\nexport default function rateLimit(instance: AxiosInstance): AxiosInstance { return instance; }\n`,
      },
      code: `import { ExternalApi } from './base';
export class Movies extends ExternalApi {
  list() {
    return this.axios.get('/movies');
  }
}
`,
      errors: [{ messageId: 'axiosNoTimeout', line: 4 }],
    },
    {
      name: 'the default axios through require()',
      code: `import type { AxiosStatic } from 'axios';\nconst axios: AxiosStatic = require('axios');\nexport const f = (url: string) => axios.head(url);\n`,
      errors: [{ messageId: 'axiosNoTimeout', line: 3 }],
    },
    {
      name: 'got without a timeout',
      code: `import got from 'got';\nexport const f = (url: string) => got(url).json();\nexport const g = (url: string) => got.post(url, { json: { a: 1 } });\n`,
      errors: [
        { messageId: 'gotNoTimeout', line: 2 },
        { messageId: 'gotNoTimeout', line: 3 },
      ],
      output: `import got from 'got';\nexport const f = (url: string) => got(url, { timeout: { request: 10000 } }).json();\nexport const g = (url: string) => got.post(url, { json: { a: 1 }, timeout: { request: 10000 } });\n`,
    },
    {
      name: 'a got instance without a timeout',
      code: `import got from 'got';\nconst client = got.extend({ prefixUrl: 'https://x' });\nexport const f = () => client.get('y').json();\n`,
      errors: [{ messageId: 'gotNoTimeout', line: 3 }],
      output: `import got from 'got';\nconst client = got.extend({ prefixUrl: 'https://x' });\nexport const f = () => client.get('y', { timeout: { request: 10000 } }).json();\n`,
    },
    {
      name: 'ky with timeout: false',
      code: `import ky from 'ky';\nexport const f = (url: string) => ky.get(url, { timeout: false }).json();\n`,
      errors: [{ messageId: 'kyTimeoutDisabled', line: 2 }],
      output: `import ky from 'ky';\nexport const f = (url: string) => ky.get(url, { timeout: 10000 }).json();\n`,
    },
    {
      name: 'a ky instance that turned the default off',
      code: `import ky from 'ky';\nconst api = ky.create({ prefixUrl: 'https://x', timeout: false });\nexport const f = () => api.post('y', { json: {} });\n`,
      errors: [{ messageId: 'kyTimeoutDisabled', line: 3 }],
    },
    {
      name: 'undici request without options',
      code: `import { request } from 'undici';\nexport const f = (url: string) => request(url);\n`,
      errors: [{ messageId: 'undiciNoTimeout', line: 2 }],
      output: `import { request } from 'undici';\nexport const f = (url: string) => request(url, { signal: AbortSignal.timeout(10000) });\n`,
    },
    {
      name: 'undici headersTimeout: 0',
      code: `import { request } from 'undici';\nexport const f = (url: string) => request(url, { headersTimeout: 0 });\n`,
      errors: [{ messageId: 'undiciTimeoutDisabled', line: 2 }],
      output: `import { request } from 'undici';\nexport const f = (url: string) => request(url, { headersTimeout: 10000 });\n`,
    },
    {
      name: 'undici Pool and Client without timeouts',
      code: `import { Client, Pool } from 'undici';
const pool = new Pool('https://x');
const client = new Client('https://y', { pipelining: 1 });
export const f = () => pool.request({ path: '/', method: 'GET' });
export const g = () => client.request({ path: '/', method: 'POST' });
`,
      errors: [
        { messageId: 'undiciNoTimeout', line: 4 },
        { messageId: 'undiciNoTimeout', line: 5 },
      ],
      output: `import { Client, Pool } from 'undici';
const pool = new Pool('https://x');
const client = new Client('https://y', { pipelining: 1 });
export const f = () => pool.request({ path: '/', method: 'GET', signal: AbortSignal.timeout(10000) });
export const g = () => client.request({ path: '/', method: 'POST', signal: AbortSignal.timeout(10000) });
`,
    },
    {
      name: 'node:https get with a callback and no timeout',
      code: `import * as https from 'node:https';\nexport function f(url: string) {\n  https.get(url, (res) => res.resume());\n}\n`,
      errors: [{ messageId: 'httpNoTimeout', line: 3 }],
      output: `import * as https from 'node:https';\nexport function f(url: string) {\n  https.get(url, { signal: AbortSignal.timeout(10000) }, (res) => res.resume());\n}\n`,
    },
    {
      name: "a timeout option without a 'timeout' handler does not abort",
      code: `import http from 'node:http';
export function f() {
  const req = http.request({ host: 'x', path: '/', timeout: 5000 });
  req.on('error', () => undefined);
  req.end();
}
`,
      errors: [{ messageId: 'httpTimeoutNotEnforced', line: 3 }],
      output: `import http from 'node:http';
export function f() {
  const req = http.request({ host: 'x', path: '/', timeout: 5000, signal: AbortSignal.timeout(10000) });
  req.on('error', () => undefined);
  req.end();
}
`,
    },
    {
      name: "a 'timeout' handler that only logs",
      code: `import { request } from 'https';
export function f() {
  const req = request({ host: 'x' });
  req.setTimeout(5000, () => console.warn('slow'));
  req.end();
}
`,
      errors: [{ messageId: 'httpTimeoutNotEnforced', line: 3 }],
    },
  ],
});

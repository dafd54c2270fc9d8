import rule from '../../server/src/rules/missing-timeout';
import { runRuleTests } from '../ruleTester';

// Shapes met in the precision audit of real code bases (overseerr, outline, vendure,
// medusa), reduced to what made the rule right or wrong about them.

runRuleTests(rule, {
  valid: [
    {
      // vendure stellate-plugin: node-fetch 2 has its own `timeout` option (false positive, fixed).
      name: "node-fetch's own timeout option bounds the call",
      code: `import fetch from 'node-fetch';
export function purge(url: string, body: string) {
  return fetch(url, { method: 'POST', body, timeout: 5000 });
}`,
    },
    {
      // outline server/utils/fetch.ts: a wrapper that turns its `timeout` option into a
      // timer-aborted controller, or takes the caller's signal. Not guessed at.
      name: 'a wrapper that builds its signal from a timeout option or the caller signal',
      code: `export default async function request(url: string, init?: RequestInit & { timeout?: number }) {
  const { timeout, ...rest } = init || {};
  let abortController: AbortController | undefined;
  let timeoutId: ReturnType<typeof setTimeout> | undefined;
  if (timeout && !rest.signal) {
    abortController = new AbortController();
    timeoutId = setTimeout(() => abortController?.abort(), timeout);
  }
  const signal = abortController?.signal || rest.signal;
  try {
    return await fetch(url, { ...rest, signal });
  } finally {
    clearTimeout(timeoutId);
  }
}
export const ping = () => request('https://example.com/health');`,
    },
    {
      // medusa: an HTTP server's `server.listen` awaited through a promise is not request/reply.
      name: 'awaiting a server to listen',
      code: `import http from 'node:http';
export function start(server: http.Server, port: number) {
  return new Promise<void>((resolve) => {
    server.once('listening', () => resolve());
    server.listen(port);
  });
}`,
    },
  ],
  invalid: [
    {
      // vendure health check: node-fetch's timeout taken from an optional parameter.
      name: "node-fetch's timeout forwarded from a parameter: callers that omit it",
      code: `import fetch from 'node-fetch';
class HealthCheck {
  async pingCheck(url: string, timeout?: number) {
    await fetch(url, { timeout });
  }
  async check(url: string) {
    await this.pingCheck(url);
    await this.pingCheck(url, 3000);
  }
}
export default HealthCheck;
`,
      errors: [{ messageId: 'wrapperCallNoTimeout', line: 7 }],
    },
    {
      // overseerr: the base class is imported through \`export default ExternalAPI;\`.
      name: 'a base class exported as a default identifier',
      files: {
        'src/externalapi.ts': `import axios, { type AxiosInstance } from 'axios';
class ExternalAPI {
  protected axios: AxiosInstance;
  constructor(baseURL: string) {
    this.axios = axios.create({ baseURL, headers: { Accept: 'application/json' } });
  }
}
export default ExternalAPI;
`,
      },
      code: `import ExternalAPI from './externalapi';
export class Sonarr extends ExternalAPI {
  async series() {
    const response = await this.axios.get<string[]>('/series');
    return response.data;
  }
}
`,
      errors: [{ messageId: 'axiosNoTimeout', line: 4 }],
      output: `import ExternalAPI from './externalapi';
export class Sonarr extends ExternalAPI {
  async series() {
    const response = await this.axios.get<string[]>('/series', { timeout: 10000 });
    return response.data;
  }
}
`,
    },
    {
      // vendure asset import: http.get or https.get picked at run time, with a timeout option only.
      name: 'a timeout option on a conditionally chosen node:http get',
      code: `import http from 'http';
import https from 'https';
import type { IncomingMessage } from 'http';
export function fetchUrl(urlString: string): Promise<IncomingMessage> {
  return new Promise((resolve) => {
    const url = new URL(urlString);
    const get = url.protocol.startsWith('https') ? https.get : http.get;
    get(url, { timeout: 5000 }, (res) => resolve(res));
  });
}
`,
      errors: [{ messageId: 'httpTimeoutNotEnforced', line: 8 }],
      output: `import http from 'http';
import https from 'https';
import type { IncomingMessage } from 'http';
export function fetchUrl(urlString: string): Promise<IncomingMessage> {
  return new Promise((resolve) => {
    const url = new URL(urlString);
    const get = url.protocol.startsWith('https') ? https.get : http.get;
    get(url, { timeout: 5000, signal: AbortSignal.timeout(10000) }, (res) => resolve(res));
  });
}
`,
    },
    {
      // outline app/utils/files.ts: an XHR upload awaited on 'loadend', with no xhr.timeout.
      name: 'an XMLHttpRequest awaited through a promise',
      code: `export async function upload(url: string, body: Blob): Promise<boolean> {
  const xhr = new XMLHttpRequest();
  return new Promise((resolve) => {
    xhr.addEventListener('loadend', () => resolve(xhr.status >= 200 && xhr.status < 400));
    xhr.open('PUT', url, true);
    xhr.send(body);
  });
}
`,
      errors: [{ messageId: 'requestReplyNoTimeout', line: 3 }],
    },
  ],
});

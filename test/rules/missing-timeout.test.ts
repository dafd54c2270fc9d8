import rule from '../../server/src/rules/missing-timeout';
import { runRuleTests } from '../ruleTester';

runRuleTests(rule, {
  valid: [
    {
      name: 'data: and blob: URLs are read from memory, not from a server',
      code: `export async function thumbnail(canvas: HTMLCanvasElement, blob: Blob) {
  const objectUrl = URL.createObjectURL(blob);
  const copy = await (await fetch(objectUrl)).blob();
  const png = await (await fetch(canvas.toDataURL('image/png'))).blob();
  const text = await (await fetch('data:text/plain;base64,aGVsbG8=')).text();
  return { copy, png, text };
}
`,
    },
    `export async function ok(url: string) { return fetch(url, { signal: AbortSignal.timeout(5000) }); }`,
    {
      name: 'a file shipped with the module, fetched by its URL relative to import.meta.url, is no server',
      code: `const font = fetch(new URL('../../public/fonts/Inter-SemiBold.ttf', import.meta.url)).then((res) => res.arrayBuffer());
export const fontData = () => font;
`,
    },
    {
      name: 'a Request built with a signal carries it into fetch, in place, through a const or copied',
      code: `export async function inPlace(url: string) {
  return fetch(new Request(url, { signal: AbortSignal.timeout(5000) }));
}
export async function held(url: string, body: string) {
  const request = new Request(url, { method: 'POST', body, signal: AbortSignal.timeout(5000) });
  return fetch(request);
}
export async function copied(url: string) {
  const original = new Request(url, { signal: AbortSignal.timeout(5000) });
  return fetch(new Request(original, { headers: { accept: 'application/json' } }));
}
`,
    },
    {
      name: "tests and their helpers are skipped: the test runner's timeout bounds their calls",
      filename: 'test/helpers/api.ts',
      code: `export async function health(base: string) { return fetch(\`\${base}/health\`); }\n`,
    },
    {
      name: 'an e2e spec is skipped by its name',
      filename: 'src/app.e2e-spec.ts',
      code: `export async function health(base: string) { return fetch(\`\${base}/health\`); }\n`,
    },
    {
      name: 'an init object built elsewhere is not guessed at',
      code: `export async function f(url: string, init: RequestInit) { return fetch(url, init); }`,
    },
    {
      name: 'a spread may carry the signal',
      code: `export async function f(url: string, base: RequestInit) { return fetch(url, { ...base, method: 'POST' }); }`,
    },
    {
      name: 'a local function named fetch is not the global fetch',
      code: `function fetch(id: number) { return id; }\nexport const x = fetch(1);`,
    },
    {
      name: 'a parameter named fetch shadows the global',
      code: `export function f(fetch: (u: string) => Promise<unknown>) { return fetch('/x'); }`,
    },
    {
      name: 'a controller aborted by a timer bounds the call',
      code: `export async function f(url: string) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  try {
    return await fetch(url, { signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}`,
    },
    {
      name: 'a controller aborted through a named timer callback',
      code: `export async function f(url: string) {
  const controller = new AbortController();
  const onTimeout = () => controller.abort();
  const timer = setTimeout(onTimeout, 5000);
  const res = await fetch(url, { signal: controller.signal });
  clearTimeout(timer);
  return res;
}`,
    },
    {
      name: 'a controller handed to other code is not judged',
      code: `declare function registerCancellation(c: AbortController): void;
export async function f(url: string) {
  const controller = new AbortController();
  registerCancellation(controller);
  return fetch(url, { signal: controller.signal });
}`,
    },
    {
      name: 'AbortSignal.any with a timeout',
      code: `export const f = (url: string, callerSignal: AbortSignal) => fetch(url, { signal: AbortSignal.any([callerSignal, AbortSignal.timeout(3000)]) });`,
    },
    {
      name: 'a signal const built from AbortSignal.timeout',
      code: `export async function f(url: string) {\n  const signal = AbortSignal.timeout(2000);\n  return fetch(url, { signal });\n}`,
    },
    {
      name: 'an init const that carries a signal',
      code: `export async function f(url: string) {\n  const init: RequestInit = { method: 'GET', signal: AbortSignal.timeout(2000) };\n  return fetch(url, init);\n}`,
    },
    {
      name: 'a caller-supplied signal with a timeout fallback',
      code: `export async function f(url: string, signal?: AbortSignal) {\n  return fetch(url, { signal: signal ?? AbortSignal.timeout(5000) });\n}`,
    },
    {
      name: 'node-fetch with a signal',
      code: `import fetch from 'node-fetch';\nexport const f = (url: string) => fetch(url, { signal: AbortSignal.timeout(1000) });`,
    },
    {
      name: 'a method named fetch on some other object is not fetch',
      code: `interface Repo { fetch(id: string): Promise<string> }\nexport const f = (repo: Repo) => repo.fetch('42');`,
    },
    {
      name: 'a fetch imported from a project module is not the global',
      files: { 'src/api.ts': `export async function fetch(id: number): Promise<number> { return id; }\n` },
      code: `import { fetch } from './api';\nexport const f = () => fetch(1);`,
    },
    {
      name: 'a 5,000-deep options expression does not exhaust the stack',
      code: `declare const a: RequestInit | undefined;\nexport const f = (url: string) => fetch(url, ${'a || '.repeat(5000)}a);\nexport const g = (url: string) => fetch(url, ${'('.repeat(5000)}a${')'.repeat(5000)});`,
    },
    {
      name: 'suppressed on the next line with a reason',
      code: `export async function f(url: string) {\n  // resilint-disable-next-line missing-timeout -- streaming endpoint, cancelled by the caller\n  return fetch(url);\n}`,
    },
    {
      name: 'suppressed for the whole file',
      code: `/* resilint-disable missing-timeout -- test helpers */\nexport const f = (url: string) => fetch(url);`,
    },
    {
      name: 'the directive inside a string does not suppress',
      code: `export const s = '// resilint-disable missing-timeout';\nexport const f = (url: string) => fetch(url, { signal: AbortSignal.timeout(1) });`,
    },
  ],
  invalid: [
    {
      name: 'an absolute URL resolved against import.meta.url is still fetched from its server',
      code: `export const load = () => fetch(new URL('https://cdn.example.com/font.ttf', import.meta.url));
export const users = () => fetch(new URL('/api/users', import.meta.url));
`,
      errors: [{ messageId: 'fetchNoTimeout', line: 1 }, { messageId: 'fetchNoTimeout', line: 2 }],
      output: `export const load = () => fetch(new URL('https://cdn.example.com/font.ttf', import.meta.url), { signal: AbortSignal.timeout(10000) });
export const users = () => fetch(new URL('/api/users', import.meta.url), { signal: AbortSignal.timeout(10000) });
`,
    },
    {
      name: 'a Request built without a signal does not bound fetch; the fix gives fetch its own',
      code: `export async function post(url: string, body: string) {
  const request = new Request(url, { method: 'POST', body });
  return fetch(request);
}
`,
      errors: [{ messageId: 'fetchNoTimeout', line: 3 }],
      output: `export async function post(url: string, body: string) {
  const request = new Request(url, { method: 'POST', body });
  return fetch(request, { signal: AbortSignal.timeout(10000) });
}
`,
    },
    {
      name: 'a URL with data: further in is fetched from a server',
      code: `const PROXY = 'https://proxy.example.com/?u=data:text/plain,hi';
export const rows = () => fetch(PROXY);
`,
      errors: [{ messageId: 'fetchNoTimeout', line: 2 }],
    },
    {
      name: 'tests are checked when checkTests is on',
      filename: 'test/helpers/api.ts',
      options: { checkTests: true },
      code: `export async function health(base: string) { return fetch(\`\${base}/health\`); }\n`,
      errors: [{ messageId: 'fetchNoTimeout', line: 1 }],
      output: `export async function health(base: string) { return fetch(\`\${base}/health\`, { signal: AbortSignal.timeout(10000) }); }\n`,
    },
    {
      code: `export async function f(url: string) {\n  const res = await fetch(url);\n  return res.json();\n}\n`,
      errors: [{ messageId: 'fetchNoTimeout', line: 2, message: 'fetch() has no timeout: if the server stops responding, this call waits forever.' }],
      output: `export async function f(url: string) {\n  const res = await fetch(url, { signal: AbortSignal.timeout(10000) });\n  return res.json();\n}\n`,
    },
    {
      name: 'adds to an inline init object',
      code: `export const f = (url: string) => fetch(url, { method: 'POST' });\n`,
      errors: [{ messageId: 'fetchNoTimeout', line: 1 }],
      output: `export const f = (url: string) => fetch(url, { method: 'POST', signal: AbortSignal.timeout(10000) });\n`,
    },
    {
      name: 'adds to a multi-line init object with a trailing comma, using the configured timeout',
      options: { timeoutMs: 2500 },
      code: `export const f = (url: string) =>\n  fetch(url, {\n    method: 'POST',\n    body: '{}',\n  });\n`,
      errors: [{ messageId: 'fetchNoTimeout', line: 2 }],
      output: `export const f = (url: string) =>\n  fetch(url, {\n    method: 'POST',\n    body: '{}',\n    signal: AbortSignal.timeout(2500),\n  });\n`,
    },
    {
      name: 'empty init object',
      code: `export const f = (url: string) => fetch(url, {});\n`,
      errors: [{ messageId: 'fetchNoTimeout', line: 1 }],
      output: `export const f = (url: string) => fetch(url, { signal: AbortSignal.timeout(10000) });\n`,
    },
    {
      name: 'globalThis.fetch',
      code: `export const f = (url: string) => globalThis.fetch(url);\n`,
      errors: [{ messageId: 'fetchNoTimeout', line: 1 }],
      output: `export const f = (url: string) => globalThis.fetch(url, { signal: AbortSignal.timeout(10000) });\n`,
    },
    {
      name: 'a next-line directive for another rule does not suppress',
      code: `// resilint-disable-next-line unbounded-cache\nexport const f = (url: string) => fetch(url);\n`,
      errors: [{ messageId: 'fetchNoTimeout', line: 2 }],
    },
    {
      name: 'a controller that is only aborted on an event never times out; the fix merges a timeout',
      code: `import { EventEmitter } from 'node:events';
export async function f(url: string, request: EventEmitter) {
  const controller = new AbortController();
  request.on('close', () => controller.abort());
  return fetch(url, { signal: controller.signal });
}
`,
      errors: [{ messageId: 'signalNeverAborts', line: 5, message: 'fetch() gets an AbortSignal that no timer aborts: if the server stops responding, this call waits forever.' }],
      output: `import { EventEmitter } from 'node:events';
export async function f(url: string, request: EventEmitter) {
  const controller = new AbortController();
  request.on('close', () => controller.abort());
  return fetch(url, { signal: AbortSignal.any([controller.signal, AbortSignal.timeout(10000)]) });
}
`,
    },
    {
      name: 'a shorthand signal from a controller nothing aborts',
      code: `export async function f(url: string) {
  const controller = new AbortController();
  const signal = controller.signal;
  return fetch(url, { signal });
}
`,
      errors: [{ messageId: 'signalNeverAborts', line: 4 }],
      output: `export async function f(url: string) {
  const controller = new AbortController();
  const signal = controller.signal;
  return fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(10000)]) });
}
`,
    },
    {
      name: 'node-fetch default import',
      code: `import fetch from 'node-fetch';\nexport const f = (url: string) => fetch(url);\n`,
      errors: [{ messageId: 'fetchNoTimeout', line: 2 }],
      output: `import fetch from 'node-fetch';\nexport const f = (url: string) => fetch(url, { signal: AbortSignal.timeout(10000) });\n`,
    },
    {
      name: 'undici fetch through a namespace import',
      code: `import * as undici from 'undici';\nexport const f = (url: string) => undici.fetch(url, { method: 'POST' });\n`,
      errors: [{ messageId: 'fetchNoTimeout', line: 2 }],
      output: `import * as undici from 'undici';\nexport const f = (url: string) => undici.fetch(url, { method: 'POST', signal: AbortSignal.timeout(10000) });\n`,
    },
    {
      name: 'an init const without a signal is spread into a new object',
      code: `export async function f(url: string) {\n  const init = { method: 'DELETE' };\n  return fetch(url, init);\n}\n`,
      errors: [{ messageId: 'fetchNoTimeout', line: 3 }],
      output: `export async function f(url: string) {\n  const init = { method: 'DELETE' };\n  return fetch(url, { ...init, signal: AbortSignal.timeout(10000) });\n}\n`,
    },
    {
      name: 'a then-chain is not a timeout',
      code: `export const f = (url: string) => fetch(url).then((r) => r.json());\n`,
      errors: [{ messageId: 'fetchNoTimeout', line: 1 }],
    },
    {
      name: 'setTimeout around a call schedules it, it does not bound it',
      code: `export function later(url: string) {\n  setTimeout(() => void fetch(url), 1000);\n}\n`,
      errors: [{ messageId: 'fetchNoTimeout', line: 2 }],
    },
    {
      name: 'CRLF files keep CRLF',
      code: `export const f = (url: string) =>\r\n  fetch(url, {\r\n    method: 'GET'\r\n  });\r\n`,
      errors: [{ messageId: 'fetchNoTimeout', line: 2 }],
      output: `export const f = (url: string) =>\r\n  fetch(url, {\r\n    method: 'GET',\r\n    signal: AbortSignal.timeout(10000)\r\n  });\r\n`,
    },
  ],
});

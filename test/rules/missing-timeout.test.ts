import rule from '../../server/src/rules/missing-timeout';
import { runRuleTests } from '../ruleTester';

runRuleTests(rule, {
  valid: [
    `export async function ok(url: string) { return fetch(url, { signal: AbortSignal.timeout(5000) }); }`,
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
      name: 'CRLF files keep CRLF',
      code: `export const f = (url: string) =>\r\n  fetch(url, {\r\n    method: 'GET'\r\n  });\r\n`,
      errors: [{ messageId: 'fetchNoTimeout', line: 2 }],
      output: `export const f = (url: string) =>\r\n  fetch(url, {\r\n    method: 'GET',\r\n    signal: AbortSignal.timeout(10000)\r\n  });\r\n`,
    },
  ],
});

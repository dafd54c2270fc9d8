import rule from '../../server/src/rules/retry-without-backoff';
import { runRuleTests } from '../ruleTester';

// Fixes: every output below is type-checked with the real compiler by the rule tester.

const API = `declare const api: { get(url: string): Promise<string> };\ndeclare function sleep(ms: number): Promise<void>;\n`;
const RETRY_PATTERN = /^\/\/ resilint-pattern: retry v\d+/;

runRuleTests(rule, {
  valid: [],
  invalid: [
    {
      name: 'delay fix: a constant delay becomes capped exponential backoff with full jitter on the loop counter',
      code: `${API}export async function get(url: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await api.get(url);
    } catch {
      await sleep(1000);
    }
  }
  return undefined;
}
`,
      errors: [{ messageId: 'constantDelay', line: 6 }],
      output: `${API}export async function get(url: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await api.get(url);
    } catch {
      await sleep(Math.random() * Math.min(30000, 1000 * 2 ** attempt));
    }
  }
  return undefined;
}
`,
    },
    {
      name: 'delay fix: a linear delay keeps its step as the base, and the configured cap is used',
      options: { maxDelayMs: 8000 },
      code: `${API}export async function get(url: string) {
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      return await api.get(url);
    } catch {
      const wait = attempt * 250;
      await sleep(wait);
    }
  }
  return undefined;
}
`,
      errors: [{ messageId: 'linearDelay', line: 6 }],
      output: `${API}export async function get(url: string) {
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      return await api.get(url);
    } catch {
      const wait = Math.random() * Math.min(8000, 250 * 2 ** attempt);
      await sleep(wait);
    }
  }
  return undefined;
}
`,
    },
    {
      name: 'delay fix: exponential without jitter or cap gets both',
      code: `${API}export async function get(url: string) {
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      return await api.get(url);
    } catch {
      await sleep(1000 * 2 ** attempt);
    }
  }
  return undefined;
}
`,
      errors: [{ messageId: 'noJitter', line: 6 }],
      output: `${API}export async function get(url: string) {
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      return await api.get(url);
    } catch {
      await sleep(Math.random() * Math.min(30000, 1000 * 2 ** attempt));
    }
  }
  return undefined;
}
`,
    },
    {
      name: 'delay fix: a delay computed before the loop is scaled where it is used, inside the loop',
      code: `${API}export async function get(url: string, retryDelay?: number) {
  const delay = Math.max(retryDelay ?? 25, 1);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await api.get(url);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  return undefined;
}
`,
      errors: [{ messageId: 'constantDelay', line: 7 }],
      output: `${API}export async function get(url: string, retryDelay?: number) {
  const delay = Math.max(retryDelay ?? 25, 1);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await api.get(url);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(30000, delay * 2 ** attempt)));
    }
  }
  return undefined;
}
`,
    },
    {
      name: 'delay fix: a retryStrategy callback backs off on its attempt parameter',
      code: `export const options = {
  retryStrategy(times: number) {
    return times * 200;
  },
};
`,
      errors: [{ messageId: 'linearDelay', line: 2 }],
      output: `export const options = {
  retryStrategy(times: number) {
    return Math.random() * Math.min(30000, 200 * 2 ** times);
  },
};
`,
    },
    {
      name: 'delay fix: a reconnect with an attempts field',
      code: `declare class Socket { constructor(url: string); on(event: 'close', listener: () => void): void }
export class Client {
  private attempts = 0;
  connect(): void {
    const socket = new Socket('wss://example.test');
    socket.on('close', () => {
      this.attempts++;
      setTimeout(() => this.connect(), 2000);
    });
  }
}
`,
      errors: [{ messageId: 'constantDelay', line: 8 }],
      output: `declare class Socket { constructor(url: string); on(event: 'close', listener: () => void): void }
export class Client {
  private attempts = 0;
  connect(): void {
    const socket = new Socket('wss://example.test');
    socket.on('close', () => {
      this.attempts++;
      setTimeout(() => this.connect(), Math.random() * Math.min(30000, 2000 * 2 ** this.attempts));
    });
  }
}
`,
    },
    {
      name: 'no delay fix without a counter to grow on, and no replacement when giving up does something else',
      code: `${API}export async function get(url: string) {
  while (true) {
    try {
      return await api.get(url);
    } catch {
      await sleep(500);
    }
  }
}
export async function getOrNull(url: string) {
  for (let i = 0; i < 3; i++) {
    try {
      return await api.get(url);
    } catch {
      // again
    }
  }
  return null;
}
`,
      errors: [
        { messageId: 'constantDelay', line: 6 },
        { messageId: 'noDelay', line: 15 },
      ],
      output: `import { retry } from './resilience/retry';

${API}export async function get(url: string) {
  return await retry(async () => api.get(url), { maxAttempts: 5, baseDelay: 500 });
}
export async function getOrNull(url: string) {
  for (let i = 0; i < 3; i++) {
    try {
      return await api.get(url);
    } catch {
      // again
    }
  }
  return null;
}
`,
    },
    {
      name: 'replacement: a counted while loop becomes retry() with the same attempts and base delay',
      code: `import { sleep } from './time';
declare const api: { get(url: string): Promise<string> };

export async function getUser(id: string) {
  let attempt = 0;
  while (true) {
    try {
      return await api.get(\`/users/\${id}\`);
    } catch (err) {
      attempt++;
      if (attempt >= 4) throw err;
      await sleep(1000);
    }
  }
}
`,
      files: { 'src/time.ts': `export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));\n` },
      errors: [{ messageId: 'constantDelay', line: 8 }],
      fixTitle: /^Replace with retry\(\)/,
      output: `import { sleep } from './time';
import { retry } from './resilience/retry';
declare const api: { get(url: string): Promise<string> };

export async function getUser(id: string) {
  return await retry(async () => api.get(\`/users/\${id}\`), { maxAttempts: 4, baseDelay: 1000 });
}
`,
      createdFiles: { 'src/resilience/retry.ts': RETRY_PATTERN },
    },
    {
      name: 'replacement: a for loop with a limit variable, an error filter, logging and a rethrow after the loop',
      code: `declare const api: { get(url: string): Promise<{ id: string }> };
declare function isTransient(error: unknown): boolean;

export async function load(url: string, maxRetries: number) {
  let lastError: unknown;
  for (let i = 0; i <= maxRetries; i++) {
    try {
      const response = await api.get(url);
      return response.id;
    } catch (error) {
      if (!isTransient(error)) throw error;
      lastError = error;
      console.warn('retrying', error);
    }
  }
  throw lastError;
}
`,
      errors: [{ messageId: 'noDelay', line: 8 }],
      output: `import { retry } from './resilience/retry';

declare const api: { get(url: string): Promise<{ id: string }> };
declare function isTransient(error: unknown): boolean;

export async function load(url: string, maxRetries: number) {
  return await retry(async () => {
    const response = await api.get(url);
    return response.id;
  }, {
    maxAttempts: maxRetries + 1,
    shouldRetry: (error) => isTransient(error),
    onRetry: ({ error }) => console.warn('retrying', error),
  });
}
`,
      createdFiles: { 'src/resilience/retry.ts': RETRY_PATTERN },
    },
    {
      name: 'replacement: a catch variable that is `any` in this project keeps its type in the moved filter',
      compilerOptions: { useUnknownInCatchVariables: false },
      code: `${API}export async function get(url: string) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await api.get(url);
    } catch (e) {
      if (e.status === 404 || attempt === 2) throw e;
    }
  }
}
`,
      errors: [{ messageId: 'noDelay', line: 6 }],
      output: `import { retry } from './resilience/retry';

${API}export async function get(url: string) {
  return await retry(async () => api.get(url), {
    maxAttempts: 3,
    shouldRetry: (e: any) => e.status !== 404,
  });
}
`,
    },
    {
      name: 'replacement: an unbounded loop gets the configured attempt limit',
      options: { maxAttempts: 7 },
      code: `${API}export async function get(url: string) {
  for (;;) {
    try {
      return await api.get(url);
    } catch {
      // again
    }
  }
}
`,
      errors: [{ messageId: 'noDelay', line: 6 }],
      output: `import { retry } from './resilience/retry';

${API}export async function get(url: string) {
  return await retry(async () => api.get(url), { maxAttempts: 7 });
}
`,
    },
    {
      name: 'replacement: an exponential delay variable carries its start and cap',
      code: `${API}export async function get(url: string) {
  let delay = 200;
  let tries = 0;
  while (true) {
    try {
      return await api.get(url);
    } catch (err) {
      tries++;
      if (tries === 6) throw err;
      await sleep(delay);
      delay = Math.min(delay * 2, 5000);
    }
  }
}
`,
      errors: [{ messageId: 'noJitter', line: 8 }],
      fixTitle: /^Replace with retry\(\)/,
      output: `import { retry } from './resilience/retry';

${API}export async function get(url: string) {
  return await retry(async () => api.get(url), { maxAttempts: 6, baseDelay: 200, maxDelay: 5000 });
}
`,
    },
    {
      name: 'replacement: a recursive retry keeps its parameters and counts its attempts from them',
      code: `${API}export async function get(url: string, retries = 3, delay = 500): Promise<string> {
  try {
    return await api.get(url);
  } catch (err) {
    if (retries <= 0) throw err;
    await sleep(delay);
    return get(url, retries - 1, delay * 2);
  }
}
`,
      errors: [{ messageId: 'noJitter', line: 9 }],
      fixTitle: /^Replace with retry\(\)/,
      output: `import { retry } from './resilience/retry';

${API}export async function get(url: string, retries = 3, delay = 500): Promise<string> {
  return await retry(async () => api.get(url), { maxAttempts: retries + 1, baseDelay: delay });
}
`,
    },
    {
      name: 'replacement: a guarded self-call in a method',
      code: `${API}export class Users {
  async find(id: string, attemptsLeft = 2): Promise<string> {
    try {
      return await api.get(id);
    } catch (error) {
      if (attemptsLeft > 0) {
        return this.find(id, attemptsLeft - 1);
      }
      throw error;
    }
  }
}
`,
      errors: [{ messageId: 'noDelay', line: 9 }],
      output: `import { retry } from './resilience/retry';

${API}export class Users {
  async find(id: string, attemptsLeft = 2): Promise<string> {
    return await retry(async () => api.get(id), { maxAttempts: attemptsLeft + 1 });
  }
}
`,
    },
    {
      name: 'no p-retry replacement either when giving up does something else than rethrowing',
      packageJson: { dependencies: { 'p-retry': '^7.0.0' } },
      code: `import { api } from './api';

export async function get(url: string, maxRetries: number) {
  for (let i = 0; i <= maxRetries; i++) {
    try {
      return await api.get(url);
    } catch (error) {
      if (i === maxRetries) throw error;
    }
  }
  throw new Error('unreachable');
}
`,
      files: { 'src/api.ts': `export const api = { get: async (url: string) => url };\n` },
      errors: [{ messageId: 'noDelay', line: 6 }],
      fixTitle: /p-retry/,
      output: null,
    },
    {
      name: 'replacement with p-retry when the project depends on it (the loop cannot end by itself)',
      packageJson: { dependencies: { 'p-retry': '^7.0.0' } },
      code: `import { api } from './api';

export async function get(url: string, maxRetries: number) {
  for (let i = 0; ; i++) {
    try {
      return await api.get(url);
    } catch (error) {
      if (i >= maxRetries) throw error;
    }
  }
}
`,
      files: { 'src/api.ts': `export const api = { get: async (url: string) => url };\n` },
      errors: [{ messageId: 'noDelay', line: 6 }],
      fixTitle: /p-retry/,
      output: `import { api } from './api';
import pRetry from 'p-retry';

export async function get(url: string, maxRetries: number) {
  return await pRetry(async () => api.get(url), {
    retries: maxRetries,
    maxTimeout: 30000,
    randomize: true,
  });
}
`,
    },
    {
      name: 'no replacement inside a function that is itself called retry (the import would be shadowed)',
      code: `${API}export async function retry(url: string) {
  for (;;) {
    try {
      return await api.get(url);
    } catch {
      // again
    }
  }
}
`,
      errors: [{ messageId: 'noDelay', line: 6 }],
      output: null,
    },
    {
      name: 'delay fix: the duration passed to a wait helper is rewritten where it is passed, and a cap already there is kept',
      files: { 'src/time.ts': `export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));\n` },
      code: `import { sleep } from './time';
declare const api: { get(url: string): Promise<string> };
export async function get(url: string) {
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      return await api.get(url);
    } catch {
      await sleep(Math.min(attempt * 400, 2000));
    }
  }
  return undefined;
}
`,
      errors: [{ messageId: 'linearDelay', line: 6 }],
      output: `import { sleep } from './time';
declare const api: { get(url: string): Promise<string> };
export async function get(url: string) {
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      return await api.get(url);
    } catch {
      await sleep(Math.random() * Math.min(2000, 400 * 2 ** attempt));
    }
  }
  return undefined;
}
`,
    },
    {
      name: 'replacement: a recursive retry of a call whose result is not used',
      code: `declare const payments: { capture(id: string): Promise<void> };
export async function capture(id: string, retries = 3): Promise<void> {
  try {
    await payments.capture(id);
  } catch (error) {
    if (retries === 0) throw error;
    return capture(id, retries - 1);
  }
}
`,
      errors: [{ messageId: 'noDelay', line: 7 }],
      output: `import { retry } from './resilience/retry';

declare const payments: { capture(id: string): Promise<void> };
export async function capture(id: string, retries = 3): Promise<void> {
  return await retry(async () => {
    await payments.capture(id);
  }, {
    maxAttempts: retries + 1,
  });
}
`,
    },
    {
      name: 'library fix: axios-retry gets exponentialDelay',
      files: { 'src/types.d.ts': `declare module 'axios-retry' {
  import type { AxiosInstance } from 'axios';
  interface AxiosRetry { (client: AxiosInstance, options?: { retries?: number; retryDelay?: (retryCount: number) => number }): void; exponentialDelay(retryCount: number): number }
  const axiosRetry: AxiosRetry;
  export default axiosRetry;
}
` },
      code: `import axios from 'axios';
import axiosRetry from 'axios-retry';
export const client = axios.create();
axiosRetry(client, { retries: 3 });
`,
      errors: [{ messageId: 'libraryWithoutBackoff', line: 4 }],
      output: `import axios from 'axios';
import axiosRetry from 'axios-retry';
export const client = axios.create();
axiosRetry(client, { retries: 3, retryDelay: axiosRetry.exponentialDelay });
`,
    },
    {
      name: 'library fix: fetch-retry gets a retryDelay that backs off',
      files: { 'src/types.d.ts': `declare module 'fetch-retry' {
  type Delay = number | ((attempt: number, error: Error | null, response: Response | null) => number);
  export default function fetchRetry(fetch: typeof globalThis.fetch, defaults?: { retries?: number; retryDelay?: Delay }): typeof globalThis.fetch;
}
` },
      code: `import fetchRetry from 'fetch-retry';
export const fetchWithRetry = fetchRetry(fetch);
export const other = fetchRetry(fetch, { retries: 2, retryDelay: 500 });
`,
      errors: [
        { messageId: 'libraryWithoutBackoff', line: 2 },
        { messageId: 'libraryWithoutBackoff', line: 3 },
      ],
      output: `import fetchRetry from 'fetch-retry';
export const fetchWithRetry = fetchRetry(fetch, { retryDelay: (attempt) => Math.random() * Math.min(30000, 1000 * 2 ** attempt) });
export const other = fetchRetry(fetch, { retries: 2, retryDelay: (attempt) => Math.random() * Math.min(30000, 500 * 2 ** attempt) });
`,
    },
    {
      name: 'library fix: p-retry factor 1 → 2',
      code: `import pRetry from 'p-retry';
declare function load(): Promise<string>;
export const value = pRetry(load, { retries: 5, factor: 1 });
`,
      errors: [{ messageId: 'libraryWithoutBackoff', line: 3 }],
      output: `import pRetry from 'p-retry';
declare function load(): Promise<string>;
export const value = pRetry(load, { retries: 5, factor: 2 });
`,
    },
    {
      name: 'library fix: cockatiel gets an ExponentialBackoff, imported next to retry',
      code: `import { handleAll, retry } from 'cockatiel';
export const policy = retry(handleAll, { maxAttempts: 3 });
`,
      errors: [{ messageId: 'libraryWithoutBackoff', line: 2 }],
      output: `import { handleAll, retry, ExponentialBackoff } from 'cockatiel';
export const policy = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });
`,
    },
    {
      name: 'library fix: cockatiel ConstantBackoff is replaced and its unused import dropped',
      compilerOptions: { noUnusedLocals: true },
      code: `import { ConstantBackoff, ExponentialBackoff, handleAll, retry } from 'cockatiel';
export const policy = retry(handleAll, { maxAttempts: 3, backoff: new ConstantBackoff(50) });
export const other = new ExponentialBackoff();
`,
      errors: [{ messageId: 'libraryWithoutBackoff', line: 2 }],
      output: `import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
export const policy = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });
export const other = new ExponentialBackoff();
`,
    },
    {
      name: 'library fix: cockatiel ConstantBackoff imported last is swapped for ExponentialBackoff in the import',
      compilerOptions: { noUnusedLocals: true },
      code: `import { handleAll, retry, ConstantBackoff } from 'cockatiel';
export const policy = retry(handleAll, { maxAttempts: 3, backoff: new ConstantBackoff(50) });
`,
      errors: [{ messageId: 'libraryWithoutBackoff', line: 2 }],
      output: `import { handleAll, retry, ExponentialBackoff } from 'cockatiel';
export const policy = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });
`,
    },
    {
      name: 'library fix: a ConstantBackoff import still used elsewhere is kept',
      compilerOptions: { noUnusedLocals: true },
      code: `import { ConstantBackoff, handleAll, retry } from 'cockatiel';
export const policy = retry(handleAll, { maxAttempts: 3, backoff: new ConstantBackoff(50) });
export const polling = new ConstantBackoff(1000);
`,
      errors: [{ messageId: 'libraryWithoutBackoff', line: 2 }],
      output: `import { ConstantBackoff, handleAll, retry, ExponentialBackoff } from 'cockatiel';
export const policy = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });
export const polling = new ConstantBackoff(1000);
`,
    },
  ],
});

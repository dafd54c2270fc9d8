import rule from '../../server/src/rules/retry-without-backoff';
import { runRuleTests } from '../ruleTester';

// Detection: every retry shape, each defect, and the false-positive classes found while
// auditing real code bases (each named after what it is, not where it was found).

const API = `declare const api: { get(url: string): Promise<string> };\ndeclare function sleep(ms: number): Promise<void>;\n`;

runRuleTests(rule, {
  valid: [
    {
      name: 'exponential backoff with full jitter, a cap and an attempt limit',
      code: `${API}export async function get(url: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await api.get(url);
    } catch (error) {
      if (attempt === 4) throw error;
      await sleep(Math.random() * Math.min(30_000, 100 * 2 ** attempt));
    }
  }
  throw new Error('unreachable');
}
`,
    },
    {
      name: 'a loop over items that moves on to the next item after a failure',
      code: `${API}export async function all(urls: string[]) {
  for (const url of urls) {
    try {
      await api.get(url);
    } catch (error) {
      console.error(error);
      continue;
    }
  }
}
`,
    },
    {
      name: 'failover across mirrors is not a retry of the same call',
      code: `${API}export async function first(mirrors: string[]) {
  for (const mirror of mirrors) {
    try {
      return await api.get(mirror);
    } catch {
      // next mirror
    }
  }
  return undefined;
}
`,
    },
    {
      name: 'a consumer loop that processes messages is not a retry',
      code: `declare const queue: { receive(): Promise<string | undefined> };
declare function handle(message: string): Promise<void>;
export async function consume() {
  while (true) {
    const message = await queue.receive();
    if (!message) return;
    try {
      await handle(message);
    } catch (error) {
      console.error(error);
    }
  }
}
`,
    },
    {
      name: 'a scheduler ticking at a fixed interval is not a retry',
      code: `declare function refreshPrices(): Promise<void>;
export const timer = setInterval(() => void refreshPrices(), 60_000);
`,
    },
    {
      name: 'a function that reschedules itself on success is polling, not retrying',
      code: `declare function collect(): Promise<void>;
export function poll(): void {
  void collect().then(() => setTimeout(poll, 5000));
}
`,
    },
    {
      name: 'a batch loop that ends when a batch comes back short (not a success exit)',
      code: `declare function processBatch(): Promise<number>;
declare function skipBatch(): Promise<void>;
export async function drain() {
  while (true) {
    try {
      const updated = await processBatch();
      if (updated < 100) break;
    } catch (error) {
      await skipBatch();
    }
  }
}
`,
    },
    {
      name: 'retrying only a uniqueness conflict resolves a race between writers',
      code: `class UniqueConstraintError extends Error {}
export async function retryOnConflict<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof UniqueConstraintError) || attempt >= attempts) throw err;
    }
  }
}
`,
    },
    {
      name: 'retrying only a deadlock or serialization failure resolves a race between transactions',
      code: `declare function runTransaction<T>(fn: () => Promise<T>): Promise<T>;
const isDeadlockError = (error: unknown) => error instanceof Error && /deadlock detected|40P01/.test(error.message);
export async function withDeadlockRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runTransaction(fn);
    } catch (error) {
      if (attempt >= 3 || !isDeadlockError(error)) throw error;
    }
  }
}
export async function withSerializableRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runTransaction(fn);
    } catch (error) {
      if (attempt >= 3 || (error as { code?: string }).code !== 'P2034') throw error;
    }
  }
}
`,
    },
    {
      name: 'one retry whose limit is a module constant: one wait, whose growth cannot matter',
      code: `const MAX_RETRIES = 1;
export async function fetchWithRetry(url: string): Promise<Response> {
  let lastError: unknown;
  for (let attempt = 0; attempt <= MAX_RETRIES; attempt++) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(5000) });
    } catch (error) {
      lastError = error;
      if (attempt === MAX_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
  throw lastError;
}
`,
    },
    {
      name: 'p-retry with minTimeout 0 whose awaited onFailedAttempt does the backoff itself',
      code: `import pRetry from 'p-retry';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export function withRetry<T>(operation: () => Promise<T>) {
  return pRetry(operation, {
    retries: 3,
    minTimeout: 0,
    onFailedAttempt: async (error) => {
      const delay = Math.min(2000 * 2 ** (error.attemptNumber - 1), 60_000);
      await sleep(delay + Math.random() * 0.1 * delay);
    },
  });
}
`,
    },
    {
      name: 'trying each item of an awaited list in turn is a search, not a retry (the await is no wait)',
      code: `declare function getPlugins(): Promise<string[]>;
export async function pluginLocale(lng: string): Promise<unknown> {
  for (const plugin of await getPlugins()) {
    try {
      const response = await fetch(\`http://\${plugin}/locales/\${lng}.json\`, { signal: AbortSignal.timeout(5000) });
      if (response.ok) return await response.json();
    } catch {
      console.log(\`no locale from \${plugin}\`);
    }
  }
  return null;
}
`,
    },
    {
      name: "retrying only MongoDB's or MySQL's numeric duplicate-key code is a uniqueness conflict",
      code: `import { Model } from 'mongoose';
declare const Apps: Model<{ clientId: string }>;
declare function newClientId(): string;
export async function createApp(attempt = 0): Promise<unknown> {
  if (attempt >= 5) throw new Error('no unique client id');
  try {
    return await Apps.create({ clientId: newClientId() });
  } catch (e: any) {
    if (e?.code === 11000) return createApp(attempt + 1);
    throw e;
  }
}
declare function insertRow(slug: string): Promise<void>;
export async function insertWithFreshSlug(slug: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await insertRow(\`\${slug}-\${attempt}\`);
    } catch (error: any) {
      if (error.errno !== 1062) throw error;
    }
  }
}
`,
    },
    {
      name: 'waiting for a local file to appear polls the disk, not a dependency',
      code: `import { promises as fs } from 'node:fs';
declare function pause(): Promise<void>;
export async function waitForFile(path: string) {
  for (let attempts = 0; attempts < 10; attempts++) {
    try {
      return await fs.readFile(path, 'utf-8');
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error('missing ' + path);
}
`,
    },
    {
      name: 'resetting a counter on success is not leaving the loop',
      code: `declare function createOrder(): Promise<void>;
export async function generate(count: number) {
  let created = 0;
  let failures = 0;
  while (created < count && failures < 5) {
    try {
      await createOrder();
      created++;
      failures = 0;
    } catch (error) {
      failures++;
    }
  }
}
`,
    },
    {
      name: 'polling a job until it has finished (status compared with words) is not a retry',
      code: `declare function getJob(id: string): Promise<{ status: string }>;
export async function waitForJob(id: string) {
  for (let attempt = 0; attempt < 30; attempt++) {
    const job = await getJob(id);
    if (job.status === 'finished') return job;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error('timed out');
}
`,
    },
    {
      name: 'a reconnect that backs off exponentially with jitter and a cap may run for ever',
      code: `declare class Socket { constructor(url: string); on(event: 'close', listener: () => void): void }
export class Client {
  private attempts = 0;
  private socket: Socket | undefined;
  connect(): void {
    this.socket = new Socket('wss://example.test');
    this.socket.on('close', () => {
      this.attempts++;
      setTimeout(() => this.connect(), Math.random() * Math.min(30_000, 500 * 2 ** this.attempts));
    });
  }
}
`,
    },
    {
      name: 'refreshing a token before trying again is a recovery, not a blind retry',
      code: `declare const http: { get(url: string): Promise<string> };
declare function refreshToken(): Promise<void>;
export async function request(url: string): Promise<string> {
  try {
    return await http.get(url);
  } catch (error) {
    await refreshToken();
    return request(url);
  }
}
`,
    },
    {
      name: 'a recursive reconnect that waits at the start of the next attempt (sleep from a package, by name)',
      code: `import { sleep } from '@acme/internal-utils';
declare const connection: { open(): Promise<void> };
declare const options: { retryDelayMs(attempt: number): number };
export function reconnect(): Promise<void> {
  const tryReconnect = async (attemptIndex: number): Promise<void> => {
    try {
      await sleep(options.retryDelayMs(attemptIndex));
      await connection.open();
    } catch {
      await tryReconnect(attemptIndex + 1);
    }
  };
  return tryReconnect(0);
}
`,
      files: { 'src/types.d.ts': `declare module '@acme/internal-utils' { export function sleep(ms: number): Promise<void>; }\n` },
    },
    {
      name: 'switching to other credentials before trying again is a recovery',
      code: `declare const config: { get(key: string): string; set(key: string, value: string): void };
declare function databaseExists(): Promise<boolean>;
export async function ensureDatabase(): Promise<boolean> {
  try {
    return await databaseExists();
  } catch (e) {
    if ((e as { code?: string }).code === 'ORA-01017' && config.get('user') !== 'system') {
      config.set('user', 'system');
      return ensureDatabase();
    }
    throw e;
  }
}
`,
    },
    {
      name: 'playing again after muting the element is a different call',
      code: `export function play(element: HTMLMediaElement): void {
  element.play().catch(() => {
    element.muted = true;
    element.play().catch(() => undefined);
  });
}
`,
    },
    {
      name: 'calling itself with other options is a fallback, not a retry',
      code: `declare function openTracks(options: { audio: boolean; exact: boolean }): Promise<MediaStream>;
export async function createTracks(options: { audio: boolean; exact: boolean }): Promise<MediaStream> {
  try {
    return await openTracks(options);
  } catch (e) {
    if (!options.exact) throw e;
    return createTracks({ ...options, exact: false });
  }
}
`,
    },
    {
      name: 'an attempt that waits before it starts over (the delay is inside the operation)',
      code: `declare function retryWait(retries: number): Promise<void>;
declare function open(): Promise<void>;
let retrying = false;
let retries = 0;
async function connect(): Promise<void> {
  await new Promise<void>((resolve) =>
    void (async () => {
      if (retrying) {
        await retryWait(retries);
        retries++;
      }
      await open();
      resolve();
    })(),
  );
}
export async function keepConnected(): Promise<void> {
  for (;;) {
    try {
      return await connect();
    } catch {
      retrying = true;
    }
  }
}
`,
    },
    {
      name: 'a poller that reschedules itself after success and after errors alike',
      code: `declare function fetchEvents(): Promise<string[]>;
export function pollEvents(): void {
  const poll = async () => {
    try {
      await fetchEvents();
      setTimeout(poll, 500);
    } catch (err) {
      console.error(err);
      setTimeout(poll, 1000);
    }
  };
  void poll();
}
`,
    },
    {
      name: 'a polling loop that stops when the job says it is complete',
      code: `declare function getProgress(id: string): Promise<{ status: string }>;
export async function follow(id: string) {
  while (true) {
    try {
      const data = await getProgress(id);
      if (data.status === 'complete' || data.status === 'error') break;
    } catch {
      // ignore, poll again
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
`,
    },
    {
      name: 'a subscription loop that reconnects until cancelled may run for ever',
      code: `declare function subscribe(): Promise<{ read(): Promise<boolean> }>;
declare function reconnectDelay(attempt: number): number;
export async function run(signal: AbortSignal) {
  let reconnectAttempt = 0;
  while (!signal.aborted) {
    try {
      const stream = await subscribe();
      reconnectAttempt = 0;
      while (await stream.read()) {
        // handle messages
      }
      return;
    } catch (error) {
      console.error(error);
    }
    await new Promise((resolve) => setTimeout(resolve, reconnectDelay(reconnectAttempt++)));
  }
}
`,
    },
    {
      name: 'trying each schema in a list named for attempts is iterating items',
      code: `declare function validate(schema: string, event: unknown): Promise<unknown>;
export async function check(event: unknown, schemasToAttempt: string[]) {
  for (const schemaName of schemasToAttempt) {
    try {
      return await validate(schemaName, event);
    } catch {
      // next schema
    }
  }
  return undefined;
}
`,
    },
    {
      name: 'calling itself again after changing what the attempt reads is a different attempt',
      code: `export function inlineImage(image: HTMLImageElement, canvas: HTMLCanvasElement): void {
  const record = () => {
    try {
      canvas.getContext('2d')?.drawImage(image, 0, 0);
    } catch {
      if (image.crossOrigin !== 'anonymous') {
        image.crossOrigin = 'anonymous';
        record();
      }
    }
  };
  record();
}
`,
    },
    {
      name: 'a single ofetch retry held by a constant is left alone, as the default is',
      code: `import { ofetch } from 'ofetch';
const RETRY_ONCE = 1;
export const a = (url: string) => ofetch(url, { retry: RETRY_ONCE });
`,
    },
    {
      name: 'moving on to the next queued item after a failure is draining a queue, not a retry',
      code: `interface Job { payload: string; reject(error: Error): void }
declare const worker: { postMessage(message: unknown): void };
const queue: Job[] = [];
function processQueue(): void {
  if (queue.length === 0) return;
  const next = queue[0];
  try {
    worker.postMessage(JSON.parse(next.payload));
  } catch (error) {
    next.reject(error as Error);
    queue.shift();
    processQueue();
  }
}
export function enqueue(job: Job): void {
  queue.push(job);
  processQueue();
}
`,
    },
    {
      name: 'a while loop that sends the queue\'s head until the queue is empty is no retry loop',
      code: `declare function send(message: string): Promise<void>;
export async function drain(outbox: string[]): Promise<void> {
  while (outbox.length > 0) {
    const message = outbox[0];
    try {
      await send(message);
    } catch {
      outbox.splice(0, 1);
      continue;
    }
    outbox.shift();
  }
}
`,
    },
    {
      name: 'a loop that rewrites the row the error names before inserting again changes its input',
      code: `declare function insert(rows: object[]): Promise<void>;
declare function badRowIndex(error: unknown): number;
declare function strip(row: object): object;
export async function insertStrippingBadRows(rows: object[]): Promise<void> {
  const working = rows.slice();
  for (let pass = 0; pass < 5; pass++) {
    try {
      return await insert(working);
    } catch (error) {
      const index = badRowIndex(error);
      if (index < 0) throw error;
      working[index] = strip(working[index]!);
    }
  }
}
`,
    },
    {
      name: 'a delay that grows as a power of the attempt backs off, as Math.pow or **, and one raised to a configured power is not judged',
      code: `const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
declare function call(): Promise<void>;
export async function squared(): Promise<void> {
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      return await call();
    } catch {
      await sleep(Math.min(60_000, 500 * Math.pow(attempt, 2) + Math.random() * 1000));
    }
  }
}
export async function configured(strategy: { exponent: number; maxMs: number }): Promise<void> {
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      return await call();
    } catch {
      await sleep(Math.min(strategy.maxMs, 500 * attempt ** strategy.exponent + Math.random() * 1000));
    }
  }
}
`,
    },
    {
      name: 'a response handed to a helper that ends the loop on client errors is not retried blindly',
      code: `type ApiError = { status: number };
declare function send(body: string): Promise<{ ok: true } | { ok: false; error: ApiError }>;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const isTerminalClientError = (error: ApiError) => error.status >= 400 && error.status < 500 && error.status !== 429;
export async function sendWithRetry(body: string): Promise<boolean> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const res = await send(body);
    if (res.ok) return true;
    if (isTerminalClientError(res.error)) return false;
    await delay(Math.random() * Math.min(10_000, 1000 * 2 ** attempt));
  }
  return false;
}
`,
    },
    {
      name: 'a delay a helper reads from the Retry-After header is the server\'s to decide (unkey\'s retry helper)',
      code: `declare class TemporaryError extends Error { response: Response }
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export async function retryBackoff(fn: () => Promise<Response>, strategy: { exponent: number; maxInterval: number }): Promise<Response> {
  for (let x = 0; ; x++) {
    try {
      return await fn();
    } catch (err: unknown) {
      if (x > 8) throw err;
      let retryInterval = 0;
      if (err instanceof TemporaryError) retryInterval = retryIntervalFromResponse(err.response);
      if (retryInterval <= 0) retryInterval = 500 * x ** strategy.exponent + Math.random() * 1000;
      await delay(Math.min(retryInterval, strategy.maxInterval));
    }
  }
}
function retryIntervalFromResponse(res: Response): number {
  const retryVal = res.headers.get('retry-after') || '';
  if (!retryVal) return 0;
  const parsedNumber = Number(retryVal);
  return Number.isInteger(parsedNumber) ? parsedNumber * 1000 : 0;
}
`,
    },
    {
      name: 'p-retry polling at a fixed interval, where every real failure is an AbortError, is a poll',
      code: `import pRetry, { AbortError } from 'p-retry';
declare const api: { token(code: string): Promise<{ ok: boolean; status: number; token?: string }> };
async function getToken(code: string): Promise<string> {
  const res = await api.token(code);
  if (!res.ok && res.status !== 429) throw new AbortError(\`token request failed: \${res.status}\`);
  if (!res.token) throw new Error('not approved yet');
  return res.token;
}
export const waitForLogin = (code: string) => pRetry(() => getToken(code), { factor: 1, retries: 300, minTimeout: 1000 });
`,
    },
    {
      name: 'Playwright fixtures are test code',
      filename: 'playwright/fixtures/ingestion.ts',
      code: `${API}export async function waitForEvents(url: string) {
  for (let i = 0; i < 30; i++) {
    try {
      return await api.get(url);
    } catch {
      await sleep(1000);
    }
  }
  throw new Error('no events');
}
`,
    },
    {
      name: 'a test-harness package is test code',
      filename: 'test-harness/src/devServer.ts',
      code: `${API}export async function ready(url: string) {
  for (let i = 0; i < 100; i++) {
    try {
      return await api.get(url);
    } catch {
      await sleep(500);
    }
  }
  throw new Error('not ready');
}
`,
    },
    {
      name: 'trying again with a different input is not a retry of the same call',
      code: `declare function insert(slug: string): Promise<void>;
export async function save(title: string) {
  let slug = title;
  for (let i = 0; i < 5; i++) {
    try {
      return await insert(slug);
    } catch {
      slug = title + '-' + i;
    }
  }
  throw new Error('no free slug');
}
`,
    },
    {
      name: 'a wait whose length the server decides (Retry-After) is not judged',
      code: `declare function send(): Promise<Response>;
export async function post() {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await send();
    } catch (error) {
      const retryAfter = Number((error as { retryAfter?: number }).retryAfter);
      await new Promise((resolve) => setTimeout(resolve, retryAfter));
    }
  }
  throw new Error('gave up');
}
`,
    },
    {
      name: 'an error handler that calls code this analysis cannot see into may be waiting',
      code: `${API}declare const backoff: { wait(): Promise<void> };
export async function get(url: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await api.get(url);
    } catch {
      await backoff.wait();
    }
  }
  throw new Error('gave up');
}
`,
    },
    {
      name: 'a project helper in another file that backs off with jitter is followed',
      files: {
        'src/backoff.ts': `export function backoff(attempt: number): Promise<void> {
  const delay = Math.random() * Math.min(10_000, 200 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, delay));
}
`,
      },
      code: `import { backoff } from './backoff';
declare const api: { get(url: string): Promise<string> };
export async function get(url: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await api.get(url);
    } catch {
      await backoff(attempt);
    }
  }
  throw new Error('gave up');
}
`,
    },
    {
      name: 'retries in tests are not checked by default',
      filename: 'src/client.test.ts',
      code: `${API}export async function get(url: string) {
  while (true) {
    try {
      return await api.get(url);
    } catch {
      // again
    }
  }
}
`,
    },
    {
      name: 'p-retry, async-retry and cockatiel configured with backoff',
      code: `import pRetry from 'p-retry';
import asyncRetry from 'async-retry';
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
declare function load(): Promise<string>;
export const a = pRetry(load, { retries: 5, factor: 2, randomize: true, maxTimeout: 10_000 });
export const b = asyncRetry(load, { retries: 3 });
export const policy = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });
`,
    },
    {
      name: 'axios-retry with exponentialDelay',
      files: { 'src/types.d.ts': AXIOS_RETRY_TYPES() },
      code: `import axios from 'axios';
import axiosRetry from 'axios-retry';
const client = axios.create();
axiosRetry(client, { retries: 3, retryDelay: axiosRetry.exponentialDelay });
export { client };
`,
    },
    {
      name: 'a suppression comment with a reason',
      code: `${API}export async function get(url: string) {
  for (let i = 0; i < 2; i++) {
    try {
      // resilint-disable-next-line retry-without-backoff -- an in-process cache, not a remote call
      return await api.get(url);
    } catch {
      // again
    }
  }
  throw new Error('x');
}
`,
    },
    {
      name: "ofetch's own single retry, and retries that back off with jitter",
      code: `import { ofetch } from 'ofetch';
export const a = (url: string) => ofetch(url);
export const b = (url: string) => ofetch(url, { retry: 1 });
export const c = (url: string) => ofetch(url, { retry: 3, retryDelay: (ctx) => Math.random() * Math.min(10000, 250 * 2 ** (3 - Number(ctx.options.retry ?? 0))) });
`,
    },
    {
      name: "superagent's single retry",
      code: `import superagent from 'superagent';
export const a = (url: string) => superagent.get(url).timeout(5000).retry();
export const b = (url: string) => superagent.get(url).timeout(5000).retry(1);
`,
    },
  ],
  invalid: [
    {
      name: 'a loop that retries a DELETE request is a retry, though delete also names a collection method',
      code: `declare const api: { delete(url: string): Promise<Response> };
export async function remove(url: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const res = await api.delete(url);
    if (res.ok) return res;
  }
  throw new Error('not deleted');
}
`,
      errors: [{ messageId: 'noDelay', line: 4 }],
    },
    {
      name: 'p-retry at a fixed interval whose operation never aborts retries every failure the same',
      code: `import pRetry from 'p-retry';
declare const api: { token(code: string): Promise<string> };
export const fetchToken = (code: string) => pRetry(() => api.token(code), { factor: 1, retries: 5, minTimeout: 1000 });
`,
      errors: [{ messageId: 'libraryWithoutBackoff', line: 3 }],
    },
    {
      name: "a limit from a parameter's default, a destructured option's default or a fallback constant is read: small limits are not asked for a cap",
      code: `declare const queue: { send(jobs: unknown[]): Promise<unknown> };
const ATTEMPTS = 3;
export async function viaParameter(jobs: unknown[], maxRetries = 2) {
  for (let attempt = 0; attempt <= maxRetries; attempt++) {
    try {
      return await queue.send(jobs);
    } catch (error) {
      if (attempt === maxRetries) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** attempt));
    }
  }
}
export async function viaOptions(jobs: unknown[], options?: { maxRetries?: number }) {
  const { maxRetries = 2 } = options || {};
  for (let attempt = 0; attempt <= maxRetries; attempt++) {
    try {
      return await queue.send(jobs);
    } catch (error) {
      if (attempt === maxRetries) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** attempt));
    }
  }
}
export async function viaFallback(jobs: unknown[], args: { attempts?: number }) {
  const attempts = args.attempts ?? ATTEMPTS;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      return await queue.send(jobs);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** attempt));
    }
  }
}
`,
      errors: [
        { messageId: 'noJitter', line: 6, message: 'This retry loop backs off (1000 * 2 ** attempt) without jitter, so clients that failed together retry together.' },
        { messageId: 'noJitter', line: 17 },
        { messageId: 'noJitter', line: 28, message: 'This retry loop backs off (1000 * 2 ** attempt) without jitter, so clients that failed together retry together.' },
      ],
    },
    {
      name: "a parameter's default does not make a retry single: callers may pass more",
      code: `const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export async function getWithRetry(url: string, retries = 1) {
  for (let attempt = 0; attempt <= retries; attempt++) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(5000) });
    } catch (error) {
      if (attempt === retries) throw error;
      await sleep(1000);
    }
  }
  throw new Error('unreachable');
}
export const load = (url: string) => getWithRetry(url, 20);
`,
      errors: [{ messageId: 'constantDelay', line: 5 }],
    },
    {
      name: 'an attempt limit held by a local constant is small too: no cap asked for',
      code: `declare const queue: { send(jobs: unknown[]): Promise<unknown> };
export async function enqueue(jobs: unknown[]) {
  const maxRetries = 3;
  for (let attempt = 0; attempt <= maxRetries; attempt++) {
    try {
      return await queue.send(jobs);
    } catch (error) {
      if (attempt >= maxRetries) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** attempt));
    }
  }
}
`,
      errors: [{ messageId: 'noJitter', line: 6, message: 'This retry loop backs off (1000 * 2 ** attempt) without jitter, so clients that failed together retry together.' }],
    },
    {
      name: 'a loop that calls disconnect is no reconnect, and a limit written MAX - 1 is small',
      code: `declare function callDisconnect(ids: string[]): Promise<void>;
const MAX_ATTEMPTS = 5;
export async function disconnect(ids: string[]): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      await callDisconnect(ids);
      break;
    } catch {
      if (attempt < MAX_ATTEMPTS - 1) await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
    }
  }
}
`,
      errors: [{ messageId: 'noJitter', line: 6, message: 'This retry loop backs off (500 * 2 ** attempt) without jitter, so clients that failed together retry together.' }],
    },
    {
      name: 'a power of 1 of the attempt is still linear',
      code: `const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
declare function call(): Promise<void>;
export async function once(): Promise<void> {
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      return await call();
    } catch {
      await sleep(Math.min(60_000, 500 * Math.pow(attempt, 1) + Math.random() * 1000));
    }
  }
}
`,
      errors: [{ messageId: 'linearDelay', line: 6 }],
    },
    {
      name: 'a wait helper imported through a tsconfig paths alias is followed like a relative import',
      files: { 'libs/helpers/timer.ts': 'export const timer = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));\n' },
      compilerOptions: { baseUrl: '.', paths: { '@app/helpers/*': ['libs/helpers/*'] } },
      code: `import { timer } from '@app/helpers/timer';
declare function connect(): Promise<void>;
export async function start(): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await connect();
    } catch {
      // next attempt
    }
    await timer(3000);
  }
}
`,
      errors: [{ messageId: 'constantDelay', line: 6 }],
    },
    {
      name: 'a recursive retry that trims an unrelated buffer still retries the same call',
      code: `const recentErrors: string[] = [];
export async function load(url: string): Promise<Response> {
  const target = new URL(url);
  try {
    return await fetch(target, { signal: AbortSignal.timeout(5000) });
  } catch (error) {
    recentErrors.push(String(error));
    if (recentErrors.length > 10) recentErrors.shift();
    return load(url);
  }
}
`,
      errors: [{ messageId: 'noDelay', line: 9 }],
    },
    {
      name: 'superagent resends at once: .retry(3), and .retry(Infinity) for ever',
      code: `import superagent from 'superagent';
export const a = (url: string) => superagent.get(url).timeout(5000).retry(3);
export const b = (url: string) => superagent.post(url).send({}).retry(Infinity).timeout(5000);
`,
      errors: [
        { messageId: 'libraryWithoutBackoff', line: 2, message: 'superagent is configured without backoff: `.retry()` resends at once, and superagent has no delay between attempts.' },
        { messageId: 'libraryWithoutBackoff', line: 3 },
      ],
    },
    {
      name: 'ofetch retries at once, or after the same delay every time, and an instance for ever',
      code: `import { ofetch } from 'ofetch';
export const a = (url: string) => ofetch(url, { retry: 3 });
export const b = (url: string) => ofetch.raw(url, { retry: 5, retryDelay: 500 });
export const api = ofetch.create({ baseURL: 'https://x', retry: Infinity, retryDelay: 0 });
export const d = (url: string) => ofetch(url, { retry: 3, retryDelay: () => 500 });
`,
      errors: [
        { messageId: 'libraryWithoutBackoff', line: 2, message: 'ofetch is configured without backoff: without a `retryDelay` it retries immediately.' },
        { messageId: 'libraryWithoutBackoff', line: 3 },
        { messageId: 'libraryWithoutBackoff', line: 4 },
        { messageId: 'constantDelay', line: 5 },
      ],
    },
    {
      name: 'ofetch and superagent retry counts held by constants of the file',
      code: `import { ofetch } from 'ofetch';
import superagent from 'superagent';
const limits = { retries: 4 } as const;
const RETRIES = 5;
const PAUSE_MS = 500;
export const a = (url: string) => ofetch(url, { retry: RETRIES });
export const b = (url: string) => ofetch(url, { retry: limits.retries, retryDelay: PAUSE_MS });
export const c = (url: string) => superagent.get(url).timeout(5000).retry(RETRIES);
`,
      errors: [
        { messageId: 'libraryWithoutBackoff', line: 6 },
        { messageId: 'libraryWithoutBackoff', line: 7, message: 'ofetch is configured without backoff: `retryDelay: 500` keeps every delay the same.' },
        { messageId: 'libraryWithoutBackoff', line: 8 },
      ],
    },
    {
      name: 'a for loop that retries at once',
      code: `${API}export async function get(url: string) {
  for (let i = 0; i < 3; i++) {
    try {
      return await api.get(url);
    } catch (e) {
      console.warn(e);
    }
  }
  throw new Error('x');
}
`,
      errors: [{ messageId: 'noDelay', line: 6, message: 'This retry loop retries immediately, with no delay between attempts.' }],
    },
    {
      name: 'while (true) without an attempt limit or delay',
      code: `${API}export async function get(url: string) {
  while (true) {
    try {
      return await api.get(url);
    } catch {
      // try again
    }
  }
}
`,
      errors: [
        {
          messageId: 'noDelay',
          line: 6,
          message: 'This retry loop retries immediately, with no delay between attempts; it also has no maximum number of attempts.',
        },
      ],
    },
    {
      name: 'a constant delay',
      code: `${API}export async function get(url: string) {
  let attempt = 0;
  while (true) {
    try {
      return await api.get(url);
    } catch (e) {
      attempt++;
      if (attempt >= 5) throw e;
      await sleep(1000);
    }
  }
}
`,
      errors: [
        {
          messageId: 'constantDelay',
          line: 7,
          message: 'This retry loop waits the same delay (1000) before every attempt instead of backing off exponentially.',
          relatedFiles: ['src/main.ts', 'src/main.ts', 'src/main.ts'],
        },
      ],
    },
    {
      name: 'a linearly growing delay (attempt * 1000)',
      code: `${API}export async function get(url: string) {
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      return await api.get(url);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, attempt * 1000));
    }
  }
  return undefined;
}
`,
      errors: [{ messageId: 'linearDelay', line: 6 }],
    },
    {
      name: 'exponential without jitter and, with ten attempts, without a cap',
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
      errors: [
        {
          messageId: 'noJitter',
          line: 6,
          message:
            'This retry loop backs off (1000 * 2 ** attempt) without jitter, so clients that failed together retry together; it also has no cap on the delay.',
        },
      ],
    },
    {
      name: 'a delay variable doubled each time, with jitter but no cap and no limit',
      code: `${API}export async function get(url: string) {
  let delay = 500;
  while (true) {
    try {
      return await api.get(url);
    } catch {
      await sleep(delay + Math.random() * delay);
      delay *= 2;
    }
  }
}
`,
      errors: [
        {
          messageId: 'noCap',
          line: 7,
          message:
            'This retry loop has no cap on its delay (delay + Math.random() * delay), so late attempts wait longer and longer; it also has no maximum number of attempts.',
        },
      ],
    },
    {
      name: 'the guide\'s RetryHandler: capped by its attempt limit, but jitter of 100 ms is added to the delay',
      code: `export class RetryHandler {
  private maxRetries = 3;
  private baseDelay = 1000;
  async executeWithRetry<T>(operation: () => Promise<T>): Promise<T> {
    let retries = 0;
    while (true) {
      try {
        return await operation();
      } catch (error) {
        if (retries >= this.maxRetries) throw error;
        const delay = this.baseDelay * Math.pow(2, retries);
        await this.sleep(delay);
        retries++;
      }
    }
  }
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
`,
      errors: [{ messageId: 'noJitter', line: 8 }],
    },
    {
      name: 'axios rejects 4xx responses and the loop retries every rejection',
      code: `import axios from 'axios';
declare function sleep(ms: number): Promise<void>;
export async function get(url: string) {
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      return await axios.get(url);
    } catch {
      await sleep(Math.random() * Math.min(5000, 200 * 2 ** attempt));
    }
  }
  throw new Error('gave up');
}
`,
      errors: [
        {
          messageId: 'retriesNonRetryable',
          line: 6,
          message: 'This retry loop retries errors that will fail again: axios rejects 4xx responses, and every rejection is retried.',
        },
      ],
    },
    {
      name: 'an explicit throw on any non-OK response makes 4xx retried',
      code: `declare function sleep(ms: number): Promise<void>;
export async function get(url: string) {
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(String(res.status));
      return await res.json();
    } catch {
      await sleep(Math.random() * Math.min(5000, 200 * 2 ** attempt));
    }
  }
  throw new Error('gave up');
}
`,
      errors: [{ messageId: 'retriesNonRetryable', line: 5 }],
    },
    {
      name: 'a loop with an attempts counter that retries on the status, without try/catch',
      code: `export async function get(url: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (res.ok) return res;
  }
  throw new Error('gave up');
}
`,
      errors: [
        {
          messageId: 'noDelay',
          line: 3,
          message:
            'This retry loop retries immediately, with no delay between attempts; it also has retries of errors that will fail again (only `res.ok` ends the loop, so 4xx responses are retried too).',
        },
      ],
    },
    {
      name: 'a loop that counts attempts and retries on a false result, growing the wait linearly',
      code: `declare function tryLock(): Promise<boolean>;
export async function lock() {
  let attempts = 0;
  while (attempts < 25) {
    const locked = await tryLock();
    if (locked) return;
    attempts++;
    await new Promise((resolve) => setTimeout(resolve, attempts * 20));
  }
  throw new Error('busy');
}
`,
      errors: [{ messageId: 'linearDelay', line: 5 }],
    },
    {
      name: 'a do-while that goes round again when the error handler sets a flag',
      code: `declare function run(): Promise<void>;
export async function runWithRetry() {
  let failed = false;
  let tries = 0;
  do {
    tries++;
    try {
      await run();
    } catch (error) {
      if ((error as { code?: string }).code === 'EAGAIN') failed = true;
      else throw error;
    }
  } while (failed && tries <= 3);
}
`,
      errors: [{ messageId: 'noDelay', line: 8 }],
    },
    {
      name: 'a table of delays without jitter',
      code: `${API}export async function get(url: string) {
  for (const wait of [100, 400, 1600]) {
    try {
      return await api.get(url);
    } catch {
      await sleep(wait);
    }
  }
  throw new Error('gave up');
}
`,
      errors: [{ messageId: 'noJitter', line: 6 }],
    },
    {
      name: 'recursion from the catch block with a retries parameter',
      code: `${API}export async function get(url: string, retries = 3): Promise<string> {
  try {
    return await api.get(url);
  } catch (err) {
    if (retries <= 0) throw err;
    return get(url, retries - 1);
  }
}
`,
      errors: [{ messageId: 'noDelay', line: 8, message: 'This recursive retry retries immediately, with no delay between attempts.' }],
    },
    {
      name: 'recursion without a counter retries for ever',
      code: `${API}export class Loader {
  async load(url: string): Promise<string> {
    try {
      return await api.get(url);
    } catch {
      await sleep(2000);
      return this.load(url);
    }
  }
}
`,
      errors: [
        {
          messageId: 'constantDelay',
          line: 9,
          message: 'This recursive retry waits the same delay (2000) before every attempt instead of backing off exponentially; it also has no maximum number of attempts.',
        },
      ],
    },
    {
      name: 'recursion from a .catch() handler through setTimeout',
      code: `${API}export function load(url: string, retriesLeft = 3, interval = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    api.get(url).then(resolve).catch((error) => {
      setTimeout(() => {
        if (retriesLeft === 1) return reject(error);
        load(url, retriesLeft - 1, interval).then(resolve, reject);
      }, interval);
    });
  });
}
`,
      errors: [{ messageId: 'constantDelay', line: 8 }],
    },
    {
      name: 'a promise chain that repeats the call in .catch()',
      code: `${API}export function fetchPage(url: string) {
  return api.get(url).catch(() => api.get(url));
}
`,
      errors: [{ messageId: 'noDelay', line: 4, message: 'This `.catch()` retry retries immediately, with no delay between attempts.' }],
    },
    {
      name: 'a WebSocket reconnect on close after a fixed second (it may run for ever: not reported as unbounded)',
      code: `declare class Socket { constructor(url: string); on(event: 'close', listener: () => void): void }
export class Client {
  private socket: Socket | undefined;
  connect(): void {
    this.socket = new Socket('wss://example.test');
    this.socket.on('close', () => setTimeout(() => this.connect(), 1000));
  }
}
`,
      errors: [{ messageId: 'constantDelay', line: 6, message: 'This reconnect waits the same delay (1000) before every attempt instead of backing off exponentially.' }],
    },
    {
      name: 'a reconnect that clears the socket it is about to replace is still the same retry',
      code: `export class Feed {
  private ws: WebSocket | undefined;
  connect(): void {
    try {
      this.ws = new WebSocket('wss://example.test');
    } catch {
      this.ws = undefined;
      setTimeout(() => this.connect(), 3000);
    }
  }
}
`,
      errors: [{ messageId: 'constantDelay', line: 8 }],
    },
    {
      name: 'onclose reconnecting at once',
      code: `export class Live {
  private ws: WebSocket | undefined;
  open(): void {
    this.ws = new WebSocket('wss://example.test');
    this.ws.onclose = () => this.open();
  }
}
`,
      errors: [{ messageId: 'noDelay', line: 5 }],
    },
    {
      name: 'the guide\'s WebSocketManager: a reconnect helper with a capped exponential delay but no jitter',
      code: `export class WebSocketManager {
  private attempts = 0;
  private maxAttempts = 5;
  private ws: WebSocket | undefined;
  connect(): void {
    try {
      this.ws = new WebSocket('wss://example.test');
    } catch (err) {
      this.handleReconnect();
    }
  }
  private handleReconnect(): void {
    const backoff = Math.min(1000 * Math.pow(2, this.attempts), 10000);
    setTimeout(() => {
      this.attempts++;
      if (this.attempts < this.maxAttempts) this.connect();
    }, backoff);
  }
}
`,
      errors: [{ messageId: 'noJitter', line: 16 }],
    },
    {
      name: 'a setInterval that keeps trying until it works',
      code: `declare function connect(): Promise<void>;
export function start(): void {
  const timer = setInterval(async () => {
    try {
      await connect();
      clearInterval(timer);
    } catch (error) {
      console.error(error);
    }
  }, 5000);
}
`,
      errors: [{ messageId: 'constantDelay', line: 5 }],
    },
    {
      name: 'a sleep helper in another project file is resolved through the import',
      files: { 'src/util/time.ts': `export const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));\n` },
      code: `import { wait } from './util/time';
declare const api: { get(url: string): Promise<string> };
export async function get(url: string) {
  for (let i = 0; i < 3; i++) {
    try {
      return await api.get(url);
    } catch {
      await wait(750);
    }
  }
  throw new Error('gave up');
}
`,
      errors: [{ messageId: 'constantDelay', line: 6, relatedFiles: ['src/main.ts', 'src/main.ts', 'src/main.ts'] }],
    },
    {
      name: 'setTimeout from timers/promises',
      code: `import { setTimeout as delay } from 'node:timers/promises';
declare const api: { get(url: string): Promise<string> };
export async function get(url: string) {
  for (let i = 0; i < 3; i++) {
    try {
      return await api.get(url);
    } catch {
      await delay(i * 500);
    }
  }
  throw new Error('gave up');
}
`,
      errors: [{ messageId: 'linearDelay', line: 6 }],
    },
    {
      name: 'a wait helper named in the sleepFunctions option',
      options: { sleepFunctions: ['nap'] },
      code: `declare const api: { get(url: string): Promise<string> };
declare const timing: { nap(ms: number): Promise<void> };
export async function get(url: string) {
  for (let i = 0; i < 3; i++) {
    try {
      return await api.get(url);
    } catch {
      await timing.nap(300);
    }
  }
  throw new Error('gave up');
}
`,
      errors: [{ messageId: 'constantDelay', line: 6 }],
    },
    {
      name: 'tests are checked when checkTests is on',
      filename: 'src/client.test.ts',
      options: { checkTests: true },
      code: `${API}export async function get(url: string) {
  for (let i = 0; i < 2; i++) {
    try {
      return await api.get(url);
    } catch {
      // again
    }
  }
  throw new Error('x');
}
`,
      errors: [{ messageId: 'noDelay', line: 6 }],
    },
    {
      name: 'a test-harness package is checked when checkTests is on',
      filename: 'test-harness/src/devServer.ts',
      options: { checkTests: true },
      code: `${API}export async function ready(url: string) {
  for (let i = 0; i < 100; i++) {
    try {
      return await api.get(url);
    } catch {
      await sleep(500);
    }
  }
  throw new Error('not ready');
}
`,
      errors: [{ messageId: 'constantDelay', line: 6 }],
    },
    {
      name: 'an ioredis retryStrategy that grows linearly (Math.exp and Math.min are read too)',
      code: `export const options = {
  retryStrategy(times: number) {
    return Math.min(times * 500, 3000);
  },
  reconnectStrategy: (retries: number) => Math.max(Math.min(Math.exp(retries), 20_000), 1000),
};
`,
      errors: [
        { messageId: 'linearDelay', line: 2, message: 'This retry delay callback grows its delay only linearly (Math.min(times * 500, 3000)) instead of exponentially.' },
        { messageId: 'noJitter', line: 5 },
      ],
    },
    {
      name: 'p-retry with minTimeout 0 and an onFailedAttempt that only logs, or that waits but retries for ever',
      code: `import pRetry from 'p-retry';
declare function load(): Promise<string>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const a = pRetry(load, { retries: 3, minTimeout: 0, onFailedAttempt: (error) => console.warn(error.message) });
export const b = pRetry(load, { retries: Infinity, minTimeout: 0, onFailedAttempt: async () => { await sleep(1000); } });
`,
      errors: [
        { messageId: 'libraryWithoutBackoff', line: 4, message: 'p-retry is configured without backoff: \`minTimeout: 0\` retries immediately.' },
        { messageId: 'unbounded', line: 5, message: 'This p-retry retry has no maximum number of attempts, so it retries for ever.' },
      ],
    },
    {
      name: 'p-retry without backoff (factor 1) and async-retry retrying for ever',
      code: `import pRetry from 'p-retry';
import asyncRetry from 'async-retry';
declare function load(): Promise<string>;
export const a = pRetry(load, { retries: 5, factor: 1 });
export const b = asyncRetry(load, { retries: Infinity, minTimeout: 0 });
`,
      errors: [
        { messageId: 'libraryWithoutBackoff', line: 4, message: 'p-retry is configured without backoff: `factor: 1` keeps every delay the same.' },
        {
          messageId: 'libraryWithoutBackoff',
          line: 5,
          message: 'async-retry is configured without backoff: `minTimeout: 0` retries immediately; it also retries for ever.',
        },
      ],
    },
    {
      name: 'node-retry operation with equal min and max timeouts',
      code: `import retry from 'retry';
export const operation = retry.operation({ retries: 5, minTimeout: 1000, maxTimeout: 1000 });
`,
      errors: [{ messageId: 'libraryWithoutBackoff', line: 2 }],
    },
    {
      name: 'cockatiel without a backoff or an attempt limit',
      code: `import { handleAll, retry } from 'cockatiel';
export const policy = retry(handleAll, {});
`,
      errors: [
        {
          messageId: 'libraryWithoutBackoff',
          line: 2,
          message: 'cockatiel is configured without backoff: without a `backoff` it retries immediately; it also retries for ever (no `maxAttempts`).',
        },
      ],
    },
    {
      name: 'axios-retry without a retryDelay, and with linearDelay',
      files: { 'src/types.d.ts': AXIOS_RETRY_TYPES() },
      code: `import axios from 'axios';
import axiosRetry from 'axios-retry';
export const client = axios.create();
axiosRetry(client, { retries: 3 });
axiosRetry(axios, { retryDelay: axiosRetry.linearDelay() });
`,
      errors: [
        { messageId: 'libraryWithoutBackoff', line: 4 },
        { messageId: 'libraryWithoutBackoff', line: 5 },
      ],
    },
    {
      name: 'fetch-retry waits a constant second by default',
      files: { 'src/types.d.ts': FETCH_RETRY_TYPES() },
      code: `import fetchRetry from 'fetch-retry';
export const fetchWithRetry = fetchRetry(fetch);
`,
      errors: [{ messageId: 'libraryWithoutBackoff', line: 2 }],
    },
  ],
});

function AXIOS_RETRY_TYPES(): string {
  return `declare module 'axios-retry' {
  import type { AxiosInstance, AxiosStatic } from 'axios';
  interface Options { retries?: number; retryDelay?: (retryCount: number) => number }
  interface AxiosRetry {
    (client: AxiosInstance | AxiosStatic, options?: Options): void;
    exponentialDelay(retryCount: number): number;
    linearDelay(delayFactor?: number): (retryCount: number) => number;
  }
  const axiosRetry: AxiosRetry;
  export default axiosRetry;
}
`;
}

function FETCH_RETRY_TYPES(): string {
  return `declare module 'fetch-retry' {
  type Delay = number | ((attempt: number, error: Error | null, response: Response | null) => number);
  export default function fetchRetry(fetch: typeof globalThis.fetch, defaults?: { retries?: number; retryDelay?: Delay }): typeof globalThis.fetch;
}
`;
}

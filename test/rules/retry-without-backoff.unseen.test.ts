import rule from '../../server/src/rules/retry-without-backoff';
import { runRuleTests } from '../ruleTester';

// The classes found by auditing code bases the rule had never been tuned on: what makes
// something a retry (the same call again after it failed) rather than a poll, a fallback
// or a stream resume, and waits the rule used to overlook. Each case is named after the
// principle, not the project it came from.

const SLEEP = `declare function sleep(ms: number): Promise<void>;\n`;

runRuleTests(rule, {
  valid: [
    {
      name: 'a reconnect whose delay helper backs off exponentially on a field counter stepped with += 1',
      code: `function backoff(step: number, min: number, max: number): number {
  const interval = Math.random() * Math.min(max, min * Math.pow(2, step));
  return Math.min(max, min + interval);
}
declare function openSocket(): Promise<void>;
export class Client {
  private attempts = 0;
  private nextDelay(): number {
    const delay = backoff(this.attempts, 500, 20_000);
    this.attempts += 1;
    return delay;
  }
  connect(): void {
    openSocket().catch(() => {
      const delay = this.nextDelay();
      setTimeout(() => this.connect(), delay);
    });
  }
}
`,
    },
    {
      name: 'a loop of two attempts waits once: how the delay grows cannot matter',
      code: `${SLEEP}declare const db: { query(sql: string): Promise<number> };
export async function schemaVersion(): Promise<number | undefined> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      return await db.query('select version from migrations');
    } catch (error) {
      if (attempt === 1) throw error;
    }
    await sleep(400 + Math.random() * 200);
  }
  return undefined;
}
`,
    },
    {
      name: 'a catch that always ends through a method returning never does not go round',
      code: `declare const service: { poll(request: { id: string }): Promise<{ outcome?: string }> };
export class ActivityClient {
  async result(id: string): Promise<string> {
    for (;;) {
      try {
        const response = await service.poll({ id });
        if (response.outcome) return response.outcome;
      } catch (err) {
        this.rethrow(err, 'Failed to get activity result');
      }
    }
  }
  protected rethrow(err: unknown, message: string): never {
    throw new Error(message, { cause: err });
  }
}
`,
    },
    {
      name: 'a page loop whose catch ends through a function returning never',
      code: `declare const service: { list(token: string | undefined): Promise<{ items: string[]; next?: string }> };
function fail(err: unknown): never {
  throw new Error('Failed to list', { cause: err });
}
export async function all(): Promise<string[]> {
  const items: string[] = [];
  let token: string | undefined;
  do {
    try {
      const page = await service.list(token);
      items.push(...page.items);
      token = page.next;
    } catch (err) {
      fail(err);
    }
  } while (token);
  return items;
}
`,
    },
    {
      name: 'waiting for something to appear retries only "not found" and rethrows the rest',
      code: `${SLEEP}declare class HttpError extends Error { status: number }
declare const api: { getDevice(id: string): Promise<{ id: string } | undefined> };
export async function waitForDevice(id: string) {
  const deadline = Date.now() + 10_000;
  do {
    try {
      const device = await api.getDevice(id);
      if (device) return device;
    } catch (err) {
      if (err instanceof HttpError && err.status === 404) {
        // not there yet: keep waiting
      } else {
        throw err;
      }
    }
    await sleep(1000);
  } while (Date.now() < deadline);
  return undefined;
}
`,
    },
    {
      name: 'polling a reply that names its states (authorization_pending, slow_down) is not a retry',
      code: `${SLEEP}export async function waitForToken(url: string, deviceCode: string): Promise<string> {
  let interval = 5000;
  const expiration = Date.now() + 600_000;
  do {
    const response = await fetch(url, { method: 'POST', body: deviceCode });
    const data = (await response.json()) as { error?: string; access_token?: string };
    if (response.ok && data.access_token) return data.access_token;
    switch (data.error) {
      case 'authorization_pending':
        break;
      case 'slow_down':
        interval += 5000;
        break;
      default:
        throw new Error(data.error);
    }
    await sleep(interval);
  } while (Date.now() < expiration);
  throw new Error('expired');
}
`,
    },
    {
      name: 'a long poll whose request carries what the last reply said (etag) asks a new question each time',
      code: `${SLEEP}export class Channel {
  private etag: string | undefined;
  async receive(url: string): Promise<string> {
    while (true) {
      const headers: Record<string, string> = {};
      if (this.etag) headers['if-none-match'] = this.etag;
      const res = await fetch(url, { headers });
      this.etag = res.headers.get('etag') ?? undefined;
      if (res.status === 200) return res.text();
      await sleep(1000);
    }
  }
}
`,
    },
    {
      name: 'falling back to another backend behind a getter is not a retry of the same call',
      code: `interface Backend { connect(): Promise<void> }
declare function remoteBackend(): Backend;
declare function localBackend(): Backend;
export class Store {
  private _backend: Backend = remoteBackend();
  get backend(): Backend {
    return this._backend;
  }
  startup(): Promise<void> {
    return this.backend.connect().catch(() => {
      this._backend = localBackend();
      return this.backend.connect();
    });
  }
}
`,
    },
    {
      name: 'a setInterval that stops only when the result says so is polling for a condition',
      code: `export function check(fn: () => Promise<boolean>, timeout: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      clearInterval(handle);
      reject(new Error('timeout'));
    }, timeout);
    const handle = setInterval(async () => {
      try {
        if (await fn()) {
          clearTimeout(timer);
          clearInterval(handle);
          resolve(true);
        }
      } catch {
        // keep checking
      }
    }, 50);
  });
}
`,
    },
    {
      name: 'a .catch() retry through a stored delay whose length a backoff object decides, that gives up with stop()',
      code: `declare const api: { add(name: string): Promise<void> };
declare function delay(ms: number): Promise<void>;
declare function backoffPolicy(): { backoff(attempt: number): number };
export class Consumer {
  private fails = 0;
  private done = false;
  reset(): void {
    api
      .add('orders')
      .then(() => {
        this.fails = 0;
      })
      .catch((err) => {
        this.fails++;
        if (this.fails >= 30) this.stop(err);
        const wait = delay(backoffPolicy().backoff(this.fails));
        wait
          .then(() => {
            if (!this.done) this.reset();
          })
          .catch(() => undefined);
      });
  }
  stop(_err: unknown): void {
    this.done = true;
  }
}
`,
    },
    {
      name: 'a stream read that resumes through a method opening a new cursor is not a blind retry',
      code: `interface Cursor { next(): Promise<string | null> }
declare function openCursor(resumeToken: string | undefined): Cursor;
export class ChangeStream {
  private cursor: Cursor = openCursor(undefined);
  private resumeToken: string | undefined;
  async next(): Promise<string | null> {
    while (true) {
      try {
        return await this.cursor.next();
      } catch (error) {
        await this.processError(error);
      }
    }
  }
  private async processError(error: unknown): Promise<void> {
    if (!(error instanceof Error) || !error.message.includes('resumable')) throw error;
    this.resume();
  }
  private resume(): void {
    this.cursor = openCursor(this.resumeToken);
  }
}
`,
    },
    {
      name: 'a fixed wait as long as the delay cap is a slow beat, not a stampede',
      code: `export const sentinelOptions = {
  sentinelReconnectStrategy: () => 60_000,
};
`,
    },
    {
      name: 'a loop that tries the next fallback by index is failover, not a retry',
      code: `declare function call(model: string, prompt: string): Promise<string>;
export async function withFallbacks(prompt: string, models: string[]): Promise<string> {
  for (let i = 0; i < models.length; i++) {
    try {
      const model = models[i]!;
      return await call(model, prompt);
    } catch (error) {
      if (i === models.length - 1) throw error;
    }
  }
  throw new Error('no models');
}
`,
    },
    {
      name: 'polling a queue that answers "still in progress" is waiting, not retrying',
      code: `${SLEEP}declare const queue: { result(id: string): Promise<string> };
export async function transcript(id: string): Promise<string> {
  const started = Date.now();
  while (true) {
    try {
      return await queue.result(id);
    } catch (error) {
      if (error instanceof Error && error.message === 'Request is still in progress') {
        // keep polling
      } else {
        throw error;
      }
    }
    if (Date.now() - started > 60_000) throw new Error('timed out');
    await sleep(1000);
  }
}
`,
    },
    {
      name: 'a Retry-After wait the handler stores for the next attempt is a delay the server decides',
      code: `import { setTimeout } from 'node:timers/promises';
const hostDelays = new Map<string, Promise<unknown>>();
export async function withRetryAfter<T>(task: () => Promise<T>, host: string, retryAfter: (err: unknown) => number | null): Promise<T> {
  let retries = 0;
  for (;;) {
    try {
      await hostDelays.get(host);
      hostDelays.delete(host);
      return await task();
    } catch (err) {
      const seconds = retryAfter(err);
      if (seconds === null || retries === 2) throw err;
      hostDelays.set(host, (hostDelays.get(host) ?? Promise.resolve()).then(() => setTimeout(seconds * 1000)));
      retries += 1;
    }
  }
}
`,
    },
    {
      name: 'trying the next port when the port is in use is a different input, not a retry',
      code: `import * as http from 'node:http';
export function startServer(port: number): void {
  const server = http.createServer();
  server.listen(port);
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') {
      startServer(port + 1);
      return;
    }
    console.error(error);
  });
}
`,
    },
    {
      name: 'a loop that also waits when the check worked but said "not yet" is polling',
      code: `declare function wait(ms: number): Promise<void>;
declare function healthCheck(url: string): Promise<boolean>;
export async function waitForEndpoint(url: string): Promise<void> {
  let healthy = false;
  while (!healthy) {
    try {
      healthy = await healthCheck(url);
      if (!healthy) await wait(1000);
    } catch {
      await wait(1000);
    }
  }
}
`,
    },
    {
      name: 'an agent loop that checks each step after the try, without counting attempts, is not a retry',
      code: `type Step = { done: true; answer: string } | { done: false; action: string };
declare const agent: { plan(history: string[]): Promise<Step> };
declare function act(action: string): Promise<string>;
export async function run(maxSteps: number): Promise<string> {
  const history: string[] = [];
  let steps = 0;
  while (steps < maxSteps) {
    let step: Step;
    try {
      step = await agent.plan(history);
    } catch (error) {
      step = { done: false, action: 'report-parse-error' };
    }
    if (step.done) return step.answer;
    history.push(await act(step.action));
    steps++;
  }
  throw new Error('too many steps');
}
`,
    },
    {
      name: 'a loop that stops by setting what it tests once a limit computed from the counter says so is bounded',
      code: `declare function wait(ms: number): Promise<void>;
export async function retry<T>(fn: () => Promise<T>, getWaitMs: (n: number) => number | null, maxRetries = 3): Promise<T> {
  let retries = 0;
  let doneError: unknown;
  while (!doneError) {
    try {
      return await fn();
    } catch (err) {
      const waitMs = getWaitMs(retries);
      const willRetry = retries < maxRetries && waitMs !== null;
      if (willRetry) {
        retries += 1;
        await wait(waitMs);
      } else {
        doneError = err;
      }
    }
  }
  throw doneError;
}
`,
    },
    {
      name: 'a helper given the attempt number decides when to stop and how long to wait',
      code: `declare function wait(ms: number): Promise<void>;
declare function nextWait(failure: unknown, attempt: number): number | null;
declare const agent: { fetch(url: string): Promise<string> };
export async function call(url: string): Promise<string | unknown> {
  for (let counter = 1; ; counter++) {
    try {
      return await agent.fetch(url);
    } catch (failure) {
      const waitTime = nextWait(failure, counter);
      if (waitTime == null) return failure;
      await wait(waitTime);
    }
  }
}
`,
    },
    {
      name: 'waiting for a concurrent request already in flight is not a retry',
      code: `export class CachedGetter<V> {
  #pending = new Map<string, Promise<{ isFresh: boolean; value: V }>>();
  constructor(private readonly allowStored: (value: V) => Promise<boolean>) {}
  async get(key: string, load: () => Promise<V>): Promise<V> {
    let previous: Promise<{ isFresh: boolean; value: V }> | undefined;
    while ((previous = this.#pending.get(key))) {
      try {
        const { isFresh, value } = await previous;
        if (isFresh) return value;
        if (await this.allowStored(value)) return value;
      } catch {
        // the other caller saw the error
      }
    }
    return load();
  }
}
`,
    },
    {
      name: 'retrying only a concurrent-modification error resolves a race, like a uniqueness conflict',
      code: `declare class ConcurrentRefreshError extends Error {}
declare const db: { rotate(id: string): Promise<string> };
export async function rotateToken(id: string): Promise<string> {
  try {
    return await db.rotate(id);
  } catch (err) {
    if (err instanceof ConcurrentRefreshError) {
      return rotateToken(id);
    }
    throw err;
  }
}
`,
    },
    {
      name: 'a loop that takes the next URL by index before the try is failover',
      code: `declare function fetchFont(url: string): Promise<ArrayBuffer>;
export async function loadFont(urls: string[]): Promise<ArrayBuffer | undefined> {
  let i = 0;
  while (i < urls.length) {
    const url = urls[i]!;
    try {
      return await fetchFont(url);
    } catch (e) {
      console.error(e);
    }
    i++;
  }
  return undefined;
}
`,
    },
    {
      name: 'type tests (.test-d.ts) are test files',
      filename: 'src/transaction.test-d.ts',
      code: `declare const session: { commit(): Promise<void> };
export async function commitWithRetry(): Promise<void> {
  try {
    await session.commit();
  } catch {
    await commitWithRetry();
  }
}
`,
    },
  ],
  invalid: [
    {
      name: 'a wait at the start of each retry, inside the try, is the delay (exponential without jitter)',
      code: `${SLEEP}export async function retryNetwork<T>(maxAttempts: number, op: () => Promise<T>): Promise<T> {
  let attempts = 0;
  let last: unknown;
  while (attempts < maxAttempts) {
    try {
      if (attempts > 0) await sleep(1000 * Math.pow(2, attempts));
      return await op();
    } catch (err) {
      attempts += 1;
      last = err;
    }
  }
  throw last;
}
`,
      errors: [{ messageId: 'noJitter', line: 8 }],
    },
    {
      name: 'a reconnect that waits through a cancellable wait handle has a constant delay, not none',
      code: `function wait(ms: number): { promise: Promise<void>; cancel: () => void } {
  let handle: ReturnType<typeof setTimeout> | undefined;
  return {
    promise: new Promise<void>((resolve) => {
      handle = setTimeout(resolve, ms);
    }),
    cancel: () => clearTimeout(handle),
  };
}
declare function dial(url: string): Promise<void>;
export class Manager {
  private cancelRetry: (() => void) | undefined;
  constructor(
    private readonly url: string,
    private readonly reconnectSeconds: number,
  ) {}
  connect(): Promise<void> {
    return dial(this.url).catch(() => {
      const handle = wait(this.reconnectSeconds * 1000);
      this.cancelRetry = handle.cancel;
      return handle.promise.then(() => this.connect());
    });
  }
}
`,
      errors: [{ messageId: 'constantDelay', line: 21, message: 'This reconnect waits the same delay (this.reconnectSeconds * 1000) before every attempt instead of backing off exponentially.' }],
    },
    {
      name: 'a recursive retry that waits for the connection to come back is unbounded, not delay-less',
      code: `declare const client: { getPushRules(): Promise<string[]> };
export class Sync {
  private connectionBack: Promise<void> | undefined;
  private rules: string[] = [];
  private onReconnect: () => void = () => undefined;
  async getPushRules(): Promise<void> {
    try {
      this.rules = await client.getPushRules();
    } catch (err) {
      await this.waitForConnection();
      return this.getPushRules();
    }
  }
  private async waitForConnection(): Promise<void> {
    this.connectionBack ??= new Promise<void>((resolve) => {
      this.onReconnect = resolve;
    });
    await this.connectionBack;
  }
}
`,
      errors: [{ messageId: 'unbounded', line: 11 }],
    },
    {
      name: 'a delay that grows with the square of the attempt backs off, but without jitter',
      code: `${SLEEP}declare const gitlab: { merge(pr: number): Promise<void> };
export async function automerge(pr: number): Promise<void> {
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    try {
      await gitlab.merge(pr);
      break;
    } catch (err) {
      console.debug('automerge failed, retrying', err);
    }
    await sleep(500 * attempt ** 2);
  }
}
`,
      errors: [{ messageId: 'noJitter', line: 6 }],
    },
    {
      name: 'a retry loop that checks the result after the try is still a retry',
      code: `${SLEEP}declare const cache: { get(key: string): Promise<{ status: number } | undefined> };
export async function lookup(key: string, maxAttempts = 3): Promise<{ status: number }> {
  let attempt = 1;
  while (attempt <= maxAttempts) {
    let response: { status: number } | undefined;
    try {
      response = await cache.get(key);
    } catch (error) {
      console.debug('cache lookup failed', error);
    }
    if (response && response.status < 500) {
      return response;
    }
    await sleep(5000);
    attempt++;
  }
  throw new Error('cache unavailable');
}
`,
      errors: [{ messageId: 'constantDelay', line: 8 }],
    },
    {
      name: 'a function that hands itself to a helper calling it back from a timer is a recursive retry',
      code: `declare const api: { openConnection(): Promise<{ url?: string }> };
export class SocketClient {
  private failures = 0;
  private readonly pingTimeoutMs = 5000;
  private delayReconnect<T>(cb: () => Promise<T>): Promise<T> {
    this.failures += 1;
    const wait = this.pingTimeoutMs * this.failures;
    return new Promise((resolve) => {
      setTimeout(() => {
        void cb.apply(this).then(resolve);
      }, wait);
    });
  }
  async fetchUrl(): Promise<string> {
    try {
      const resp = await api.openConnection();
      if (!resp.url) throw new Error('no url');
      this.failures = 0;
      return resp.url;
    } catch (error) {
      return await this.delayReconnect(this.fetchUrl);
    }
  }
}
`,
      errors: [
        {
          messageId: 'linearDelay',
          line: 21,
          message: 'This recursive retry grows its delay only linearly (wait) instead of exponentially; it also has no cap on the delay, no maximum number of attempts.',
        },
      ],
      output: null,
    },
    {
      name: 'a prefixed delay callback (clusterRetryStrategy) is judged like retryStrategy',
      code: `export const defaults = {
  clusterRetryStrategy: (times: number) => Math.min(100 + times * 2, 2000),
};
`,
      errors: [{ messageId: 'linearDelay', line: 2 }],
    },
    {
      name: 'retrying every error except "not found" is still a retry',
      code: `${SLEEP}declare class HttpError extends Error { status: number }
declare const api: { get(url: string): Promise<string> };
export async function load(url: string): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await api.get(url);
    } catch (err) {
      if (err instanceof HttpError && err.status === 404) throw err;
    }
    await sleep(1000);
  }
  throw new Error('gave up');
}
`,
      errors: [{ messageId: 'constantDelay', line: 7 }],
    },
    {
      name: 'a setInterval that clears itself as soon as the attempt does not throw is a retry',
      code: `declare function connect(): Promise<void>;
export const timer = setInterval(async () => {
  try {
    await connect();
    clearInterval(timer);
  } catch {
    // try again on the next tick
  }
}, 5000);
`,
      errors: [{ messageId: 'constantDelay', line: 4 }],
    },
  ],
});

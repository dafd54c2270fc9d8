import rule from '../../server/src/rules/missing-timeout';
import { runRuleTests } from '../ruleTester';

// gRPC clients, request/reply over queues and sockets, the project's own clients
// (options clientFunctions/clientClasses) and clients only the type checker can name.

const grpcTypes = `declare module '@grpc/grpc-js' {
  export class Metadata {
    set(key: string, value: string): void;
  }
  export interface CallOptions {
    deadline?: Date | number;
  }
  export class ChannelCredentials {}
  export const credentials: { createInsecure(): ChannelCredentials; createSsl(): ChannelCredentials };
  export interface ServiceError extends Error {
    code: number;
  }
  export class Client {
    constructor(address: string, credentials: ChannelCredentials, options?: object);
    close(): void;
  }
}
`;

// What grpc-tools generates: overloads with (request, [metadata, [options]], callback).
const usersClient = `import * as grpc from '@grpc/grpc-js';
export interface User {
  id: string;
}
type Callback = (error: grpc.ServiceError | null, user?: User) => void;
export class UsersClient extends grpc.Client {
  getUser(request: { id: string }, callback: Callback): void;
  getUser(request: { id: string }, metadata: grpc.Metadata, callback: Callback): void;
  getUser(request: { id: string }, metadata: grpc.Metadata, options: Partial<grpc.CallOptions>, callback: Callback): void;
}
`;

const grpcProject = {
  packageJson: { dependencies: { '@grpc/grpc-js': '^1.10.0' } },
};

const amqpTypes = `declare module 'amqp-lite' {
  export interface Channel {
    sendToQueue(queue: string, content: Buffer, options?: { correlationId?: string; replyTo?: string }): boolean;
  }
}
`;

const socketTypes = `export interface Socket {
  emit(event: string, data: unknown, ack?: (reply: unknown) => void): void;
  timeout(ms: number): Socket;
}
`;

const paymentsClient = `export class PaymentsClient {
  async charge(orderId: string, options?: { timeoutMs?: number }): Promise<string> {
    return orderId + String(options?.timeoutMs ?? 0);
  }
  close(): void {}
}
`;

runRuleTests(rule, {
  valid: [
    {
      name: 'gRPC call with a deadline',
      ...grpcProject,
      files: { 'src/types.d.ts': grpcTypes, 'src/generated/users_grpc_pb.d.ts': usersClient },
      code: `import * as grpc from '@grpc/grpc-js';
import { UsersClient } from './generated/users_grpc_pb';
const client = new UsersClient('users:50051', grpc.credentials.createInsecure());
export function getUser(id: string) {
  client.getUser({ id }, new grpc.Metadata(), { deadline: Date.now() + 2000 }, () => undefined);
  client.close();
}`,
    },
    {
      name: 'gRPC call with options built elsewhere is not guessed at',
      ...grpcProject,
      files: { 'src/types.d.ts': grpcTypes, 'src/generated/users_grpc_pb.d.ts': usersClient },
      code: `import * as grpc from '@grpc/grpc-js';
import { UsersClient } from './generated/users_grpc_pb';
declare const callOptions: Partial<grpc.CallOptions>;
const client = new UsersClient('users:50051', grpc.credentials.createInsecure());
export const getUser = (id: string) => client.getUser({ id }, new grpc.Metadata(), callOptions, () => undefined);`,
    },
    {
      name: 'request/reply with a timer that rejects',
      files: { 'src/types.d.ts': amqpTypes },
      code: `import type { Channel } from 'amqp-lite';
const pending = new Map<string, (reply: string) => void>();
export function rpc(channel: Channel, id: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { pending.delete(id); reject(new Error('rpc timeout')); }, 5000);
    pending.set(id, (reply) => { clearTimeout(timer); resolve(reply); });
    channel.sendToQueue('rpc', Buffer.from(body), { correlationId: id, replyTo: 'amq.rabbitmq.reply-to' });
  });
}`,
    },
    {
      name: 'request/reply whose pending entries a sweeper expires',
      files: { 'src/types.d.ts': amqpTypes },
      code: `import type { Channel } from 'amqp-lite';
export class Rpc {
  private readonly pending = new Map<string, { resolve: (reply: string) => void; at: number }>();
  constructor(private readonly channel: Channel) {
    setInterval(() => {
      for (const [id, entry] of this.pending) if (Date.now() - entry.at > 5000) this.pending.delete(id);
    }, 1000);
  }
  call(id: string, body: string): Promise<string> {
    return new Promise((resolve) => {
      this.pending.set(id, { resolve, at: Date.now() });
      this.channel.sendToQueue('rpc', Buffer.from(body), { correlationId: id });
    });
  }
}`,
    },
    {
      name: 'socket.io acknowledgement with socket.timeout(ms)',
      files: { 'src/socket.ts': socketTypes },
      code: `import type { Socket } from './socket';\nexport const ask = (socket: Socket) => new Promise((resolve) => socket.timeout(5000).emit('ask', {}, (reply) => resolve(reply)));`,
    },
    {
      name: 'an in-process EventEmitter settled by a listener (a dialog the user answers) is not request/reply',
      code: `import { EventEmitter } from 'events';
export const dialogs = new EventEmitter();
export const confirm = (title: string) => new Promise<boolean>((answer) => {
  dialogs.emit('open', { title, answer });
});
`,
    },
    {
      name: 'a wait queue is not request/reply',
      code: `const waiters: Array<() => void> = [];\nexport const acquire = () => new Promise<void>((resolve) => { waiters.push(resolve); });`,
    },
    {
      name: 'waiting for a stream to finish is not request/reply',
      code: `import { Writable } from 'node:stream';\nexport const flush = (out: Writable, data: string) => new Promise<void>((resolve) => { out.write(data); out.once('finish', resolve); });`,
    },
    {
      name: 'request/reply raced against a timer by the caller',
      files: { 'src/types.d.ts': amqpTypes },
      code: `import type { Channel } from 'amqp-lite';
declare function withTimeout<T>(p: Promise<T>, ms: number): Promise<T>;
const pending = new Map<string, (reply: string) => void>();
export const rpc = (channel: Channel, id: string) =>
  withTimeout(new Promise<string>((resolve) => {
    pending.set(id, resolve);
    channel.sendToQueue('rpc', Buffer.from(id), { correlationId: id });
  }), 5000);`,
    },
    {
      name: 'a configured client class called with a timeout',
      options: { clientClasses: ['PaymentsClient'] },
      files: { 'src/payments.ts': paymentsClient },
      code: `import { PaymentsClient } from './payments';\nconst payments = new PaymentsClient();\nexport const pay = (id: string) => payments.charge(id, { timeoutMs: 3000 });`,
    },
    {
      name: 'a configured client method list leaves other methods alone',
      options: { clientClasses: ['PaymentsClient.charge'] },
      files: { 'src/payments.ts': paymentsClient },
      code: `import { PaymentsClient } from './payments';\nexport const stop = (payments: PaymentsClient) => payments.close();`,
    },
    {
      name: 'a client typed Got of unknown configuration is not judged',
      packageJson: { dependencies: { got: '^14.0.0' } },
      files: { 'src/types.d.ts': `declare module 'acme-sdk' {\n  import type { Got } from 'got';\n  export const client: Got;\n}\n` },
      code: `import { client } from 'acme-sdk';\nexport const f = () => client.get('https://x');`,
    },
  ],
  invalid: [
    {
      name: 'gRPC call without a deadline, (request, callback): the fix adds metadata and a deadline',
      ...grpcProject,
      files: { 'src/types.d.ts': grpcTypes, 'src/generated/users_grpc_pb.d.ts': usersClient },
      code: `import * as grpc from '@grpc/grpc-js';
import { UsersClient } from './generated/users_grpc_pb';
const client = new UsersClient('users:50051', grpc.credentials.createInsecure());
export function getUser(id: string) {
  client.getUser({ id }, (error, user) => console.log(error, user));
}
`,
      errors: [{ messageId: 'grpcNoDeadline', line: 5, message: 'gRPC call client.getUser() has no deadline: if the server stops responding, it waits forever.' }],
      output: `import * as grpc from '@grpc/grpc-js';
import { UsersClient } from './generated/users_grpc_pb';
const client = new UsersClient('users:50051', grpc.credentials.createInsecure());
export function getUser(id: string) {
  client.getUser({ id }, new grpc.Metadata(), { deadline: Date.now() + 10000 }, (error, user) => console.log(error, user));
}
`,
    },
    {
      name: 'gRPC call with metadata and no deadline',
      ...grpcProject,
      files: { 'src/types.d.ts': grpcTypes, 'src/generated/users_grpc_pb.d.ts': usersClient },
      code: `import * as grpc from '@grpc/grpc-js';
import { UsersClient } from './generated/users_grpc_pb';
const client = new UsersClient('users:50051', grpc.credentials.createInsecure());
export function getUser(id: string) {
  const metadata = new grpc.Metadata();
  client.getUser({ id }, metadata, () => undefined);
}
`,
      errors: [{ messageId: 'grpcNoDeadline', line: 6 }],
      output: `import * as grpc from '@grpc/grpc-js';
import { UsersClient } from './generated/users_grpc_pb';
const client = new UsersClient('users:50051', grpc.credentials.createInsecure());
export function getUser(id: string) {
  const metadata = new grpc.Metadata();
  client.getUser({ id }, metadata, { deadline: Date.now() + 10000 }, () => undefined);
}
`,
    },
    {
      name: 'gRPC client injected by type: the type checker names it',
      ...grpcProject,
      files: { 'src/types.d.ts': grpcTypes, 'src/generated/users_grpc_pb.d.ts': usersClient },
      code: `import * as grpc from '@grpc/grpc-js';
import type { UsersClient } from './generated/users_grpc_pb';
export class Profiles {
  constructor(private readonly usersClient: UsersClient) {}
  load(id: string) {
    this.usersClient.getUser({ id }, new grpc.Metadata(), { }, () => undefined);
  }
}
`,
      errors: [{ messageId: 'grpcNoDeadline', line: 6 }],
      output: `import * as grpc from '@grpc/grpc-js';
import type { UsersClient } from './generated/users_grpc_pb';
export class Profiles {
  constructor(private readonly usersClient: UsersClient) {}
  load(id: string) {
    this.usersClient.getUser({ id }, new grpc.Metadata(), { deadline: Date.now() + 10000 }, () => undefined);
  }
}
`,
    },
    {
      name: 'request/reply over a queue with no timer: wrapped in the withTimeout pattern',
      files: { 'src/types.d.ts': amqpTypes },
      code: `import type { Channel } from 'amqp-lite';
const pending = new Map<string, (reply: string) => void>();
export function rpc(channel: Channel, id: string, body: string): Promise<string> {
  return new Promise((resolve) => {
    pending.set(id, resolve);
    channel.sendToQueue('rpc', Buffer.from(body), { correlationId: id, replyTo: 'amq.rabbitmq.reply-to' });
  });
}
`,
      errors: [{ messageId: 'requestReplyNoTimeout', line: 4, message: 'This promise waits for a reply to channel.sendToQueue() with no timer: if the reply never comes, it never settles.' }],
      output: `import type { Channel } from 'amqp-lite';
import { withTimeout } from './resilience/with-timeout';
const pending = new Map<string, (reply: string) => void>();
export function rpc(channel: Channel, id: string, body: string): Promise<string> {
  return withTimeout(new Promise((resolve) => {
    pending.set(id, resolve);
    channel.sendToQueue('rpc', Buffer.from(body), { correlationId: id, replyTo: 'amq.rabbitmq.reply-to' });
  }), 10000);
}
`,
      createdFiles: { 'src/resilience/with-timeout.ts': /^\/\/ resilint-pattern: with-timeout v1/ },
    },
    {
      name: 'an emitter that is not one of this process (a socket made elsewhere) still waits for a reply',
      files: { 'src/socket.ts': socketTypes },
      code: `import type { Socket } from './socket';
import { EventEmitter } from 'events';
declare function connect(): Socket;
export const local = new EventEmitter();
const socket = connect();
export const ask = () => new Promise((resolve) => socket.emit('ask', {}, (reply) => resolve(reply)));
`,
      errors: [{ messageId: 'requestReplyNoTimeout', line: 6 }],
    },
    {
      name: 'a socket acknowledgement with no timeout',
      files: { 'src/socket.ts': socketTypes },
      code: `import type { Socket } from './socket';\nexport const ask = (socket: Socket) => new Promise((resolve) => socket.emit('ask', {}, (reply) => resolve(reply)));\n`,
      errors: [{ messageId: 'requestReplyNoTimeout', line: 2 }],
    },
    {
      name: 'a reply listener on a WebSocket-like emitter',
      code: `import { EventEmitter } from 'node:events';
interface Link extends EventEmitter { send(data: string): void }
export function ask(link: Link, question: string): Promise<string> {
  return new Promise((resolve) => {
    link.once('message', (answer: string) => resolve(answer));
    link.send(question);
  });
}
`,
      errors: [{ messageId: 'requestReplyNoTimeout', line: 4 }],
    },
    {
      name: 'a configured client function',
      options: { clientFunctions: ['callPartner'] },
      code: `declare function callPartner(path: string, options?: { timeout?: number }): Promise<string>;\nexport const f = () => callPartner('/x');\nexport const g = () => callPartner('/x', { timeout: 1000 });\n`,
      errors: [{ messageId: 'customClientNoTimeout', line: 2 }],
    },
    {
      name: 'a configured client class: every method, wrapped in withTimeout by the fix',
      options: { clientClasses: ['PaymentsClient'] },
      files: { 'src/payments.ts': paymentsClient },
      code: `import { PaymentsClient } from './payments';
export class Checkout {
  constructor(private readonly payments: PaymentsClient) {}
  async pay(id: string) {
    return await this.payments.charge(id);
  }
}
`,
      errors: [{ messageId: 'customClientNoTimeout', line: 5 }],
      output: `import { PaymentsClient } from './payments';
import { withTimeout } from './resilience/with-timeout';
export class Checkout {
  constructor(private readonly payments: PaymentsClient) {}
  async pay(id: string) {
    return await withTimeout(this.payments.charge(id), 10000);
  }
}
`,
      createdFiles: { 'src/resilience/with-timeout.ts': /export async function withTimeout/ },
    },
    {
      name: 'a configured client class from an installed package no rule names: its promise is seen, so the fix wraps it',
      options: { clientClasses: ['PaymentsClient'] },
      files: {
        'src/node_modules/pay-sdk/package.json': JSON.stringify({ name: 'pay-sdk', version: '1.0.0', types: 'index.d.ts' }),
        'src/node_modules/pay-sdk/index.d.ts': 'export declare class PaymentsClient {\n  charge(id: string): Promise<string>;\n}\n',
      },
      code: `import { PaymentsClient } from 'pay-sdk';
export const pay = async (payments: PaymentsClient, id: string) => await payments.charge(id);
`,
      errors: [{ messageId: 'customClientNoTimeout', line: 2 }],
      output: `import { PaymentsClient } from 'pay-sdk';
import { withTimeout } from './resilience/with-timeout';
export const pay = async (payments: PaymentsClient, id: string) => await withTimeout(payments.charge(id), 10000);
`,
      createdFiles: { 'src/resilience/with-timeout.ts': /export async function withTimeout/ },
    },
    {
      name: 'a class configured both whole and by method: every method counts',
      options: { clientClasses: ['PaymentsClient.charge', 'PaymentsClient'] },
      files: { 'src/payments.ts': paymentsClient },
      code: `import { PaymentsClient } from './payments';\nexport const stop = (payments: PaymentsClient) => payments.close();\n`,
      errors: [{ messageId: 'customClientNoTimeout', line: 2 }],
      output: null,
    },
    {
      name: 'the default axios reached only through a package type (AxiosStatic)',
      packageJson: { dependencies: { axios: '^1.0.0' } },
      files: { 'src/types.d.ts': `declare module 'acme-sdk' {\n  import type { AxiosStatic } from 'axios';\n  export const http: AxiosStatic;\n}\n` },
      code: `import { http } from 'acme-sdk';\nexport const f = () => http.get('https://x');\n`,
      errors: [{ messageId: 'axiosNoTimeout', line: 2 }],
      output: `import { http } from 'acme-sdk';\nexport const f = () => http.get('https://x', { timeout: 10000 });\n`,
    },
  ],
});

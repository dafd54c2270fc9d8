import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFile } from '../../server/src/engine/analyzer';
import { ConfigResolver } from '../../server/src/engine/config';
import { applyTextEdits, mergeFixes } from '../../server/src/engine/edits';
import { Workspace } from '../../server/src/engine/workspace';
import nPlusOneResolver from '../../server/src/rules/n-plus-one-resolver';
import { edgesOf, extractFixture, extractFolder, extractProject, nodeNamed, nodesOf, REPO_ROOT, writeProject } from './graphHelpers';

describe('architecture extraction', () => {
  it('maps a NestJS app: controllers, resolvers, services, clients, processors and what they inject', () => {
    const graph = extractFixture('nest-app');
    assert.deepEqual(nodesOf(graph), [
      'cache Redis',
      'client PaymentsClient',
      'controller OrdersController',
      'database TypeORM',
      'queue emails',
      'remote-api PAYMENTS_URL',
      'remote-api crm.example.com',
      'resolver OrdersResolver',
      'service CustomersService',
      'service OrdersService',
      'worker EmailProcessor',
    ]);
    assert.deepEqual(edgesOf(graph), [
      'CustomersService -http-> crm.example.com [GET]',
      'OrdersController -injects-> OrdersService',
      'OrdersResolver -injects-> CustomersService',
      'OrdersResolver -injects-> OrdersService',
      'OrdersService -caches-> Redis',
      'OrdersService -injects-> PaymentsClient',
      'OrdersService -publishes-> emails',
      'OrdersService -queries-> TypeORM [Order]',
      'PaymentsClient -http-> PAYMENTS_URL [POST]',
      'emails -consumes-> EmailProcessor',
    ]);
    assert.equal(nodeNamed(graph, 'OrdersController').detail, 'GET /orders/:id, POST /orders/:id/pay');
    assert.equal(nodeNamed(graph, 'OrdersResolver').detail, '1 query · 1 field');
    assert.equal(nodeNamed(graph, 'emails').detail, 'BullMQ');
    assert.equal(nodeNamed(graph, 'OrdersService').group, 'src/orders');
    assert.equal(nodeNamed(graph, 'TypeORM').group, '');
    assert.match(nodeNamed(graph, 'OrdersService').filePath ?? '', /orders\.service\.ts$/);
  });

  it('maps an Apollo server: the resolver map, its data sources through the context, and their stores', () => {
    const graph = extractFixture('apollo-server');
    assert.deepEqual(nodesOf(graph), [
      'cache in-memory cache',
      'client InventoryAPI',
      'database PostgreSQL',
      'remote-api inventory.example.com',
      'repository ProductsDb',
      'resolver resolvers',
      'service reviews',
    ]);
    assert.deepEqual(edgesOf(graph), [
      'InventoryAPI -http-> inventory.example.com [GET]',
      'ProductsDb -queries-> PostgreSQL',
      'resolvers -calls-> InventoryAPI',
      'resolvers -calls-> ProductsDb',
      'resolvers -calls-> reviews',
      'reviews -caches-> in-memory cache',
      'reviews -queries-> PostgreSQL',
    ]);
    assert.equal(nodeNamed(graph, 'resolvers').detail, 'Query 2 · Product 2');
  });

  it('maps an Express app with queues: routes, function modules, Kafka, BullMQ, RabbitMQ, Knex, Redis', () => {
    const graph = extractFixture('express-queues');
    assert.deepEqual(nodesOf(graph), [
      'cache Redis',
      'client mailer.client',
      'controller orders.routes',
      'database Knex',
      'queue audit',
      'queue emails',
      'queue order-created',
      'remote-api api.mailgun.example',
      'service order.service',
      'service producer',
      'worker audit.consumer',
      'worker email.worker',
    ]);
    assert.deepEqual(edgesOf(graph), [
      'audit -consumes-> audit.consumer',
      'audit.consumer -queries-> Knex',
      'email.worker -calls-> mailer.client',
      'emails -consumes-> email.worker',
      'mailer.client -http-> api.mailgun.example [POST]',
      'order.service -caches-> Redis',
      'order.service -calls-> producer',
      'order.service -publishes-> emails',
      'order.service -queries-> Knex',
      'orders.routes -calls-> order.service',
      'producer -publishes-> order-created',
    ]);
    assert.equal(nodeNamed(graph, 'orders.routes').detail, 'GET /, POST /');
    assert.equal(nodeNamed(graph, 'order-created').detail, 'Kafka');
    assert.equal(nodeNamed(graph, 'audit').detail, 'RabbitMQ');
  });

  it('groups remote calls by host or configuration key, and keeps unknown URLs apart', () => {
    const graph = extractProject({
      'src/billing.client.ts': `
        import axios from 'axios';
        const stripe = axios.create({ baseURL: 'https://api.stripe.com/v1' });
        export const charge = () => stripe.post('/charges', {});
        export const refund = () => stripe.post('/refunds', {});
        export const rates = () => fetch(process.env.RATES_URL + '/today');
        export const anything = (url: string) => fetch(url);
        export const status = () => axios.get('https://status.stripe.com/api');`,
    });
    assert.deepEqual(edgesOf(graph), [
      'billing.client -http-> HTTP (URL known at run time) [GET]',
      'billing.client -http-> RATES_URL [GET]',
      'billing.client -http-> api.stripe.com [POST]',
      'billing.client -http-> status.stripe.com [GET]',
    ]);
    assert.equal(graph.edges.find((e) => e.label === 'POST')?.sites.length, 2);
  });

  it('draws ofetch calls as remote APIs, grouped by host like the other HTTP clients', () => {
    const graph = extractProject({
      'src/catalog.client.ts': `
        import { ofetch } from 'ofetch';
        export const products = () => ofetch('https://catalog.example.com/products');
        export const stock = () => ofetch('https://catalog.example.com/stock');`,
    });
    assert.deepEqual(edgesOf(graph), ['catalog.client -http-> catalog.example.com [GET]']);
    assert.equal(graph.edges[0]?.sites.length, 2);
  });

  it('reads the HTTP method from the options of every callable client, and from a request config', () => {
    const graph = extractProject({
      'src/orders.client.ts': `
        import axios from 'axios';
        import got from 'got';
        import ky from 'ky';
        import { ofetch } from 'ofetch';
        export const a = () => ofetch('https://a.example.com/a', { method: 'POST' });
        export const b = () => axios('https://b.example.com/b', { method: 'put' });
        export const c = () => got('https://c.example.com/c', { method: 'DELETE' });
        export const d = () => ky('https://d.example.com/d', { method: 'patch' });
        export const e = () => axios({ url: 'https://e.example.com/e', method: 'post' });
        export const f = () => axios.request({ url: 'https://f.example.com/f', method: 'DELETE' });
        export const g = () => ofetch('https://g.example.com/g');`,
    });
    assert.deepEqual(edgesOf(graph), [
      'orders.client -http-> a.example.com [POST]',
      'orders.client -http-> b.example.com [PUT]',
      'orders.client -http-> c.example.com [DELETE]',
      'orders.client -http-> d.example.com [PATCH]',
      'orders.client -http-> e.example.com [POST]',
      'orders.client -http-> f.example.com [DELETE]',
      'orders.client -http-> g.example.com [GET]',
    ]);
  });

  it('follows imports through tsconfig paths aliases as it follows relative ones', () => {
    const graph = extractProject({
      'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@app/*': ['libs/*'] } } }),
      'libs/users/users.service.ts': `
        import { Injectable } from '@nestjs/common';
        import { Redis } from 'ioredis';
        const redis = new Redis();
        @Injectable()
        export class UsersService { find(id: string) { return redis.get(id); } }`,
      'libs/audit/audit.ts': `export function audit(event: string) { return fetch('https://audit.example.com/' + event); }`,
      'apps/api/users.controller.ts': `
        import { Controller, Get } from '@nestjs/common';
        import { UsersService } from '@app/users/users.service';
        import { audit } from '@app/audit/audit';
        @Controller('users')
        export class UsersController {
          constructor(private readonly users: UsersService) {}
          @Get(':id') find(id: string) { void audit('read'); return this.users.find(id); }
        }`,
    });
    assert.deepEqual(edgesOf(graph), [
      'UsersController -calls-> audit',
      'UsersController -injects-> UsersService',
      'UsersService -caches-> Redis',
      'audit -http-> audit.example.com [GET]',
    ]);
  });

  it('draws Slonik pools as PostgreSQL', () => {
    const graph = extractProject({
      'src/users.repository.ts': `
        import { createPool, sql } from 'slonik';
        const pool = createPool('postgres://localhost/app');
        export class UsersRepository { find(id: string) { return pool.then((p) => p.one(sql.unsafe\`select * from users where id = \${id}\`)); } }`,
    });
    assert.deepEqual(edgesOf(graph), ['UsersRepository -queries-> PostgreSQL']);
  });

  it('draws a class without a role name only when it talks to a resource itself', () => {
    const graph = extractProject({
      'src/pricing.ts': `export class Pricing { total(a: number, b: number) { return a + b; } }`,
      'src/stock.ts': `import { Redis } from 'ioredis';\nconst redis = new Redis();\nexport class Stock { level(sku: string) { return redis.get(sku); } }`,
    });
    assert.deepEqual(nodesOf(graph), ['cache Redis', 'service Stock']);
  });

  it('leaves out Nest modules, guards, entities, tests and mocks', () => {
    const graph = extractProject({
      'src/app.module.ts': `import { Module } from '@nestjs/common';\n@Module({})\nexport class AppModule {}`,
      'src/auth.guard.ts': `import { Injectable } from '@nestjs/common';\n@Injectable()\nexport class AuthGuard { canActivate() { return true; } }`,
      'src/users.service.ts': `import { Injectable } from '@nestjs/common';\n@Injectable()\nexport class UsersService {}`,
      'src/users.service.spec.ts': `export class FakeUsersService {}\nexport class UsersServiceSpecService {}`,
      'test/mock.service.ts': `export class MockService {}`,
    });
    assert.deepEqual(nodesOf(graph), ['service UsersService']);
  });

  it('follows re-exports and instances exported from another module', () => {
    const graph = extractProject({
      'src/services/index.ts': `export { InventoryService } from './inventory.service';`,
      'src/services/inventory.service.ts': `export class InventoryService { count() { return 1; } }`,
      'src/container.ts': `import { InventoryService } from './services';\nexport const inventory = new InventoryService();`,
      'src/checkout.controller.ts': `import { inventory } from './container';\nexport class CheckoutController { go() { return inventory.count(); } }`,
    });
    assert.deepEqual(edgesOf(graph), ['CheckoutController -calls-> InventoryService']);
  });

  it('draws a resolver map once after the DataLoader quick fix adds loader functions next to it (the shop fixture)', () => {
    const shop = path.join(REPO_ROOT, 'test/fixtures/shop/src/graphql/resolvers.ts');
    const root = writeProject({ 'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, esModuleInterop: true }, include: ['src'] }), 'src/graphql/resolvers.ts': fs.readFileSync(shop, 'utf8') });
    try {
      fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
      const file = path.join(root, 'src/graphql/resolvers.ts');
      const before = extractFolder(root).graph;
      const { findings } = analyzeFile({ workspace: new Workspace(root), configs: new ConfigResolver(root), rules: [nPlusOneResolver] }, file);
      const { edits, createFiles } = mergeFixes(findings.flatMap((f) => f.fixes.filter((fix) => fix.isPreferred)));
      assert.ok(edits.length > 0, 'the quick fix rewrote the resolver');
      fs.writeFileSync(file, applyTextEdits(fs.readFileSync(file, 'utf8'), edits));
      for (const created of createFiles) {
        fs.mkdirSync(path.dirname(created.filePath), { recursive: true });
        fs.writeFileSync(created.filePath, created.text);
      }
      const after = extractFolder(root).graph;
      assert.deepEqual(nodesOf(after), nodesOf(before));
      assert.deepEqual(nodesOf(after), ['resolver resolvers']);
      assert.deepEqual(edgesOf(after), []);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('helper functions in a file named for the class it holds do not draw the file as a second node of that role', () => {
    const graph = extractProject({
      'src/orders.service.ts': `export function totalOf(lines: number[]) { return lines.reduce((a, b) => a + b, 0); }
export class OrdersService { total(lines: number[]) { return totalOf(lines); } }`,
      'src/orders.controller.ts': `import { OrdersService } from './orders.service';\nexport class OrdersController { constructor(private readonly orders: OrdersService) {} }`,
      'src/billing.service.ts': `export function invoice(total: number) { return { total }; }`,
    });
    assert.deepEqual(nodesOf(graph), ['controller OrdersController', 'service OrdersService', 'service billing.service']);
    assert.deepEqual(edgesOf(graph), ['OrdersController -injects-> OrdersService']);
  });

  it('names gRPC services and SQS queues from their clients', () => {
    const graph = extractProject({
      'src/inventory.client.ts': `
        import * as grpc from '@grpc/grpc-js';
        declare const proto: any;
        export const client = () => new proto.inventory.InventoryService('inventory:50051', grpc.credentials.createInsecure());`,
      'src/outbox.service.ts': `
        import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
        const sqs = new SQSClient({});
        export class OutboxService { flush() { return sqs.send(new SendMessageCommand({ QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123/outbox', MessageBody: '{}' })); } }`,
    });
    assert.deepEqual(edgesOf(graph), ['OutboxService -publishes-> outbox', 'inventory.client -grpc-> InventoryService']);
  });
});

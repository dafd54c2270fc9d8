import rule from '../../server/src/rules/missing-timeout';
import { runRuleTests } from '../ruleTester';

// NestJS's HttpService (@nestjs/axios): its axios instance comes from the HttpModule that
// provides it, found through the app's modules from src/main.ts.

// Just enough of @nestjs/axios and rxjs for the fixes' output to be type-checked.
const DECLARATIONS = `declare module '@nestjs/axios' {
  import type { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios';
  import type { Observable } from 'rxjs';
  export class HttpService {
    readonly axiosRef: AxiosInstance;
    get<T = unknown>(url: string, config?: AxiosRequestConfig): Observable<AxiosResponse<T>>;
    post<T = unknown>(url: string, data?: unknown, config?: AxiosRequestConfig): Observable<AxiosResponse<T>>;
  }
  export class HttpModule {
    static register(config: AxiosRequestConfig): unknown;
    static registerAsync(options: { useFactory: (...args: any[]) => AxiosRequestConfig | Promise<AxiosRequestConfig>; inject?: unknown[] }): unknown;
  }
}
declare module 'rxjs' {
  export interface Observable<T> {
    pipe<R>(...operators: ((source: Observable<any>) => Observable<any>)[]): Observable<R>;
  }
  export function firstValueFrom<T>(source: Observable<T>): Promise<T>;
  export function timeout<T>(ms: number): (source: Observable<T>) => Observable<T>;
}
declare function Module(metadata: { imports?: unknown[]; providers?: unknown[]; exports?: unknown[] }): ClassDecorator;
`;

const SERVICE = `import { HttpService } from '@nestjs/axios';
import { firstValueFrom } from 'rxjs';

export class RatesService {
  constructor(private readonly http: HttpService) {}

  async rates(currency: string) {
    const response = await firstValueFrom(this.http.get(\`https://rates.example.com/\${currency}\`));
    return response.data;
  }
}
`;

/** main.ts → app.module.ts → rates.module.ts, which imports HttpModule as `imports` says. */
function app(imports: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'src/nest.d.ts': DECLARATIONS,
    'src/main.ts': `import { AppModule } from './app.module';\nexport const root = AppModule;\n`,
    'src/app.module.ts': `import { RatesModule } from './rates/rates.module';\n@Module({ imports: [RatesModule] })\nexport class AppModule {}\n`,
    'src/rates/rates.module.ts': `import { HttpModule } from '@nestjs/axios';\nimport { RatesService } from './rates.service';\n@Module({ imports: [${imports}], providers: [RatesService] })\nexport class RatesModule {}\n`,
    ...extra,
  };
}

runRuleTests(rule, {
  valid: [
    {
      name: 'HttpModule registered with a timeout bounds the HttpService it provides',
      filename: 'src/rates/rates.service.ts',
      files: app('HttpModule.register({ timeout: 5000, maxRedirects: 5 })'),
      code: SERVICE,
    },
    {
      name: 'registerAsync whose factory returns a timeout',
      filename: 'src/rates/rates.service.ts',
      files: app(`HttpModule.registerAsync({ useFactory: () => ({ timeout: 5000 }) })`),
      code: SERVICE,
    },
    {
      name: 'a bare HttpModule uses the default axios instance, whose default timeout the entry file sets',
      filename: 'src/rates/rates.service.ts',
      files: {
        ...app('HttpModule'),
        'src/main.ts': `import axios from 'axios';\nimport { AppModule } from './app.module';\naxios.defaults.timeout = 5000;\nexport const root = AppModule;\n`,
      },
      code: SERVICE,
    },
    {
      name: 'registerAsync with a factory that reads the config: not known',
      filename: 'src/rates/rates.service.ts',
      files: app(`HttpModule.registerAsync({ inject: [], useFactory: (config: { get(key: string): object }) => config.get('http') })`),
      code: SERVICE,
    },
    {
      name: 'two modules register HttpModule, one with a timeout: which provides this service is not known',
      filename: 'src/rates/rates.service.ts',
      files: app('HttpModule', {
        'src/app.module.ts': `import { HttpModule } from '@nestjs/axios';\nimport { RatesModule } from './rates/rates.module';\n@Module({ imports: [RatesModule, HttpModule.register({ timeout: 3000 })] })\nexport class AppModule {}\n`,
      }),
      code: SERVICE,
    },
    {
      name: 'no HttpModule in sight of the entry file: not known',
      filename: 'src/rates/rates.service.ts',
      files: { 'src/nest.d.ts': DECLARATIONS },
      code: SERVICE,
    },
    {
      name: "the call's own timeout, and an Observable piped through RxJS's timeout()",
      filename: 'src/rates/rates.service.ts',
      files: app('HttpModule'),
      code: `import { HttpService } from '@nestjs/axios';
import { firstValueFrom, timeout } from 'rxjs';

export class RatesService {
  constructor(private readonly http: HttpService) {}
  a = () => firstValueFrom(this.http.get('https://rates.example.com', { timeout: 5000 }));
  b = () => firstValueFrom(this.http.get('https://rates.example.com').pipe(timeout(5000)));
}
`,
    },
    {
      name: 'modules imported through baseUrl are read too: one registration with a timeout, one without, is not known',
      filename: 'src/rates/rates.service.ts',
      compilerOptions: { baseUrl: '.' },
      files: app('HttpModule.register({ timeout: 5000 })', {
        'src/app.module.ts': `import { HttpModule } from '@nestjs/axios';\nimport { RatesModule } from 'src/rates/rates.module';\n@Module({ imports: [RatesModule, HttpModule] })\nexport class AppModule {}\n`,
      }),
      code: SERVICE,
    },
    {
      name: "a service of a second app in the project follows that app's main.ts, whose module sets a timeout",
      filename: 'apps/worker/src/rates/rates.service.ts',
      files: {
        ...app('HttpModule'),
        'apps/worker/src/main.ts': `import { WorkerModule } from './worker.module';\nexport const root = WorkerModule;\n`,
        'apps/worker/src/worker.module.ts': `import { HttpModule } from '@nestjs/axios';\nimport { RatesService } from './rates/rates.service';\n@Module({ imports: [HttpModule.register({ timeout: 5000 })], providers: [RatesService] })\nexport class WorkerModule {}\n`,
      },
      code: SERVICE,
    },
    {
      name: "defaults set on the service's axios instance: axiosRef.defaults.timeout in its constructor, or an interceptor in a module",
      filename: 'src/rates/rates.service.ts',
      files: app('HttpModule'),
      code: `import { HttpService } from '@nestjs/axios';
import { firstValueFrom } from 'rxjs';

export class RatesService {
  constructor(private readonly http: HttpService) {
    this.http.axiosRef.defaults.timeout = 5000;
  }
  rates = () => firstValueFrom(this.http.get('https://rates.example.com'));
}
`,
    },
    {
      name: 'an interceptor that sets a timeout on the HttpService of the app module',
      filename: 'src/rates/rates.service.ts',
      files: app('HttpModule', {
        'src/app.module.ts': `import { HttpService } from '@nestjs/axios';\nimport { RatesModule } from './rates/rates.module';\n@Module({ imports: [RatesModule] })\nexport class AppModule {\n  constructor(private readonly http: HttpService) {}\n  onModuleInit() {\n    this.http.axiosRef.interceptors.request.use((config) => {\n      config.timeout = config.timeout || 5000;\n      return config;\n    });\n  }\n}\n`,
      }),
      code: SERVICE,
    },
  ],
  invalid: [
    {
      name: 'a bare HttpModule: the default axios instance, with no timeout',
      filename: 'src/rates/rates.service.ts',
      files: app('HttpModule'),
      code: SERVICE,
      errors: [
        {
          messageId: 'httpServiceNoTimeout',
          line: 8,
          message: 'this.http.get() has no timeout, and the HttpModule that provides this HttpService sets none (nor does axios by default): if the server stops responding, this call waits forever.',
        },
      ],
      output: SERVICE.replace('${currency}`)', '${currency}`, { timeout: 10000 })'),
    },
    {
      name: 'HttpModule.register without a timeout; axiosRef and post, in a list of modules spread into imports',
      filename: 'src/rates/rates.service.ts',
      files: app('...MODULES', {
        'src/rates/rates.module.ts': `import { HttpModule } from '@nestjs/axios';\nimport { RatesService } from './rates.service';\nconst MODULES = [HttpModule.register({ maxRedirects: 3 })];\n@Module({ imports: [...MODULES], providers: [RatesService], exports: [HttpModule] })\nexport class RatesModule {}\n`,
      }),
      code: `import { HttpService } from '@nestjs/axios';
import { firstValueFrom } from 'rxjs';

export class RatesService {
  constructor(private readonly http: HttpService) {}
  a = () => this.http.axiosRef.get('https://rates.example.com');
  b = () => firstValueFrom(this.http.post('https://rates.example.com', {}));
}
`,
      errors: [
        { messageId: 'httpServiceNoTimeout', line: 6 },
        { messageId: 'httpServiceNoTimeout', line: 7 },
      ],
    },
    {
      name: 'a module reached only through a tsconfig paths alias, with a bare HttpModule',
      filename: 'src/rates/rates.service.ts',
      compilerOptions: { baseUrl: '.', paths: { '@app/*': ['src/*'] } },
      files: app('HttpModule', {
        'src/app.module.ts': `import { RatesModule } from '@app/rates/rates.module';\n@Module({ imports: [RatesModule] })\nexport class AppModule {}\n`,
      }),
      code: SERVICE,
      errors: [{ messageId: 'httpServiceNoTimeout', line: 8 }],
    },
    {
      name: "the first app's service, when a second app in the project registers its HttpModule with a timeout",
      filename: 'src/rates/rates.service.ts',
      files: {
        ...app('HttpModule'),
        'apps/worker/src/main.ts': `import { HttpModule } from '@nestjs/axios';\n@Module({ imports: [HttpModule.register({ timeout: 5000 })] })\nexport class WorkerModule {}\n`,
      },
      code: SERVICE,
      errors: [{ messageId: 'httpServiceNoTimeout', line: 8 }],
    },
    {
      name: 'registerAsync whose factory returns no timeout',
      filename: 'src/rates/rates.service.ts',
      files: app(`HttpModule.registerAsync({ useFactory: async () => ({ baseURL: 'https://rates.example.com' }) })`),
      code: SERVICE,
      errors: [{ messageId: 'httpServiceNoTimeout', line: 8 }],
    },
  ],
});

import * as Comlink from 'comlink';
import { createWebIpadicReader } from './ipadic-web';
import { createWebRuntime } from './runtime-web';
import { PairscopeService } from './service';

const runtime = createWebRuntime(new URL(import.meta.env.BASE_URL, self.location.origin).href);
Comlink.expose(new PairscopeService({ ...runtime, readIpadicFile: createWebIpadicReader() }));

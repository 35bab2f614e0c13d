import * as Comlink from 'comlink';
import { createWebRuntime } from './runtime-web';
import { PairscopeService } from './service';

Comlink.expose(
  new PairscopeService(createWebRuntime(new URL(import.meta.env.BASE_URL, self.location.origin).href)),
);

/** The app's one model-worker client. Creating it starts nothing: the worker starts on the first call. */
import { PairscopeClient } from '../worker/client';

export const client = new PairscopeClient();

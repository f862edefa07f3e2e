import { SwarmguardError } from '../errors/index.js';

/** prom-client, an optional peer dependency of swarmguard, is not installed where it runs. */
export class MetricsUnavailableError extends SwarmguardError {
  override readonly name: string = 'MetricsUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_METRICS_UNAVAILABLE', message, options);
  }
}

/** prom-client itself, or `MetricsUnavailableError` when it is not installed (a failure inside it is rethrown as it is). */
export async function loadPromClient(where: string): Promise<typeof import('prom-client')> {
  try {
    return await import('prom-client');
  } catch (err) {
    const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
    if (code !== 'ERR_MODULE_NOT_FOUND' || typeof message !== 'string' || !message.includes("'prom-client'")) throw err;
    throw new MetricsUnavailableError(`${where}: prom-client is not installed (an optional peer dependency of swarmguard): npm install prom-client`, { cause: err });
  }
}

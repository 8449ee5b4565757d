import { Client, Connection } from '@temporalio/client';
import { config } from '../config';

/**
 * The connection options of every Temporal client and worker: address, TLS (mTLS with a client
 * certificate, or TLS alone) and an API key (Temporal Cloud), from the configuration. The same shape
 * suits `Connection.connect` (client) and `NativeConnection.connect` (worker).
 */
export function temporalConnectionOptions(): {
  address: string;
  tls?: NonNullable<Parameters<typeof Connection.connect>[0]>['tls'];
  apiKey?: string;
} {
  const t = config.temporal;
  return {
    address: t.address,
    ...(t.tls ? { tls: t.tls } : {}),
    ...(t.apiKey ? { apiKey: t.apiKey } : {}),
  };
}

export async function connectTemporal(): Promise<Client> {
  const connection = await Connection.connect(temporalConnectionOptions());
  return new Client({ connection, namespace: config.temporal.namespace });
}

export const suggestionWorkflowId = (suggestionId: string) => `suggestion-${suggestionId}`;

import { Client, Connection } from '@temporalio/client';
import { config } from '../config';

export async function connectTemporal(): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporal.address });
  return new Client({ connection, namespace: config.temporal.namespace });
}

export const suggestionWorkflowId = (suggestionId: string) => `suggestion-${suggestionId}`;

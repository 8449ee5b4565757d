/**
 * 服务暂时不可用: an error that means a backend (Temporal, PostgreSQL) is down or failing over for a
 * moment — not a bug and not the caller's fault — becomes a 503 problem document with `Retry-After`,
 * in Chinese and English, instead of a 500. The request changed nothing that stays: the item's rows are
 * written by the workflow's activities (never before Temporal took the step), the Idempotency-Key row is
 * claimed in the transaction that rolls back, and an update Temporal never received was never applied.
 * An update whose answer was lost in flight (the RPC timed out) may still be applied; the person's retry
 * then finds the step done (409) or succeeds.
 */
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { HttpProblem } from './problem';

/** Seconds a client should wait before retrying: a Temporal frontend or PostgreSQL restart takes a few. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * gRPC statuses that mean "not now" (grpc.status): CANCELLED 1 (the connection went away), DEADLINE_EXCEEDED 4,
 * RESOURCE_EXHAUSTED 8 (Temporal's rate limits, a busy workflow), ABORTED 10, UNAVAILABLE 14 (no
 * connection, a shard moving to another history host).
 */
const GRPC_TRANSIENT = new Set([1, 4, 8, 10, 14]);

/**
 * PostgreSQL SQLSTATEs that mean the server is going away or not there yet: class 08 (connection
 * exception), 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up or in
 * recovery), 53300 too_many_connections.
 */
const PG_TRANSIENT = /^(08...|57P0[123]|53300)$/;
/** Node's socket errors and pg's own messages when the connection is refused, cut or not made in time. */
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
const PG_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection terminated due to connection timeout|the database system is (starting up|shutting down|in recovery mode)/i;

type Backend = 'temporal' | 'database' | 'backend';

/** The chain of causes of an error (Temporal's and TypeORM's wrappers), the error itself first. */
function* causes(err: unknown): Generator<Record<string, unknown>> {
  const seen = new Set<unknown>();
  let e: unknown = err;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    yield e as Record<string, unknown>;
    const o = e as { cause?: unknown; driverError?: unknown };
    e = o.driverError ?? o.cause;
  }
}

/** Which backend an error says is unavailable, if it says so. */
export function unavailableBackend(err: unknown): Backend | null {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return 'temporal';
  let temporal = false;
  for (const e of causes(err)) {
    if (e instanceof ServiceError) temporal = true;
    const code = e.code;
    // A gRPC status (grpc-js ServiceError: numeric code and metadata).
    if (typeof code === 'number' && 'metadata' in e && GRPC_TRANSIENT.has(code)) return 'temporal';
    if (typeof code === 'string' && PG_TRANSIENT.test(code)) return 'database';
    if (typeof code === 'string' && NET_CODES.has(code)) return temporal ? 'temporal' : 'backend';
    if (!temporal && typeof e.message === 'string' && PG_MESSAGES.test(e.message)) return 'database';
  }
  return null;
}

const texts: Record<Backend, { zh: string; en: string }> = {
  temporal: {
    zh: '办理流程服务暂时不可用,请稍后重试',
    en: 'the workflow service (Temporal) is unavailable for a moment; retry shortly',
  },
  database: {
    zh: '数据库暂时不可用,请稍后重试',
    en: 'the database is unavailable for a moment; retry shortly',
  },
  backend: {
    zh: '后台服务暂时不可用,请稍后重试',
    en: 'a backend service is unavailable for a moment; retry shortly',
  },
};

/** The 503 problem for an error that says a backend is unavailable; null for any other error. */
export function unavailableProblem(err: unknown): HttpProblem | null {
  const backend = unavailableBackend(err);
  if (!backend) return null;
  const p = new HttpProblem(
    503,
    texts[backend].zh,
    `${texts[backend].en} (Retry-After: ${RETRY_AFTER_SECONDS} s)`,
  );
  p.retryAfter = RETRY_AFTER_SECONDS;
  return p;
}

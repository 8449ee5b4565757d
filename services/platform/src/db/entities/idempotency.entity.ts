import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The stored answer to a creating call, so a retried request with the same key never creates twice. */
@Entity('idempotency_keys')
export class IdempotencyEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' }) userId: string;
  @PrimaryColumn({ type: 'varchar', length: 100 }) key: string;
  @Column({ type: 'varchar', length: 200 }) scope: string;
  @Column({ name: 'response_status', type: 'int' }) responseStatus: number;
  @Column({ name: 'response_body', type: 'jsonb' }) responseBody: unknown;
  /** SHA-256 of the request's input: the same key with a different body is refused. */
  @Column({ name: 'request_hash', type: 'varchar', length: 64, nullable: true }) requestHash: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

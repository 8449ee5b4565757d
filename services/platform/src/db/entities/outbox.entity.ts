import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Transactional outbox: written in the same transaction as the state change it describes;
 * the relay publishes rows to Kafka in id order and stamps `published_at`.
 */
@Entity('outbox')
@Index('idx_outbox_unpublished', ['id'], { where: 'published_at IS NULL' })
// An item's events by its id: the timeline, the rules' facts, the 交办会 (migration QueryIndexes).
@Index('idx_outbox_aggregate', ['aggregateId', 'id'])
export class OutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Index({ unique: true }) @Column({ name: 'event_id', type: 'uuid' }) eventId: string;
  /** Kafka message key: the suggestion id, so events of one item stay in order. */
  @Column({ name: 'aggregate_id', type: 'uuid' }) aggregateId: string;
  @Column({ type: 'varchar', length: 64 }) type: string;
  @Column({ type: 'jsonb' }) payload: unknown;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true }) publishedAt: Date | null;
}

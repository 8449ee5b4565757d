import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An in-app notice. Unique per (event, user, channel) so a replayed event never notifies twice. */
@Entity('notifications')
@Index('uq_notification_delivery', ['eventId', 'userId', 'channel'], { unique: true })
export class NotificationEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'event_id', type: 'uuid' }) eventId: string;
  @Index() @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ type: 'varchar', length: 16, default: 'in_app' }) channel: string;
  /** The event's type, e.g. 'suggestion.assigned'. */
  @Column({ name: 'event_type', type: 'varchar', length: 64, default: '' }) eventType: string;
  @Column({ name: 'suggestion_id', type: 'uuid', nullable: true }) suggestionId: string | null;
  @Column({ type: 'varchar', length: 200 }) title: string;
  @Column({ type: 'text' }) body: string;
  @Column({ name: 'read_at', type: 'timestamptz', nullable: true }) readAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

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

/**
 * One outgoing notice on an interruptive channel (email, webhook), or one daily digest. Unique per
 * (event, recipient, channel), so a consumer that sees an event again never sends twice. Rows wait
 * until `deliver_after` (the start of the next working day for notices made outside working hours)
 * and, after a failed attempt, until `next_attempt_at` (exponential backoff).
 */
@Entity('notification_deliveries')
@Index('uq_delivery', ['eventId', 'recipient', 'channel'], { unique: true })
@Index('idx_delivery_due', ['nextAttemptAt'], { where: `status = 'pending'` })
export class NotificationDeliveryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  /** The event's id; for a digest a UUID derived from (unit, date). */
  @Column({ name: 'event_id', type: 'uuid' }) eventId: string;
  /** e.g. 'suggestion.deadline', or 'digest.daily'. */
  @Column({ name: 'event_type', type: 'varchar', length: 64 }) eventType: string;
  /** 'user:<uuid>' or 'unit:<uuid>' (a unit's group robot). */
  @Column({ type: 'varchar', length: 80 }) recipient: string;
  /** email | webhook */
  @Column({ type: 'varchar', length: 16 }) channel: string;
  /** The email address, or the robot's URL. */
  @Column({ type: 'varchar', length: 500 }) address: string;
  @Column({ name: 'suggestion_id', type: 'uuid', nullable: true }) suggestionId: string | null;
  @Column({ type: 'varchar', length: 200 }) subject: string;
  @Column({ type: 'text' }) body: string;
  /** pending | sent | failed */
  @Column({ type: 'varchar', length: 10, default: 'pending' }) status: string;
  @Column({ type: 'int', default: 0 }) attempts: number;
  @Column({ name: 'deliver_after', type: 'timestamptz' }) deliverAfter: Date;
  @Column({ name: 'next_attempt_at', type: 'timestamptz' }) nextAttemptAt: Date;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true }) sentAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** A user's choice of channels; no row means the defaults (every channel on, digest on). In-app is always on. */
@Entity('notification_preferences')
export class NotificationPreferenceEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ type: 'boolean', default: true }) email: boolean;
  @Column({ type: 'boolean', default: true }) webhook: boolean;
  @Column({ type: 'boolean', default: true }) digest: boolean;
  /** Per kind of notice (通知类别) and channel: `{ category: { in_app?, email?, webhook? } }`; missing = on. */
  @Column({ type: 'jsonb', default: () => "'{}'" }) categories: Record<string, Record<string, boolean>>;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** A unit's group robot (企业微信/钉钉群机器人 style): JSON posts signed with HMAC-SHA256 over the raw body. */
@Entity('unit_webhooks')
export class UnitWebhookEntity {
  @PrimaryColumn({ name: 'unit_id', type: 'uuid' }) unitId: string;
  @Column({ type: 'varchar', length: 500 }) url: string;
  /** Encrypted at rest (security/secrets.ts): `enc:v1:…`. */
  @Column({ type: 'text' }) secret: string;
  @Column({ type: 'boolean', default: true }) active: boolean;
  /** generic (signed JSON) | dingtalk (钉钉 加签, markdown) | wecom (企业微信 markdown). */
  @Column({ type: 'varchar', length: 16, default: 'generic' }) kind: string;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

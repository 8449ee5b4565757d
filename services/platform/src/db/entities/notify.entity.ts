import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

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
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** 履职积分: one credit of one rule to one deputy for one event; replaying the event never credits twice. */
@Entity('points_ledger')
@Index('uq_points_credit', ['eventId', 'deputyId', 'rule'], { unique: true })
export class PointsLedgerEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'event_id', type: 'uuid' }) eventId: string;
  @Index() @Column({ name: 'deputy_id', type: 'uuid' }) deputyId: string;
  @Column({ type: 'varchar', length: 40 }) rule: string;
  @Column({ type: 'int' }) points: number;
  @Column({ name: 'suggestion_id', type: 'uuid', nullable: true }) suggestionId: string | null;
  @Column({ type: 'varchar', length: 200 }) reason: string;
  @Column({ name: 'policy_version', type: 'varchar', length: 64 }) policyVersion: string;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt: Date;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

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
  /** The record of a message or station event (message, appointment, duty, activity, training session). */
  @Column({ name: 'record_id', type: 'uuid', nullable: true }) recordId: string | null;
  @Column({ type: 'varchar', length: 200 }) reason: string;
  @Column({ name: 'policy_version', type: 'varchar', length: 64 }) policyVersion: string;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt: Date;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

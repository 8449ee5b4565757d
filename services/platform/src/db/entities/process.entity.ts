import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** 附议/联名: deputies who co-sign a suggestion besides the lead deputy (领衔代表). */
@Entity('suggestion_cosigners')
// A deputy's co-signed items (migration ScaleProjections).
@Index('idx_cosigners_deputy', ['deputyId'])
export class CosignerEntity {
  @PrimaryColumn({ name: 'suggestion_id', type: 'uuid' }) suggestionId: string;
  @PrimaryColumn({ name: 'deputy_id', type: 'uuid' }) deputyId: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** 申请调整 (re-assignment) and 延期 (extension) requests of a unit, and the reviewer's decision. */
@Entity('unit_requests')
export class UnitRequestEntity {
  @PrimaryColumn('uuid') id: string;
  @Index() @Column({ name: 'suggestion_id', type: 'uuid' }) suggestionId: string;
  @Column({ name: 'unit_id', type: 'uuid' }) unitId: string;
  @Column({ type: 'int' }) round: number;
  /** reassignment | extension */
  @Column({ type: 'varchar', length: 16 }) kind: string;
  @Column({ type: 'text' }) reason: string;
  /** For an extension: how much more time is asked for, e.g. {"amount":1,"unit":"months"}. */
  @Column({ type: 'jsonb', nullable: true }) requested: Record<string, unknown> | null;
  /** pending | approved | refused */
  @Column({ type: 'varchar', length: 10, default: 'pending' }) status: string;
  @Column({ name: 'requested_by', type: 'uuid', nullable: true }) requestedBy: string | null;
  @Column({ name: 'decided_by', type: 'uuid', nullable: true }) decidedBy: string | null;
  @Column({ name: 'decision_note', type: 'text', nullable: true }) decisionNote: string | null;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** 催办: an urge by a coordinator or supervisor, to one unit or to all handling units. */
@Entity('urges')
export class UrgeEntity {
  @PrimaryColumn('uuid') id: string;
  @Index() @Column({ name: 'suggestion_id', type: 'uuid' }) suggestionId: string;
  @Column({ name: 'unit_id', type: 'uuid', nullable: true }) unitId: string | null;
  @Column({ type: 'text' }) note: string;
  @Column({ name: 'urged_by', type: 'uuid', nullable: true }) urgedBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/**
 * The working-day calendar as data: days that differ from the Monday–Friday rule. Seeded from the
 * `chinese-days` package (source 'chinese-days'), editable by an admin (source 'admin').
 */
@Entity('work_calendar_days')
export class WorkCalendarDayEntity {
  @PrimaryColumn({ type: 'date' }) day: string;
  /** holiday (a day off) | workday (a make-up working day, 调休上班) */
  @Column({ type: 'varchar', length: 10 }) kind: string;
  @Column({ type: 'varchar', length: 50, default: '' }) name: string;
  @Column({ type: 'varchar', length: 16, default: 'chinese-days' }) source: string;
  @Column({ name: 'updated_by', type: 'uuid', nullable: true }) updatedBy: string | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** A year whose holidays are official: seeded from chinese-days or loaded by an admin (State Council notice). */
@Entity('work_calendar_years')
export class WorkCalendarYearEntity {
  @PrimaryColumn({ type: 'integer' }) year: number;
  /** chinese-days | admin */
  @Column({ type: 'varchar', length: 16 }) source: string;
  @Column({ name: 'loaded_by', type: 'uuid', nullable: true }) loadedBy: string | null;
  @Column({ name: 'loaded_at', type: 'timestamptz', default: () => 'now()' }) loadedAt: Date;
}

/** The jurisdiction policy in force, chosen by an admin; a history row per change. */
@Entity('policy_choices')
export class PolicyChoiceEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'policy_key', type: 'varchar', length: 64 }) policyKey: string;
  @Column({ name: 'chosen_by', type: 'uuid', nullable: true }) chosenBy: string | null;
  @CreateDateColumn({ name: 'chosen_at', type: 'timestamptz' }) chosenAt: Date;
}

import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

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

import { Column, CreateDateColumn, Entity, PrimaryColumn, Unique } from 'typeorm';

/**
 * 届次: one session of the congress (第N届人民代表大会第M次会议) with its dates, kept by an admin. A
 * suggestion submitted on a day within [startsOn, endsOn] (China time) belongs to it; any other belongs
 * to the period between sessions (闭会期间). Items from a session are assigned at the 交办会 under the
 * policy's after-session clock, counted from the session's close.
 */
@Entity('congress_sessions')
@Unique('UQ_congress_sessions_term_session', ['term', 'session'])
export class CongressSessionEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_congress_sessions' }) id: string;
  /** 届: the term (five years). */
  @Column({ type: 'integer' }) term: number;
  /** 次: the session within the term. */
  @Column({ type: 'integer' }) session: number;
  /** 第N届人民代表大会第M次会议 (or the body's own name for it). */
  @Column({ type: 'varchar', length: 100 }) name: string;
  @Column({ name: 'starts_on', type: 'date' }) startsOn: string;
  @Column({ name: 'ends_on', type: 'date' }) endsOn: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

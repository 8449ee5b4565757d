import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Statistics (办理统计) as a maintained aggregate (migration ScaleProjections): the database keeps
 * these tables from the records through triggers; no code writes them. See the migration for how.
 */

/** One item × main handling unit with the flags the rates count (the view `stats_facts_live`, stored). */
@Entity('stats_facts')
@Index('idx_stats_facts_unit', ['unitId'])
@Index('idx_stats_facts_town', ['town'])
@Index('idx_stats_facts_session', ['sessionYear'])
@Index('idx_stats_facts_session_key', ['sessionKey'])
export class StatsFactEntity {
  @PrimaryColumn({ name: 'suggestion_id', type: 'uuid', primaryKeyConstraintName: 'PK_stats_facts' })
  suggestionId: string;
  @PrimaryColumn({ name: 'unit_id', type: 'uuid', primaryKeyConstraintName: 'PK_stats_facts' })
  unitId: string;
  @Column({ type: 'varchar', length: 50 }) town: string;
  /** 0 when the item has no session. */
  @Column({ name: 'session_year', type: 'int' }) sessionYear: number;
  @Column({ type: 'boolean' }) closed: boolean;
  @Column({ name: 'on_time', type: 'boolean' }) onTime: boolean;
  @Column({ type: 'boolean' }) replied: boolean;
  @Column({ type: 'boolean' }) met: boolean;
  @Column({ type: 'boolean' }) contacted: boolean;
  @Column({ type: 'boolean' }) solved: boolean;
  @Column({ name: 'solved_ab', type: 'boolean' }) solvedAB: boolean;
  @Column({ type: 'varchar', length: 20, nullable: true }) rating: string | null;
  /** 届次: the congress session's id, `interim:<term>` (闭会期间), or '' (migration StatsBySession). */
  @Column({ name: 'session_key', type: 'varchar', length: 64, default: '' }) sessionKey: string;
}

class StatsCounts {
  @Column({ type: 'int', default: 0 }) assigned: number;
  @Column({ type: 'int', default: 0 }) closed: number;
  @Column({ name: 'on_time', type: 'int', default: 0 }) onTime: number;
  @Column({ type: 'int', default: 0 }) replied: number;
  @Column({ type: 'int', default: 0 }) met: number;
  @Column({ type: 'int', default: 0 }) contacted: number;
  @Column({ type: 'int', default: 0 }) evaluated: number;
  @Column({ type: 'int', default: 0 }) satisfied: number;
  @Column({ name: 'basically_satisfied', type: 'int', default: 0 }) basicallySatisfied: number;
  @Column({ type: 'int', default: 0 }) solved: number;
  @Column({ name: 'solved_ab', type: 'int', default: 0 }) solvedAB: number;
}

/** Counts per (unit, town, session); unit 00000000-… holds the item-level counts (each item once). */
@Entity('stats_cube')
export class StatsCubeEntity extends StatsCounts {
  @PrimaryColumn({ name: 'unit_id', type: 'uuid', primaryKeyConstraintName: 'PK_stats_cube' }) unitId: string;
  @PrimaryColumn({ type: 'varchar', length: 50, primaryKeyConstraintName: 'PK_stats_cube' }) town: string;
  @PrimaryColumn({ name: 'session_year', type: 'int', primaryKeyConstraintName: 'PK_stats_cube' })
  sessionYear: number;
  @PrimaryColumn({
    name: 'session_key',
    type: 'varchar',
    length: 64,
    default: '',
    primaryKeyConstraintName: 'PK_stats_cube',
  })
  sessionKey: string;
}

/** Signed changes to the cube not yet folded in by `stats_compact()`; readers add them. */
@Entity('stats_delta')
export class StatsDeltaEntity extends StatsCounts {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_stats_delta' }) id: string;
  @Column({ name: 'unit_id', type: 'uuid' }) unitId: string;
  @Column({ type: 'varchar', length: 50 }) town: string;
  @Column({ name: 'session_year', type: 'int' }) sessionYear: number;
  @Column({ name: 'session_key', type: 'varchar', length: 64, default: '' }) sessionKey: string;
}

class TrendCounts {
  @Column({ type: 'int', default: 0 }) received: number;
  @Column({ type: 'int', default: 0 }) assigned: number;
  @Column({ type: 'int', default: 0 }) replied: number;
  @Column({ name: 'on_time', type: 'int', default: 0 }) onTime: number;
  @Column({ type: 'int', default: 0 }) evaluated: number;
  @Column({ type: 'int', default: 0 }) satisfied: number;
}

/**
 * The monthly trend (按月趋势) as a maintained aggregate (migration TrendAggregate): what one item
 * contributes per unit (or `STATS_ITEM_UNIT`, each item once) and month (China time), with the
 * item's filter dimensions (the view `stats_trend_facts_live`, stored).
 */
@Entity('stats_trend_facts')
export class StatsTrendFactEntity extends TrendCounts {
  @PrimaryColumn({ name: 'suggestion_id', type: 'uuid', primaryKeyConstraintName: 'PK_stats_trend_facts' })
  suggestionId: string;
  @PrimaryColumn({ name: 'unit_id', type: 'uuid', primaryKeyConstraintName: 'PK_stats_trend_facts' })
  unitId: string;
  /** The month's first day. */
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'PK_stats_trend_facts' }) month: string;
  @Column({ type: 'varchar', length: 50 }) town: string;
  @Column({ name: 'session_year', type: 'int' }) sessionYear: number;
  @Column({ name: 'session_key', type: 'varchar', length: 64 }) sessionKey: string;
}

/** The trend's counts per (unit, month, town, session year, 届次). */
@Entity('stats_trend_cube')
export class StatsTrendCubeEntity extends TrendCounts {
  @PrimaryColumn({ name: 'unit_id', type: 'uuid', primaryKeyConstraintName: 'PK_stats_trend_cube' })
  unitId: string;
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'PK_stats_trend_cube' }) month: string;
  @PrimaryColumn({ type: 'varchar', length: 50, primaryKeyConstraintName: 'PK_stats_trend_cube' })
  town: string;
  @PrimaryColumn({ name: 'session_year', type: 'int', primaryKeyConstraintName: 'PK_stats_trend_cube' })
  sessionYear: number;
  @PrimaryColumn({
    name: 'session_key',
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'PK_stats_trend_cube',
  })
  sessionKey: string;
}

/** Signed changes to the trend's cube not yet folded in by `stats_compact()`; readers add them. */
@Entity('stats_trend_delta')
export class StatsTrendDeltaEntity extends TrendCounts {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_stats_trend_delta' }) id: string;
  @Column({ name: 'unit_id', type: 'uuid' }) unitId: string;
  @Column({ type: 'date' }) month: string;
  @Column({ type: 'varchar', length: 50 }) town: string;
  @Column({ name: 'session_year', type: 'int' }) sessionYear: number;
  @Column({ name: 'session_key', type: 'varchar', length: 64 }) sessionKey: string;
}

/** The item-level rows of the cube and the delta. */
export const STATS_ITEM_UNIT = '00000000-0000-0000-0000-000000000000';

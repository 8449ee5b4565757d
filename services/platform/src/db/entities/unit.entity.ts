import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** 承办单位: a government department or other body that handles assigned suggestions. */
@Entity('units')
export class UnitEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 32, unique: true }) code: string;
  /** Unique: two units with one name cannot be told apart when assigning. */
  @Index('IDX_units_name', { unique: true })
  @Column({ type: 'varchar', length: 100 })
  name: string;
  /** False once the unit is deactivated (撤并): no new assignments; what it handled stays visible. */
  @Column({ type: 'boolean', default: true }) active: boolean;
  /** 单位类别: government, township, judicial, vertical, enterprise or other (the admin list's filter). */
  @Column({ type: 'varchar', length: 16, default: 'government' }) kind: string;
  /** 职责: what the unit is responsible for, kept by an admin; the cold-start signal of unit recommendation. */
  @Column({ type: 'text', default: '' }) remit: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** 交办推荐: the units recommended as lead when the reviewer assigned, and the one chosen (its rank, or null). */
@Entity('unit_recommendations')
export class UnitRecommendationEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_unit_recommendations' }) id: string;
  @Column({ name: 'suggestion_id', type: 'uuid' }) suggestionId: string;
  @Column({ name: 'recommended_unit_ids', type: 'uuid', array: true }) recommendedUnitIds: string[];
  @Column({ name: 'chosen_unit_id', type: 'uuid' }) chosenUnitId: string;
  @Column({ name: 'chosen_rank', type: 'int', nullable: true }) chosenRank: number | null;
  @Column({ name: 'decided_by', type: 'uuid', nullable: true }) decidedBy: string | null;
  @Index('IDX_unit_recommendations_created')
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

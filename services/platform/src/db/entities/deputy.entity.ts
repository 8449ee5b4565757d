import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** 人大代表. `level` is one of national, provincial, city, county, township. */
@Entity('deputies')
// The admin list (migration AdminListSearch): its order, the delegation filter, and the keyword's
// character grams (a GIN expression index TypeORM cannot describe, so declared by name only).
@Index('idx_deputies_town_name', ['town', 'name', 'id'])
@Index('idx_deputies_delegation', ['delegation', 'town', 'name', 'id'])
@Index('idx_deputies_search', { synchronize: false })
export class DeputyEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 50 }) name: string;
  @Column({ type: 'varchar', length: 16, default: 'city' }) level: string;
  /** 镇/街道: used for statistics by town. */
  @Column({ type: 'varchar', length: 50, default: '' }) town: string;
  @Column({ type: 'varchar', length: 100, default: '' }) delegation: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

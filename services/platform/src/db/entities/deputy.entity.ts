import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** 人大代表. `level` is one of national, provincial, city, county, township. */
@Entity('deputies')
export class DeputyEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 50 }) name: string;
  @Column({ type: 'varchar', length: 16, default: 'city' }) level: string;
  /** 镇/街道: used for statistics by town. */
  @Column({ type: 'varchar', length: 50, default: '' }) town: string;
  @Column({ type: 'varchar', length: 100, default: '' }) delegation: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

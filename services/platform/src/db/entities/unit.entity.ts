import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** 承办单位: a government department or other body that handles assigned suggestions. */
@Entity('units')
export class UnitEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 32, unique: true }) code: string;
  @Column({ type: 'varchar', length: 100 }) name: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

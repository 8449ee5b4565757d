import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('users')
// The admin list's keyword grams (migration AdminListSearch; a GIN expression index, by name only).
@Index('idx_users_search', { synchronize: false })
export class UserEntity {
  @PrimaryColumn('uuid') id: string;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 64 }) username: string;
  /** argon2id hash; never the password. */
  @Column({ name: 'password_hash', type: 'varchar', length: 200 }) passwordHash: string;
  @Column({ name: 'display_name', type: 'varchar', length: 50 }) displayName: string;
  @Column({ type: 'varchar', length: 20 }) role: string;
  @Index('idx_users_deputy')
  @Column({ name: 'deputy_id', type: 'uuid', nullable: true })
  deputyId: string | null;
  @Index('idx_users_unit')
  @Column({ name: 'unit_id', type: 'uuid', nullable: true })
  unitId: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) email: string | null;
  /** 主要负责人: a unit leader who signs off replies on key items (重点督办) when the policy asks for it. */
  @Column({ type: 'boolean', default: false }) principal: boolean;
  @Column({ type: 'boolean', default: true }) active: boolean;
  /** Set by an admin's password reset: until the user changes it, only the password change is allowed. */
  @Column({ name: 'must_change_password', type: 'boolean', default: false }) mustChangePassword: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The jurisdiction policy in force, chosen by an admin; a history row per change. */
@Entity('policy_choices')
export class PolicyChoiceEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'policy_key', type: 'varchar', length: 64 }) policyKey: string;
  @Column({ name: 'chosen_by', type: 'uuid', nullable: true }) chosenBy: string | null;
  @CreateDateColumn({ name: 'chosen_at', type: 'timestamptz' }) chosenAt: Date;
}

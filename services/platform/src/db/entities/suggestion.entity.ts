import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** 代表建议: the record. Where it is in its process is owned by its Temporal workflow; `status` is the projection. */
@Entity('suggestions')
export class SuggestionEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 200 }) title: string;
  @Column({ type: 'text' }) content: string;
  @Index() @Column({ type: 'varchar', length: 20, default: 'draft' }) status: string;
  @Index() @Column({ name: 'lead_deputy_id', type: 'uuid' }) leadDeputyId: string;
  /** 立案号, e.g. 2026-第0153号, given on acceptance. */
  @Index({ unique: true }) @Column({ name: 'registration_no', type: 'varchar', length: 32, nullable: true }) registrationNo: string | null;
  @Column({ name: 'policy_version', type: 'varchar', length: 64, nullable: true }) policyVersion: string | null;
  @Column({ name: 'created_by', type: 'uuid' }) createdBy: string;
  /** 涉密: never published. */
  @Column({ type: 'boolean', default: false }) confidential: boolean;
  /** Handling round: 1, or 2 after a 不满意 sent it back for re-handling. */
  @Column({ type: 'int', default: 1 }) round: number;
  @Column({ name: 'consultation_summary', type: 'text', nullable: true }) consultationSummary: string | null;
  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true }) submittedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

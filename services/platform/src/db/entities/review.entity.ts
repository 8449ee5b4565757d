import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * 退回重办: a sent reply the reviewer sent back before it was rated. The reply row is reopened for
 * the unit's new draft; what was sent, and why it came back, stay here.
 */
@Entity('reply_returns')
export class ReplyReturnEntity {
  @PrimaryColumn('uuid') id: string;
  @Index() @Column({ name: 'suggestion_id', type: 'uuid' }) suggestionId: string;
  @Column({ name: 'unit_id', type: 'uuid' }) unitId: string;
  @Column({ type: 'int' }) round: number;
  @Column({ type: 'text' }) reason: string;
  @Column({ name: 'previous_category', type: 'char', length: 1, nullable: true }) previousCategory:
    string | null;
  @Column({ name: 'previous_body', type: 'text', nullable: true }) previousBody: string | null;
  @Column({ name: 'returned_by', type: 'uuid', nullable: true }) returnedBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** 重点督办 progress report (进展情况) of a handling unit for one period (monthly by default). */
@Entity('progress_reports')
@Index('uq_progress_report_period', ['suggestionId', 'unitId', 'period'], { unique: true })
export class ProgressReportEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'suggestion_id', type: 'uuid' }) suggestionId: string;
  @Column({ name: 'unit_id', type: 'uuid' }) unitId: string;
  @Column({ type: 'int' }) period: number;
  @Column({ type: 'text' }) summary: string;
  @Column({ name: 'reported_by', type: 'uuid', nullable: true }) reportedBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/**
 * A co-signer's own rating of a reply (联名代表也可测评). It is recorded and shown; the item's
 * outcome (closure or re-handling) follows the lead deputy's rating in `evaluations`.
 */
@Entity('cosigner_evaluations')
@Index('uq_cosigner_evaluation', ['suggestionId', 'round', 'deputyId'], { unique: true })
export class CosignerEvaluationEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'suggestion_id', type: 'uuid' }) suggestionId: string;
  @Column({ type: 'int' }) round: number;
  @Column({ name: 'deputy_id', type: 'uuid' }) deputyId: string;
  @Column({ type: 'varchar', length: 20 }) rating: string;
  @Column({ type: 'text', nullable: true }) comment: string | null;
  @Column({ name: 'rated_by', type: 'uuid', nullable: true }) ratedBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/**
 * 退回修改: the text the reviewer saw at one submission (1 = the first, then one per resubmission).
 * Written in the same transaction as the `suggestion.submitted` event.
 */
@Entity('suggestion_versions')
@Index('uq_suggestion_version', ['suggestionId', 'version'], { unique: true })
export class SuggestionVersionEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'suggestion_id', type: 'uuid' }) suggestionId: string;
  @Column({ type: 'int' }) version: number;
  @Column({ type: 'varchar', length: 200 }) title: string;
  @Column({ type: 'text' }) content: string;
  @Column({ name: 'cosigner_deputy_ids', type: 'uuid', array: true, default: () => "'{}'" })
  cosignerDeputyIds: string[];
  @Column({ name: 'submitted_by', type: 'uuid', nullable: true }) submittedBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** 代表建议: the record. Where it is in its process is owned by its Temporal workflow; `status` is the projection. */
@Entity('suggestions')
// Made by the TextSearch migration (GIN, partial and expression indexes TypeORM cannot describe); the
// search index is RUM where the server has it (migration RumSearch), GIN otherwise, under the same name.
@Index('idx_suggestions_search', { synchronize: false })
@Index('idx_suggestions_unsegmented', { synchronize: false })
@Index('idx_suggestions_regno_prefix', { synchronize: false })
// Issue 13 indexes (migration ScaleProjections): partial and ordered, so declared here only by name.
@Index('idx_suggestions_updated', { synchronize: false })
@Index('idx_suggestions_created', { synchronize: false })
@Index('idx_suggestions_submitted', { synchronize: false })
@Index('idx_suggestions_open_deadline', { synchronize: false })
@Index('idx_suggestions_overdue', { synchronize: false })
@Index('idx_suggestions_key', { synchronize: false })
@Index('idx_suggestions_public', { synchronize: false })
@Index('idx_suggestions_status_updated', { synchronize: false })
@Index('idx_suggestions_status_created', { synchronize: false })
@Index('idx_suggestions_status_regno', { synchronize: false })
@Index('idx_suggestions_session_created', { synchronize: false })
// The overdue list's two arms (migration OverdueListIndexes).
@Index('idx_suggestions_overdue_created', { synchronize: false })
@Index('idx_suggestions_due_unflagged', { synchronize: false })
// A unit's overdue list: the flagged open items with their deadline (migration QueryIndexes).
@Index('idx_suggestions_overdue_open', { synchronize: false })
export class SuggestionEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 200 }) title: string;
  @Column({ type: 'text' }) content: string;
  @Index() @Column({ type: 'varchar', length: 20, default: 'draft' }) status: string;
  @Index() @Column({ name: 'lead_deputy_id', type: 'uuid' }) leadDeputyId: string;
  /** 立案号, e.g. 2026-第0153号, given on acceptance. */
  @Index({ unique: true })
  @Column({ name: 'registration_no', type: 'varchar', length: 32, nullable: true })
  registrationNo: string | null;
  @Column({ name: 'policy_version', type: 'varchar', length: 64, nullable: true }) policyVersion:
    string | null;
  @Column({ name: 'created_by', type: 'uuid' }) createdBy: string;
  /** 届次/会次: e.g. 2026 (the congress session it belongs to) and whether it came in during the session (大会期间) or between sessions (闭会期间). */
  @Index() @Column({ name: 'session_year', type: 'int', nullable: true }) sessionYear: number | null;
  @Column({ name: 'during_session', type: 'boolean', default: false }) duringSession: boolean;
  /** 主题分类, e.g. 城乡建设, 教育, 交通. */
  @Column({ type: 'varchar', length: 32, default: '' }) topic: string;
  /** 重点督办 and its supervising leader (督办领导). */
  @Column({ name: 'key_supervision', type: 'boolean', default: false }) keySupervision: boolean;
  @Column({ name: 'supervising_leader_id', type: 'uuid', nullable: true }) supervisingLeaderId: string | null;
  /** 并案: the suggestion this one was merged into. */
  @Column({ name: 'merged_into_id', type: 'uuid', nullable: true }) mergedIntoId: string | null;
  /** Latest reply deadline among the handling units (projection of the workflow's clocks). */
  @Index() @Column({ name: 'deadline_at', type: 'timestamptz', nullable: true }) deadlineAt: Date | null;
  @Column({ type: 'boolean', default: false }) overdue: boolean;
  /**
   * The earliest deadline among the current round's parts still open (kept by the database's
   * trigger, migration ScaleProjections; read by the supervision lists). Null when none is open.
   */
  @Column({ name: 'open_deadline_at', type: 'timestamptz', nullable: true }) openDeadlineAt: Date | null;
  /** 涉密: never published. */
  @Column({ type: 'boolean', default: false }) confidential: boolean;
  /** 优秀建议: named by the reviewer or a supervisor, with the reason (migration ExcellentSuggestion). */
  @Column({ type: 'boolean', default: false }) excellent: boolean;
  @Column({ name: 'excellent_reason', type: 'text', nullable: true }) excellentReason: string | null;
  @Column({ name: 'excellent_by', type: 'uuid', nullable: true }) excellentBy: string | null;
  @Column({ name: 'excellent_at', type: 'timestamptz', nullable: true }) excellentAt: Date | null;
  /** Handling round: 1, or 2 after a 不满意 sent it back for re-handling. */
  @Column({ type: 'int', default: 1 }) round: number;
  @Column({ name: 'consultation_summary', type: 'text', nullable: true }) consultationSummary: string | null;
  /** jieba segments of title and content as a `simple` tsvector (services/text); null until segmented. */
  @Column({ name: 'search_tsv', type: 'tsvector', nullable: true, select: false }) searchTsv: string | null;
  /** False when the text changed (or the row was written) without a new search vector: the indexer redoes it. */
  @Column({ name: 'search_segmented', type: 'boolean', default: false }) searchSegmented: boolean;
  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true }) submittedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** 附议/联名: deputies who co-sign a suggestion besides the lead deputy (领衔代表). */
@Entity('suggestion_cosigners')
// A deputy's co-signed items (migration ScaleProjections).
@Index('idx_cosigners_deputy', ['deputyId'])
export class CosignerEntity {
  @PrimaryColumn({ name: 'suggestion_id', type: 'uuid' }) suggestionId: string;
  @PrimaryColumn({ name: 'deputy_id', type: 'uuid' }) deputyId: string;
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

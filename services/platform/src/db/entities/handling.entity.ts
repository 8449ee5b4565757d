import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** 交办: one unit's part in one handling round (lead 主办, co-handler 协办, or a separate 分办 unit). */
@Entity('assignments')
@Index('uq_assignment_round', ['suggestionId', 'unitId', 'round'], { unique: true })
// The unit inbox, newest first (migration ScaleProjections).
@Index('idx_assignments_unit_assigned', ['unitId', 'assignedAt'])
// A unit's parts by state, and its items as a set; the parts of later rounds (migration QueryIndexes).
@Index('idx_assignments_unit_status', ['unitId', 'status', 'suggestionId'])
@Index('idx_assignments_unit_later_rounds', { synchronize: false })
// The monthly trend's window (migration QueryIndexes).
@Index('idx_assignments_assigned', ['assignedAt'])
export class AssignmentEntity {
  @PrimaryColumn('uuid') id: string;
  @Index() @Column({ name: 'suggestion_id', type: 'uuid' }) suggestionId: string;
  @Index() @Column({ name: 'unit_id', type: 'uuid' }) unitId: string;
  @Column({ type: 'varchar', length: 10 }) role: string;
  @Column({ type: 'int', default: 1 }) round: number;
  @Column({ type: 'varchar', length: 20, default: 'pending' }) status: string;
  @Column({ name: 'deadline_at', type: 'timestamptz', nullable: true }) deadlineAt: Date | null;
  @Column({ name: 'signed_in_at', type: 'timestamptz', nullable: true }) signedInAt: Date | null;
  @CreateDateColumn({ name: 'assigned_at', type: 'timestamptz' }) assignedAt: Date;
  /** When the part ended: reply or opinion sent, re-assigned away, or closed with the item (协办 left open). */
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt: Date | null;
}

/** 沟通记录: a contact with the deputy before, during or after handling. */
@Entity('contacts')
export class ContactEntity {
  @PrimaryColumn('uuid') id: string;
  @Index() @Column({ name: 'suggestion_id', type: 'uuid' }) suggestionId: string;
  @Column({ name: 'unit_id', type: 'uuid' }) unitId: string;
  @Column({ name: 'contacted_on', type: 'date' }) contactedOn: string;
  /** 面商 / 电话 / 座谈 / 视察 */
  @Column({ type: 'varchar', length: 10 }) form: string;
  @Column({ type: 'text' }) summary: string;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** 答复 (kind reply) or 协办意见 (kind opinion) of one unit in one round. */
@Entity('replies')
@Index('idx_replies_search', { synchronize: false })
@Index('idx_replies_unsegmented', { synchronize: false })
@Index('uq_reply_round', ['suggestionId', 'unitId', 'round', 'kind'], { unique: true })
// Public replies by unit and the units of the public search form (migration ScaleProjections).
@Index('idx_replies_unit', ['unitId', 'suggestionId'])
// First-round replies by the time they were sent: the monthly trend (migration QueryIndexes).
@Index('idx_replies_first_sent', { synchronize: false })
export class ReplyEntity {
  @PrimaryColumn('uuid') id: string;
  @Index() @Column({ name: 'suggestion_id', type: 'uuid' }) suggestionId: string;
  @Column({ name: 'unit_id', type: 'uuid' }) unitId: string;
  @Column({ type: 'int' }) round: number;
  @Column({ type: 'varchar', length: 10 }) kind: string;
  @Column({ type: 'char', length: 1, nullable: true }) category: string | null;
  @Column({ type: 'text' }) body: string;
  @Column({ name: 'promised_date', type: 'date', nullable: true }) promisedDate: string | null;
  @Column({ type: 'text', nullable: true }) explanation: string | null;
  @Column({ name: 'drafted_by', type: 'uuid', nullable: true }) draftedBy: string | null;
  @Column({ name: 'signed_by', type: 'uuid', nullable: true }) signedBy: string | null;
  @Column({ name: 'signed_at', type: 'timestamptz', nullable: true }) signedAt: Date | null;
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true }) sentAt: Date | null;
  /** 答复函: the unit's document number (文号) and its contact for the deputy (联系人, 联系电话). */
  @Column({ name: 'document_no', type: 'varchar', length: 64, nullable: true }) documentNo: string | null;
  @Column({ name: 'contact_person', type: 'varchar', length: 50, nullable: true }) contactPerson:
    string | null;
  @Column({ name: 'contact_phone', type: 'varchar', length: 30, nullable: true }) contactPhone: string | null;
  @Column({ name: 'search_tsv', type: 'tsvector', nullable: true, select: false }) searchTsv: string | null;
  @Column({ name: 'search_segmented', type: 'boolean', default: false }) searchSegmented: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** 满意度测评 of one round; `no_feedback` (未反馈) when the window passed. */
@Entity('evaluations')
@Index('uq_evaluation_round', ['suggestionId', 'round'], { unique: true })
// The monthly trend's window (migration QueryIndexes).
@Index('idx_evaluations_created', ['createdAt'])
export class EvaluationEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'suggestion_id', type: 'uuid' }) suggestionId: string;
  @Column({ type: 'int' }) round: number;
  @Column({ type: 'varchar', length: 20 }) rating: string;
  @Column({ type: 'text', nullable: true }) comment: string | null;
  @Column({ name: 'rated_by', type: 'uuid', nullable: true }) ratedBy: string | null;
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

/** 申请调整 (re-assignment) and 延期 (extension) requests of a unit, and the reviewer's decision. */
@Entity('unit_requests')
export class UnitRequestEntity {
  @PrimaryColumn('uuid') id: string;
  @Index() @Column({ name: 'suggestion_id', type: 'uuid' }) suggestionId: string;
  @Column({ name: 'unit_id', type: 'uuid' }) unitId: string;
  @Column({ type: 'int' }) round: number;
  /** reassignment | extension */
  @Column({ type: 'varchar', length: 16 }) kind: string;
  @Column({ type: 'text' }) reason: string;
  /** For an extension: how much more time is asked for, e.g. {"amount":1,"unit":"months"}. */
  @Column({ type: 'jsonb', nullable: true }) requested: Record<string, unknown> | null;
  /** pending | approved | refused */
  @Column({ type: 'varchar', length: 10, default: 'pending' }) status: string;
  @Column({ name: 'requested_by', type: 'uuid', nullable: true }) requestedBy: string | null;
  @Column({ name: 'decided_by', type: 'uuid', nullable: true }) decidedBy: string | null;
  @Column({ name: 'decision_note', type: 'text', nullable: true }) decisionNote: string | null;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** 催办: an urge by a coordinator or supervisor, to one unit or to all handling units. */
@Entity('urges')
export class UrgeEntity {
  @PrimaryColumn('uuid') id: string;
  @Index() @Column({ name: 'suggestion_id', type: 'uuid' }) suggestionId: string;
  @Column({ name: 'unit_id', type: 'uuid', nullable: true }) unitId: string | null;
  @Column({ type: 'text' }) note: string;
  @Column({ name: 'urged_by', type: 'uuid', nullable: true }) urgedBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

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

import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * 附件: a file attached to a record — the suggestion itself, a unit's contact (走访 photos), a reply or
 * a co-handler's opinion (the signed 答复函 scan), or a constituent's message (一码通 photos). The bytes
 * live in the attachment store (local folder or S3-compatible), under `storage_key`; the type is the
 * one detected from the content. Same record, same content (SHA-256) is one attachment: a retried
 * upload finds the row it made.
 */
@Entity('attachments')
@Index('uq_attachment_content', ['ownerType', 'ownerId', 'sha256'], { unique: true })
@Index('idx_attachments_owner', ['ownerType', 'ownerId'])
export class AttachmentEntity {
  @PrimaryColumn('uuid') id: string;
  /** suggestion | contact | reply | message */
  @Column({ name: 'owner_type', type: 'varchar', length: 16 }) ownerType: string;
  @Column({ name: 'owner_id', type: 'uuid' }) ownerId: string;
  /** The item it belongs to (null for a message not turned into a suggestion). */
  @Index('IDX_attachments_suggestion')
  @Column({ name: 'suggestion_id', type: 'uuid', nullable: true })
  suggestionId: string | null;
  @Index('IDX_attachments_message') @Column({ name: 'message_id', type: 'uuid', nullable: true }) messageId:
    string | null;
  /** The unit whose part it belongs to (contacts, replies, opinions). */
  @Column({ name: 'unit_id', type: 'uuid', nullable: true }) unitId: string | null;
  @Column({ name: 'file_name', type: 'varchar', length: 255 }) fileName: string;
  /** Detected from the content (file-type), never from the name. */
  @Column({ name: 'media_type', type: 'varchar', length: 100 }) mediaType: string;
  @Column({ type: 'varchar', length: 10 }) ext: string;
  @Column({ name: 'size_bytes', type: 'int' }) sizeBytes: number;
  @Column({ type: 'char', length: 64 }) sha256: string;
  @Column({ name: 'storage_key', type: 'varchar', length: 200 }) storageKey: string;
  @Column({ name: 'thumb_key', type: 'varchar', length: 200, nullable: true }) thumbKey: string | null;
  @Column({ type: 'int', nullable: true }) width: number | null;
  @Column({ type: 'int', nullable: true }) height: number | null;
  /** The signed-in user who uploaded it; null for a constituent (public form). */
  @Column({ name: 'uploaded_by', type: 'uuid', nullable: true }) uploadedBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

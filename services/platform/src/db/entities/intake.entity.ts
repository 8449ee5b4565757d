import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** 家站点: a deputy station (代表之家 home / 代表联络站 station / 代表联络点 point), kept by an admin. */
@Entity('stations')
export class StationEntity {
  @PrimaryColumn('uuid') id: string;
  /** The short code in the QR code's URL (/m/<code>). */
  @Index({ unique: true }) @Column({ type: 'varchar', length: 16 }) code: string;
  @Column({ type: 'varchar', length: 100 }) name: string;
  /** home | station | point */
  @Column({ type: 'varchar', length: 10 }) kind: string;
  /** 镇/街道 */
  @Column({ type: 'varchar', length: 50, default: '' }) town: string;
  @Column({ type: 'varchar', length: 200, default: '' }) address: string;
  /** 开放时间, e.g. "每周二、周四 9:00–11:30". */
  @Column({ name: 'opening_hours', type: 'varchar', length: 200, default: '' }) openingHours: string;
  @Column({ type: 'boolean', default: true }) active: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** The deputies attached to a station (进站代表). */
@Entity('station_deputies')
export class StationDeputyEntity {
  @PrimaryColumn({ name: 'station_id', type: 'uuid' }) stationId: string;
  @PrimaryColumn({ name: 'deputy_id', type: 'uuid' }) @Index() deputyId: string;
}

/** The staff users of a station (站点工作人员): they enter 线下反馈 and take unclaimed messages. */
@Entity('station_staff')
export class StationStaffEntity {
  @PrimaryColumn({ name: 'station_id', type: 'uuid' }) stationId: string;
  @PrimaryColumn({ name: 'user_id', type: 'uuid' }) @Index() userId: string;
}

/** 值班表: which deputy is on duty at a station on a day (am/pm/all day). */
@Entity('station_duties')
@Index('uq_station_duty', ['stationId', 'day', 'slot', 'deputyId'], { unique: true })
export class StationDutyEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'station_id', type: 'uuid' }) stationId: string;
  @Column({ name: 'deputy_id', type: 'uuid' }) deputyId: string;
  @Column({ type: 'date' }) day: string;
  /** am | pm | day */
  @Column({ type: 'varchar', length: 4, default: 'day' }) slot: string;
  /** 值班履职: recorded afterwards by the station's staff (null: not recorded yet). */
  @Column({ type: 'boolean', nullable: true }) served: boolean | null;
  @Column({ name: 'served_recorded_at', type: 'timestamptz', nullable: true }) servedRecordedAt: Date | null;
  @Column({ name: 'served_recorded_by', type: 'uuid', nullable: true }) servedRecordedBy: string | null;
}

/** A deputy's own QR code target (/m/<code>). */
@Entity('deputy_codes')
export class DeputyCodeEntity {
  @PrimaryColumn({ name: 'deputy_id', type: 'uuid' }) deputyId: string;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 16 }) code: string;
}

/**
 * 群众留言: a constituent's message to a station or a deputy. Where it is in its process is owned by
 * its Temporal workflow (`message-<id>`); `status` is the projection. The tracking code is random
 * (never derived from the id); name and phone are personal data shown only to those handling it.
 */
@Entity('messages')
@Index('IDX_message_channel_created', ['channel', 'createdAt'])
export class MessageEntity {
  @PrimaryColumn('uuid') id: string;
  @Index({ unique: true })
  @Column({ name: 'tracking_code', type: 'varchar', length: 16 })
  trackingCode: string;
  @Index() @Column({ name: 'station_id', type: 'uuid', nullable: true }) stationId: string | null;
  /** The deputy the QR code named (a deputy's own code), else null. */
  @Index() @Column({ name: 'deputy_id', type: 'uuid', nullable: true }) deputyId: string | null;
  @Column({ type: 'varchar', length: 16 }) category: string;
  @Column({ type: 'text' }) content: string;
  @Column({ type: 'varchar', length: 50, nullable: true }) name: string | null;
  @Index() @Column({ type: 'varchar', length: 20, nullable: true }) phone: string | null;
  @Column({ name: 'consent_contact', type: 'boolean', default: false }) consentContact: boolean;
  /** online (QR) | offline (线下反馈, entered by staff) | open311 */
  @Column({ type: 'varchar', length: 10, default: 'online' }) channel: string;
  /** A keyed hash of the sender's address, for rate limits; never the address itself. */
  @Index() @Column({ name: 'source_hash', type: 'varchar', length: 64, nullable: true }) sourceHash:
    string | null;
  @Column({ name: 'open311_client', type: 'varchar', length: 64, nullable: true }) open311Client:
    string | null;
  /** Where the matter is, when the sender said (Open311 address_string, lat/long): public fields of a request. */
  @Column({ type: 'varchar', length: 200, nullable: true }) address: string | null;
  @Column({ type: 'double precision', nullable: true }) lat: number | null;
  @Column({ type: 'double precision', nullable: true }) long: number | null;
  @Index() @Column({ type: 'varchar', length: 16, default: 'pending_claim' }) status: string;
  @Column({ name: 'policy_version', type: 'varchar', length: 64 }) policyVersion: string;
  @Column({ name: 'claim_deadline_at', type: 'timestamptz', nullable: true }) claimDeadlineAt: Date | null;
  @Column({ name: 'claim_overdue', type: 'boolean', default: false }) claimOverdue: boolean;
  @Index() @Column({ name: 'claimed_by_deputy_id', type: 'uuid', nullable: true }) claimedByDeputyId:
    string | null;
  @Column({ name: 'claimed_by_user_id', type: 'uuid', nullable: true }) claimedByUserId: string | null;
  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true }) claimedAt: Date | null;
  @Index() @Column({ name: 'unit_id', type: 'uuid', nullable: true }) unitId: string | null;
  @Column({ name: 'forward_note', type: 'text', nullable: true }) forwardNote: string | null;
  @Column({ name: 'forwarded_at', type: 'timestamptz', nullable: true }) forwardedAt: Date | null;
  @Column({ name: 'answer_deadline_at', type: 'timestamptz', nullable: true }) answerDeadlineAt: Date | null;
  @Column({ type: 'boolean', default: false }) overdue: boolean;
  @Column({ type: 'text', nullable: true }) answer: string | null;
  @Column({ name: 'answered_by', type: 'uuid', nullable: true }) answeredBy: string | null;
  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true }) answeredAt: Date | null;
  @Column({ name: 'on_time', type: 'boolean', nullable: true }) onTime: boolean | null;
  /** 转为代表建议: the suggestion draft made from it (the suggestion lists its messages by this column). */
  @Index() @Column({ name: 'suggestion_id', type: 'uuid', nullable: true }) suggestionId: string | null;
  /** When the suggestion it became (or was linked to) was answered: the tracking page tells the constituent. */
  @Column({ name: 'suggestion_answered_at', type: 'timestamptz', nullable: true })
  suggestionAnsweredAt: Date | null;
  /** 合并重复留言: the surviving message this one is handled with. */
  @Index('IDX_message_merged_into')
  @Column({ name: 'merged_into_id', type: 'uuid', nullable: true })
  mergedIntoId: string | null;
  @Column({ name: 'merged_at', type: 'timestamptz', nullable: true }) mergedAt: Date | null;
  @Column({ name: 'merge_reason', type: 'text', nullable: true }) mergeReason: string | null;
  @Column({ type: 'varchar', length: 20, nullable: true }) rating: string | null;
  @Column({ name: 'rating_comment', type: 'text', nullable: true }) ratingComment: string | null;
  @Column({ name: 'rated_at', type: 'timestamptz', nullable: true }) ratedAt: Date | null;
  /** The staff user who entered a 线下反馈. */
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** A registered Open311 client (api_key); only the SHA-256 of the key is stored. */
@Entity('open311_clients')
export class Open311ClientEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 }) id: string;
  @Column({ type: 'varchar', length: 100 }) name: string;
  @Index({ unique: true }) @Column({ name: 'key_hash', type: 'char', length: 64 }) keyHash: string;
  /** The station its requests go to. */
  @Column({ name: 'station_id', type: 'uuid' }) stationId: string;
  @Column({ type: 'boolean', default: true }) active: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true }) lastUsedAt: Date | null;
}

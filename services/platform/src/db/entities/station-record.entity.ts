import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * 约见: a constituent's appointment with a deputy on one of the station's duty slots, booked on the
 * public page (no account) or by the station's staff for them. The tracking code is random; name and
 * phone are personal data shown only to the deputy and the station's staff. One live appointment
 * (requested or confirmed) per deputy, day and slot: the partial unique index makes a second one 409.
 */
@Entity('appointments')
@Index('uq_appointment_slot', ['deputyId', 'day', 'slot'], {
  unique: true,
  where: `status IN ('requested', 'confirmed')`,
})
@Index('idx_appointment_station_day', ['stationId', 'day'])
export class AppointmentEntity {
  @PrimaryColumn('uuid') id: string;
  @Index('uq_appointment_tracking', { unique: true })
  @Column({ name: 'tracking_code', type: 'varchar', length: 16 })
  trackingCode: string;
  @Column({ name: 'station_id', type: 'uuid' }) stationId: string;
  @Index('idx_appointment_deputy') @Column({ name: 'deputy_id', type: 'uuid' }) deputyId: string;
  @Column({ type: 'date' }) day: string;
  /** am | pm | day, as the duty roster. */
  @Column({ type: 'varchar', length: 4 }) slot: string;
  /** What the constituent wants to talk about (约见事由). */
  @Column({ type: 'text' }) topic: string;
  @Column({ type: 'varchar', length: 50, nullable: true }) name: string | null;
  @Index('idx_appointment_phone') @Column({ type: 'varchar', length: 20 }) phone: string;
  /** online (the public page) | staff (booked by the station's staff for the constituent) */
  @Column({ type: 'varchar', length: 10, default: 'online' }) channel: string;
  /** A keyed hash of the sender's address, for rate limits; never the address itself. */
  @Index('idx_appointment_source')
  @Column({ name: 'source_hash', type: 'varchar', length: 64, nullable: true })
  sourceHash: string | null;
  /** requested | confirmed | declined | held | missed */
  @Column({ type: 'varchar', length: 12, default: 'requested' }) status: string;
  @Column({ name: 'decline_reason', type: 'text', nullable: true }) declineReason: string | null;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt: Date | null;
  @Column({ name: 'decided_by', type: 'uuid', nullable: true }) decidedBy: string | null;
  @Column({ name: 'attendance_at', type: 'timestamptz', nullable: true }) attendanceAt: Date | null;
  @Column({ name: 'attendance_by', type: 'uuid', nullable: true }) attendanceBy: string | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** 站点活动: 接待日 (reception), 问政 (questioning), 视察 (inspection), 学习 (study), recorded afterwards. */
@Entity('station_activities')
@Index('idx_station_activity_day', ['stationId', 'day'])
export class StationActivityEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'station_id', type: 'uuid' }) stationId: string;
  @Column({ type: 'varchar', length: 12 }) kind: string;
  @Column({ type: 'date' }) day: string;
  @Column({ type: 'varchar', length: 100 }) title: string;
  @Column({ type: 'text', default: '' }) summary: string;
  @Column({ name: 'recorded_by', type: 'uuid' }) recordedBy: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** The deputies who attended an activity. */
@Entity('station_activity_attendees')
export class StationActivityAttendeeEntity {
  @PrimaryColumn({ name: 'activity_id', type: 'uuid' }) activityId: string;
  @PrimaryColumn({ name: 'deputy_id', type: 'uuid' })
  @Index('idx_activity_attendee_deputy')
  deputyId: string;
}

/** 代表讲堂 / 履职培训: a training session; (title, day) names it, so a re-import finds it. */
@Entity('training_sessions')
@Index('uq_training_session', ['title', 'day'], { unique: true })
export class TrainingSessionEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 100 }) title: string;
  @Column({ type: 'date' }) day: string;
  @Column({ type: 'varchar', length: 100, default: '' }) venue: string;
  @Column({ type: 'varchar', length: 50, default: '' }) speaker: string;
  @Column({ name: 'created_by', type: 'uuid' }) createdBy: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** A deputy's attendance at a training session (recorded by hand or imported from a workbook). */
@Entity('training_attendance')
export class TrainingAttendanceEntity {
  @PrimaryColumn({ name: 'session_id', type: 'uuid' }) sessionId: string;
  @PrimaryColumn({ name: 'deputy_id', type: 'uuid' })
  @Index('idx_training_attendance_deputy')
  deputyId: string;
  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' }) recordedAt: Date;
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 家站点履职 (issue 11): appointments (约见) on duty slots, station activities and their attendees,
 * training sessions (代表讲堂) and attendance, duty days served (值班履职) on the roster, and the record
 * a points credit is for (a message, appointment, duty, activity or training session).
 */
export class StationRecords1796620000000 implements MigrationInterface {
  name = 'StationRecords1796620000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "appointments" ("id" uuid NOT NULL, "tracking_code" character varying(16) NOT NULL, "station_id" uuid NOT NULL, "deputy_id" uuid NOT NULL, "day" date NOT NULL, "slot" character varying(4) NOT NULL, "topic" text NOT NULL, "name" character varying(50), "phone" character varying(20) NOT NULL, "channel" character varying(10) NOT NULL DEFAULT 'online', "source_hash" character varying(64), "status" character varying(12) NOT NULL DEFAULT 'requested', "decline_reason" text, "decided_at" TIMESTAMP WITH TIME ZONE, "decided_by" uuid, "attendance_at" TIMESTAMP WITH TIME ZONE, "attendance_by" uuid, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4a437a9a27e948726b8bb3e36ad" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_appointment_tracking" ON "appointments" ("tracking_code")`,
    );
    await queryRunner.query(`CREATE INDEX "idx_appointment_deputy" ON "appointments" ("deputy_id")`);
    await queryRunner.query(`CREATE INDEX "idx_appointment_phone" ON "appointments" ("phone")`);
    await queryRunner.query(`CREATE INDEX "idx_appointment_source" ON "appointments" ("source_hash")`);
    await queryRunner.query(
      `CREATE INDEX "idx_appointment_station_day" ON "appointments" ("station_id", "day")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_appointment_slot" ON "appointments" ("deputy_id", "day", "slot") WHERE status IN ('requested', 'confirmed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "station_activities" ("id" uuid NOT NULL, "station_id" uuid NOT NULL, "kind" character varying(12) NOT NULL, "day" date NOT NULL, "title" character varying(100) NOT NULL, "summary" text NOT NULL DEFAULT '', "recorded_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4e06177b018bbaf036a9f1002d3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_station_activity_day" ON "station_activities" ("station_id", "day")`,
    );
    await queryRunner.query(
      `CREATE TABLE "station_activity_attendees" ("activity_id" uuid NOT NULL, "deputy_id" uuid NOT NULL, CONSTRAINT "PK_e05012e5a24e2ebd7904495db2c" PRIMARY KEY ("activity_id", "deputy_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_activity_attendee_deputy" ON "station_activity_attendees" ("deputy_id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "training_sessions" ("id" uuid NOT NULL, "title" character varying(100) NOT NULL, "day" date NOT NULL, "venue" character varying(100) NOT NULL DEFAULT '', "speaker" character varying(50) NOT NULL DEFAULT '', "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6678399f77ed9db5176459befa9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_training_session" ON "training_sessions" ("title", "day")`,
    );
    await queryRunner.query(
      `CREATE TABLE "training_attendance" ("session_id" uuid NOT NULL, "deputy_id" uuid NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a2f3fb10b15703ad294e099562f" PRIMARY KEY ("session_id", "deputy_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_training_attendance_deputy" ON "training_attendance" ("deputy_id")`,
    );
    await queryRunner.query(`ALTER TABLE "points_ledger" ADD "record_id" uuid`);
    await queryRunner.query(`ALTER TABLE "station_duties" ADD "served" boolean`);
    await queryRunner.query(`ALTER TABLE "station_duties" ADD "served_recorded_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "station_duties" ADD "served_recorded_by" uuid`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "station_duties" DROP COLUMN "served_recorded_by"`);
    await queryRunner.query(`ALTER TABLE "station_duties" DROP COLUMN "served_recorded_at"`);
    await queryRunner.query(`ALTER TABLE "station_duties" DROP COLUMN "served"`);
    await queryRunner.query(`ALTER TABLE "points_ledger" DROP COLUMN "record_id"`);
    await queryRunner.query(`DROP INDEX "public"."idx_training_attendance_deputy"`);
    await queryRunner.query(`DROP TABLE "training_attendance"`);
    await queryRunner.query(`DROP INDEX "public"."uq_training_session"`);
    await queryRunner.query(`DROP TABLE "training_sessions"`);
    await queryRunner.query(`DROP INDEX "public"."idx_activity_attendee_deputy"`);
    await queryRunner.query(`DROP TABLE "station_activity_attendees"`);
    await queryRunner.query(`DROP INDEX "public"."idx_station_activity_day"`);
    await queryRunner.query(`DROP TABLE "station_activities"`);
    await queryRunner.query(`DROP INDEX "public"."uq_appointment_slot"`);
    await queryRunner.query(`DROP INDEX "public"."idx_appointment_station_day"`);
    await queryRunner.query(`DROP INDEX "public"."idx_appointment_source"`);
    await queryRunner.query(`DROP INDEX "public"."idx_appointment_phone"`);
    await queryRunner.query(`DROP INDEX "public"."idx_appointment_deputy"`);
    await queryRunner.query(`DROP INDEX "public"."uq_appointment_tracking"`);
    await queryRunner.query(`DROP TABLE "appointments"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

export class ProcessRecords1795901670515 implements MigrationInterface {
  name = 'ProcessRecords1795901670515';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "suggestion_cosigners" (
                "suggestion_id" uuid NOT NULL,
                "deputy_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_187bd3fab44814cd8e5e9612311" PRIMARY KEY ("suggestion_id", "deputy_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "unit_requests" (
                "id" uuid NOT NULL,
                "suggestion_id" uuid NOT NULL,
                "unit_id" uuid NOT NULL,
                "round" integer NOT NULL,
                "kind" character varying(16) NOT NULL,
                "reason" text NOT NULL,
                "requested" jsonb,
                "status" character varying(10) NOT NULL DEFAULT 'pending',
                "requested_by" uuid,
                "decided_by" uuid,
                "decision_note" text,
                "decided_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_af5be78e7eeb320d4a420d97023" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_c15fdd885d95aea62e1f283730" ON "unit_requests" ("suggestion_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "urges" (
                "id" uuid NOT NULL,
                "suggestion_id" uuid NOT NULL,
                "unit_id" uuid,
                "note" text NOT NULL,
                "urged_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_acf1f22033a1b757b9013f8df90" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_7c510643853c67360cdbeba836" ON "urges" ("suggestion_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "work_calendar_days" (
                "day" date NOT NULL,
                "kind" character varying(10) NOT NULL,
                "name" character varying(50) NOT NULL DEFAULT '',
                "source" character varying(16) NOT NULL DEFAULT 'chinese-days',
                "updated_by" uuid,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_d066f6e73ea9dd0521515faa324" PRIMARY KEY ("day")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "policy_choices" (
                "id" BIGSERIAL NOT NULL,
                "policy_key" character varying(64) NOT NULL,
                "chosen_by" uuid,
                "chosen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_e72eca4a9bc15ab436bdb6f6d36" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "suggestions"
            ADD "session_year" integer
        `);
    await queryRunner.query(`
            ALTER TABLE "suggestions"
            ADD "during_session" boolean NOT NULL DEFAULT false
        `);
    await queryRunner.query(`
            ALTER TABLE "suggestions"
            ADD "topic" character varying(32) NOT NULL DEFAULT ''
        `);
    await queryRunner.query(`
            ALTER TABLE "suggestions"
            ADD "key_supervision" boolean NOT NULL DEFAULT false
        `);
    await queryRunner.query(`
            ALTER TABLE "suggestions"
            ADD "supervising_leader_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "suggestions"
            ADD "merged_into_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "suggestions"
            ADD "deadline_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "suggestions"
            ADD "overdue" boolean NOT NULL DEFAULT false
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_f80c7fe495417457b7ca524049" ON "suggestions" ("session_year")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_d5c2a1ff3b604f4f50b7d8b5bb" ON "suggestions" ("deadline_at")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."IDX_d5c2a1ff3b604f4f50b7d8b5bb"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_f80c7fe495417457b7ca524049"
        `);
    await queryRunner.query(`
            ALTER TABLE "suggestions" DROP COLUMN "overdue"
        `);
    await queryRunner.query(`
            ALTER TABLE "suggestions" DROP COLUMN "deadline_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "suggestions" DROP COLUMN "merged_into_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "suggestions" DROP COLUMN "supervising_leader_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "suggestions" DROP COLUMN "key_supervision"
        `);
    await queryRunner.query(`
            ALTER TABLE "suggestions" DROP COLUMN "topic"
        `);
    await queryRunner.query(`
            ALTER TABLE "suggestions" DROP COLUMN "during_session"
        `);
    await queryRunner.query(`
            ALTER TABLE "suggestions" DROP COLUMN "session_year"
        `);
    await queryRunner.query(`
            DROP TABLE "policy_choices"
        `);
    await queryRunner.query(`
            DROP TABLE "work_calendar_days"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_7c510643853c67360cdbeba836"
        `);
    await queryRunner.query(`
            DROP TABLE "urges"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_c15fdd885d95aea62e1f283730"
        `);
    await queryRunner.query(`
            DROP TABLE "unit_requests"
        `);
    await queryRunner.query(`
            DROP TABLE "suggestion_cosigners"
        `);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

export class Notifications1795905424991 implements MigrationInterface {
  name = 'Notifications1795905424991';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "notification_deliveries" (
                "id" BIGSERIAL NOT NULL,
                "event_id" uuid NOT NULL,
                "event_type" character varying(64) NOT NULL,
                "recipient" character varying(80) NOT NULL,
                "channel" character varying(16) NOT NULL,
                "address" character varying(500) NOT NULL,
                "suggestion_id" uuid,
                "subject" character varying(200) NOT NULL,
                "body" text NOT NULL,
                "status" character varying(10) NOT NULL DEFAULT 'pending',
                "attempts" integer NOT NULL DEFAULT '0',
                "deliver_after" TIMESTAMP WITH TIME ZONE NOT NULL,
                "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "last_error" text,
                "sent_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_81daeff81f237bd384f7cfc4a4c" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_delivery_due" ON "notification_deliveries" ("next_attempt_at")
            WHERE status = 'pending'
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_delivery" ON "notification_deliveries" ("event_id", "recipient", "channel")
        `);
    await queryRunner.query(`
            CREATE TABLE "notification_preferences" (
                "user_id" uuid NOT NULL,
                "email" boolean NOT NULL DEFAULT true,
                "webhook" boolean NOT NULL DEFAULT true,
                "digest" boolean NOT NULL DEFAULT true,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_64c90edc7310c6be7c10c96f675" PRIMARY KEY ("user_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "unit_webhooks" (
                "unit_id" uuid NOT NULL,
                "url" character varying(500) NOT NULL,
                "secret" character varying(200) NOT NULL,
                "active" boolean NOT NULL DEFAULT true,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_852a271d556ed98e0d1217e41a3" PRIMARY KEY ("unit_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "points_ledger" (
                "id" BIGSERIAL NOT NULL,
                "event_id" uuid NOT NULL,
                "deputy_id" uuid NOT NULL,
                "rule" character varying(40) NOT NULL,
                "points" integer NOT NULL,
                "suggestion_id" uuid,
                "reason" character varying(200) NOT NULL,
                "policy_version" character varying(64) NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_1894c07f712716bfe637e82cc05" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_6e1dab6774105178f6485d1f92" ON "points_ledger" ("deputy_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_points_credit" ON "points_ledger" ("event_id", "deputy_id", "rule")
        `);
    await queryRunner.query(`
            ALTER TABLE "notifications"
            ADD "event_type" character varying(64) NOT NULL DEFAULT ''
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "notifications" DROP COLUMN "event_type"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_points_credit"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_6e1dab6774105178f6485d1f92"
        `);
    await queryRunner.query(`
            DROP TABLE "points_ledger"
        `);
    await queryRunner.query(`
            DROP TABLE "unit_webhooks"
        `);
    await queryRunner.query(`
            DROP TABLE "notification_preferences"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_delivery"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_delivery_due"
        `);
    await queryRunner.query(`
            DROP TABLE "notification_deliveries"
        `);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

export class KeyItems1795905425980 implements MigrationInterface {
  name = 'KeyItems1795905425980';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "reply_returns" (
                "id" uuid NOT NULL,
                "suggestion_id" uuid NOT NULL,
                "unit_id" uuid NOT NULL,
                "round" integer NOT NULL,
                "reason" text NOT NULL,
                "previous_category" character(1),
                "previous_body" text,
                "returned_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_eb5ca481a796a8355b5cd67eae1" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_6587593804a18d2c55091b50cd" ON "reply_returns" ("suggestion_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "progress_reports" (
                "id" uuid NOT NULL,
                "suggestion_id" uuid NOT NULL,
                "unit_id" uuid NOT NULL,
                "period" integer NOT NULL,
                "summary" text NOT NULL,
                "reported_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_175179020a43d5ec75ab1d6a04f" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_progress_report_period" ON "progress_reports" ("suggestion_id", "unit_id", "period")
        `);
    await queryRunner.query(`
            CREATE TABLE "cosigner_evaluations" (
                "id" uuid NOT NULL,
                "suggestion_id" uuid NOT NULL,
                "round" integer NOT NULL,
                "deputy_id" uuid NOT NULL,
                "rating" character varying(20) NOT NULL,
                "comment" text,
                "rated_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_ae66b049b0b4b73c2242d59295a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_cosigner_evaluation" ON "cosigner_evaluations" ("suggestion_id", "round", "deputy_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD "principal" boolean NOT NULL DEFAULT false
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "users" DROP COLUMN "principal"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_cosigner_evaluation"
        `);
    await queryRunner.query(`
            DROP TABLE "cosigner_evaluations"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_progress_report_period"
        `);
    await queryRunner.query(`
            DROP TABLE "progress_reports"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_6587593804a18d2c55091b50cd"
        `);
    await queryRunner.query(`
            DROP TABLE "reply_returns"
        `);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

export class Handling1795901020148 implements MigrationInterface {
  name = 'Handling1795901020148';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "assignments" (
                "id" uuid NOT NULL,
                "suggestion_id" uuid NOT NULL,
                "unit_id" uuid NOT NULL,
                "role" character varying(10) NOT NULL,
                "round" integer NOT NULL DEFAULT '1',
                "status" character varying(20) NOT NULL DEFAULT 'pending',
                "deadline_at" TIMESTAMP WITH TIME ZONE,
                "signed_in_at" TIMESTAMP WITH TIME ZONE,
                "assigned_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_c54ca359535e0012b04dcbd80ee" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_431193e1bf2fe27403dc656e67" ON "assignments" ("suggestion_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_23808c344842c98d087c9a3d12" ON "assignments" ("unit_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_assignment_round" ON "assignments" ("suggestion_id", "unit_id", "round")
        `);
    await queryRunner.query(`
            CREATE TABLE "contacts" (
                "id" uuid NOT NULL,
                "suggestion_id" uuid NOT NULL,
                "unit_id" uuid NOT NULL,
                "contacted_on" date NOT NULL,
                "form" character varying(10) NOT NULL,
                "summary" text NOT NULL,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_b99cd40cfd66a99f1571f4f72e6" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_e097600674987c27ffb4f77e0d" ON "contacts" ("suggestion_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "replies" (
                "id" uuid NOT NULL,
                "suggestion_id" uuid NOT NULL,
                "unit_id" uuid NOT NULL,
                "round" integer NOT NULL,
                "kind" character varying(10) NOT NULL,
                "category" character(1),
                "body" text NOT NULL,
                "promised_date" date,
                "explanation" text,
                "drafted_by" uuid,
                "signed_by" uuid,
                "signed_at" TIMESTAMP WITH TIME ZONE,
                "sent_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_08f619ebe431e27e9d206bea132" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_1b31c2401d0acd331556d0ed8f" ON "replies" ("suggestion_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_reply_round" ON "replies" ("suggestion_id", "unit_id", "round", "kind")
        `);
    await queryRunner.query(`
            CREATE TABLE "evaluations" (
                "id" uuid NOT NULL,
                "suggestion_id" uuid NOT NULL,
                "round" integer NOT NULL,
                "rating" character varying(20) NOT NULL,
                "comment" text,
                "rated_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_f683b433eba0e6dae7e19b29e29" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_evaluation_round" ON "evaluations" ("suggestion_id", "round")
        `);
    await queryRunner.query(`
            ALTER TABLE "suggestions"
            ADD "confidential" boolean NOT NULL DEFAULT false
        `);
    await queryRunner.query(`
            ALTER TABLE "suggestions"
            ADD "round" integer NOT NULL DEFAULT '1'
        `);
    await queryRunner.query(`
            ALTER TABLE "suggestions"
            ADD "consultation_summary" text
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "suggestions" DROP COLUMN "consultation_summary"
        `);
    await queryRunner.query(`
            ALTER TABLE "suggestions" DROP COLUMN "round"
        `);
    await queryRunner.query(`
            ALTER TABLE "suggestions" DROP COLUMN "confidential"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_evaluation_round"
        `);
    await queryRunner.query(`
            DROP TABLE "evaluations"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_reply_round"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_1b31c2401d0acd331556d0ed8f"
        `);
    await queryRunner.query(`
            DROP TABLE "replies"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_e097600674987c27ffb4f77e0d"
        `);
    await queryRunner.query(`
            DROP TABLE "contacts"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_assignment_round"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_23808c344842c98d087c9a3d12"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_431193e1bf2fe27403dc656e67"
        `);
    await queryRunner.query(`
            DROP TABLE "assignments"
        `);
  }
}

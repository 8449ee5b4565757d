import { MigrationInterface, QueryRunner } from 'typeorm';

/** 退回修改: what the reviewer saw at each submission of a suggestion (版本记录); when each unit part ended. */
export class SuggestionVersions1796193015841 implements MigrationInterface {
  name = 'SuggestionVersions1796193015841';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "suggestion_versions" (
                "id" uuid NOT NULL,
                "suggestion_id" uuid NOT NULL,
                "version" integer NOT NULL,
                "title" character varying(200) NOT NULL,
                "content" text NOT NULL,
                "cosigner_deputy_ids" uuid array NOT NULL DEFAULT '{}',
                "submitted_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_suggestion_versions" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_suggestion_version" ON "suggestion_versions" ("suggestion_id", "version")
        `);
    // When a unit's part really ended: its reply or opinion sent, re-assigned away, or closed with the item.
    await queryRunner.query(`
            ALTER TABLE "assignments"
            ADD "ended_at" TIMESTAMP WITH TIME ZONE
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "assignments" DROP COLUMN "ended_at"`);
    await queryRunner.query(`DROP INDEX "public"."uq_suggestion_version"`);
    await queryRunner.query(`DROP TABLE "suggestion_versions"`);
  }
}

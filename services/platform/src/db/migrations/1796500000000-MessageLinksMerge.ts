import type { MigrationInterface, QueryRunner } from 'typeorm';

/** 一码通: when the suggestion a message became was answered (the constituent is told), and duplicate messages merged into another. */
export class MessageLinksMerge1796500000000 implements MigrationInterface {
  name = 'MessageLinksMerge1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "messages" ADD "suggestion_answered_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "messages" ADD "merged_into_id" uuid`);
    await queryRunner.query(`ALTER TABLE "messages" ADD "merged_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "messages" ADD "merge_reason" text`);
    await queryRunner.query(`CREATE INDEX "IDX_message_merged_into" ON "messages" ("merged_into_id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_message_merged_into"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "merge_reason"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "merged_at"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "merged_into_id"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "suggestion_answered_at"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/** 优秀建议 (issue 9): an item named an excellent suggestion, with the reason, who and when. */
export class ExcellentSuggestion1796400000001 implements MigrationInterface {
  name = 'ExcellentSuggestion1796400000001';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "suggestions" ADD "excellent" boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE "suggestions" ADD "excellent_reason" text`);
    await q.query(`ALTER TABLE "suggestions" ADD "excellent_by" uuid`);
    await q.query(`ALTER TABLE "suggestions" ADD "excellent_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "suggestions" DROP COLUMN "excellent_at"`);
    await q.query(`ALTER TABLE "suggestions" DROP COLUMN "excellent_by"`);
    await q.query(`ALTER TABLE "suggestions" DROP COLUMN "excellent_reason"`);
    await q.query(`ALTER TABLE "suggestions" DROP COLUMN "excellent"`);
  }
}

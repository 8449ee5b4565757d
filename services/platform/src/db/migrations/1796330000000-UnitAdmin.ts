import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 承办单位 kept by an admin: a unit can be deactivated (撤并, no new assignments; its history stays),
 * and two units cannot share a name. Existing duplicate names get their code appended first, so the
 * unique index can be built on a database that already has them.
 */
export class UnitAdmin1796330000000 implements MigrationInterface {
  name = 'UnitAdmin1796330000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "units"
            ADD "active" boolean NOT NULL DEFAULT true
        `);
    await queryRunner.query(`
            UPDATE "units" u SET "name" = left(u."name", 100 - length(u."code") - 2) || '（' || u."code" || '）'
            WHERE EXISTS (SELECT 1 FROM "units" o WHERE o."name" = u."name" AND o."code" < u."code")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_units_name" ON "units" ("name")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."IDX_units_name"
        `);
    await queryRunner.query(`
            ALTER TABLE "units" DROP COLUMN "active"
        `);
  }
}

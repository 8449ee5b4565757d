import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 工作日历 years: which years' holidays are official (seeded from chinese-days, or loaded by an admin
 * from the State Council notice). A year without a row is provisional (counted as ordinary weeks).
 * Existing seeded years are recorded as official.
 */
export class CalendarYears1796198638126 implements MigrationInterface {
  name = 'CalendarYears1796198638126';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "work_calendar_years" (
                "year" integer NOT NULL,
                "source" character varying(16) NOT NULL,
                "loaded_by" uuid,
                "loaded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_work_calendar_years" PRIMARY KEY ("year")
            )
        `);
    await queryRunner.query(`
            INSERT INTO "work_calendar_years" ("year", "source")
            SELECT DISTINCT extract(year FROM day)::int, 'chinese-days' FROM "work_calendar_days" WHERE source = 'chinese-days'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP TABLE "work_calendar_years"
        `);
  }
}

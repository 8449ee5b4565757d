import { MigrationInterface, QueryRunner } from 'typeorm';

export class RegistrationCounters1795897262149 implements MigrationInterface {
  name = 'RegistrationCounters1795897262149';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "registration_counters" (
                "year" integer NOT NULL,
                "last_no" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_825acd9ec87949f62b790478d16" PRIMARY KEY ("year")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP TABLE "registration_counters"
        `);
  }
}

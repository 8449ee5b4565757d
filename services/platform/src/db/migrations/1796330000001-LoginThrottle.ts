import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Login throttling (ASVS V2.2.1): failed sign-ins counted per account and per client address; past
 * a threshold the key is locked for a growing time. Shared by every API instance.
 */
export class LoginThrottle1796330000001 implements MigrationInterface {
  name = 'LoginThrottle1796330000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "login_throttle" (
                "key" character varying(200) NOT NULL,
                "failures" integer NOT NULL DEFAULT 0,
                "last_failure_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "locked_until" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_login_throttle" PRIMARY KEY ("key")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP TABLE "login_throttle"
        `);
  }
}

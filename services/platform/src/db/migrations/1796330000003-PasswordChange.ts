import { MigrationInterface, QueryRunner } from 'typeorm';

/** An admin's password reset issues a temporary password that must be changed at the next sign-in. */
export class PasswordChange1796330000003 implements MigrationInterface {
  name = 'PasswordChange1796330000003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD "must_change_password" boolean NOT NULL DEFAULT false
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "users" DROP COLUMN "must_change_password"
        `);
  }
}

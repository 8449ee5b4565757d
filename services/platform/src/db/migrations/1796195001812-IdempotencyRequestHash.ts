import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyRequestHash1796195001812 implements MigrationInterface {
  name = 'IdempotencyRequestHash1796195001812';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "idempotency_keys"
            ADD "request_hash" character varying(64)
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "idempotency_keys" DROP COLUMN "request_hash"
        `);
  }
}

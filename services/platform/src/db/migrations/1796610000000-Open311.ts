import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Open311 GeoReport v2 (issue 11): where a request says the matter is (address, lat/long: public
 * fields of a service request), and an index for the public list of requests received through Open311.
 */
export class Open3111796610000000 implements MigrationInterface {
  name = 'Open3111796610000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "messages" ADD "address" character varying(200)`);
    await queryRunner.query(`ALTER TABLE "messages" ADD "lat" double precision`);
    await queryRunner.query(`ALTER TABLE "messages" ADD "long" double precision`);
    await queryRunner.query(
      `CREATE INDEX "IDX_message_channel_created" ON "messages" ("channel", "created_at")`,
    );
    await queryRunner.query(`ALTER TABLE "open311_clients" ADD "last_used_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "open311_clients" DROP COLUMN "last_used_at"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_message_channel_created"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "long"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "lat"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "address"`);
  }
}

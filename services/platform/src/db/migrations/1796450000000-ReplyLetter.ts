import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 答复函: what the printed reply letter needs beyond the reply's text: the unit's document number
 * (文号) and the unit's contact person and phone for the deputy. Optional; drafted with the reply.
 */
export class ReplyLetter1796450000000 implements MigrationInterface {
  name = 'ReplyLetter1796450000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "replies"
            ADD "document_no" character varying(64),
            ADD "contact_person" character varying(50),
            ADD "contact_phone" character varying(30)
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "replies" DROP COLUMN "contact_phone", DROP COLUMN "contact_person", DROP COLUMN "document_no"
        `);
  }
}

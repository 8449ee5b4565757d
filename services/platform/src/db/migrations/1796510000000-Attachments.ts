import { MigrationInterface, QueryRunner } from 'typeorm';

/** 附件: files attached to suggestions, contacts, replies/opinions and constituent messages. */
export class Attachments1796510000000 implements MigrationInterface {
  name = 'Attachments1796510000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "attachments" (
                "id" uuid NOT NULL,
                "owner_type" character varying(16) NOT NULL,
                "owner_id" uuid NOT NULL,
                "suggestion_id" uuid,
                "message_id" uuid,
                "unit_id" uuid,
                "file_name" character varying(255) NOT NULL,
                "media_type" character varying(100) NOT NULL,
                "ext" character varying(10) NOT NULL,
                "size_bytes" integer NOT NULL,
                "sha256" character(64) NOT NULL,
                "storage_key" character varying(200) NOT NULL,
                "thumb_key" character varying(200),
                "width" integer,
                "height" integer,
                "uploaded_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_5e1f050bcff31e3084a1d662412" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_attachment_content" ON "attachments" ("owner_type", "owner_id", "sha256") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_attachments_owner" ON "attachments" ("owner_type", "owner_id") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_attachments_suggestion" ON "attachments" ("suggestion_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_attachments_message" ON "attachments" ("message_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "attachments"`);
  }
}

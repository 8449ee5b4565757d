import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795897215255 implements MigrationInterface {
  name = 'Init1795897215255';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "audit_log" (
                "id" BIGSERIAL NOT NULL,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "actor_user_id" uuid,
                "actor_role" character varying(20),
                "action" character varying(64) NOT NULL,
                "entity_type" character varying(32) NOT NULL,
                "entity_id" character varying(64),
                "before" jsonb,
                "after" jsonb,
                "request_id" character varying(64),
                CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_1c4c8c76598008ea972a84e783" ON "audit_log" ("actor_user_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_c6c5d74b38ecfe778182348e7c" ON "audit_log" ("entity_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "deputies" (
                "id" uuid NOT NULL,
                "name" character varying(50) NOT NULL,
                "level" character varying(16) NOT NULL DEFAULT 'city',
                "town" character varying(50) NOT NULL DEFAULT '',
                "delegation" character varying(100) NOT NULL DEFAULT '',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_99de99e7915a653c56a553bc737" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "idempotency_keys" (
                "user_id" uuid NOT NULL,
                "key" character varying(100) NOT NULL,
                "scope" character varying(200) NOT NULL,
                "response_status" integer NOT NULL,
                "response_body" jsonb NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_392b1af86f210d98d3f0c764728" PRIMARY KEY ("user_id", "key")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "notifications" (
                "id" BIGSERIAL NOT NULL,
                "event_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "channel" character varying(16) NOT NULL DEFAULT 'in_app',
                "suggestion_id" uuid,
                "title" character varying(200) NOT NULL,
                "body" text NOT NULL,
                "read_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_9a8a82462cab47c73d25f49261" ON "notifications" ("user_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_notification_delivery" ON "notifications" ("event_id", "user_id", "channel")
        `);
    await queryRunner.query(`
            CREATE TABLE "outbox" (
                "id" BIGSERIAL NOT NULL,
                "event_id" uuid NOT NULL,
                "aggregate_id" uuid NOT NULL,
                "type" character varying(64) NOT NULL,
                "payload" jsonb NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "published_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_cc0c9e40998e45ecfc5e313429" ON "outbox" ("event_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "idx_outbox_unpublished" ON "outbox" ("id")
            WHERE published_at IS NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "sessions" (
                "token_hash" character(64) NOT NULL,
                "user_id" uuid NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_abaa9e068cdd390bc5210f79884" PRIMARY KEY ("token_hash")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_085d540d9f418cfbdc7bd55bb1" ON "sessions" ("user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "suggestions" (
                "id" uuid NOT NULL,
                "title" character varying(200) NOT NULL,
                "content" text NOT NULL,
                "status" character varying(20) NOT NULL DEFAULT 'draft',
                "lead_deputy_id" uuid NOT NULL,
                "registration_no" character varying(32),
                "policy_version" character varying(64),
                "created_by" uuid NOT NULL,
                "submitted_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_745bbcb037ac379969b5fc7b352" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_10cc0d89e3552523814208f3ca" ON "suggestions" ("status")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_68cac11303429af7bebaa0e3b0" ON "suggestions" ("lead_deputy_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_dc3bc1f1fb00692dea3478fb3c" ON "suggestions" ("registration_no")
        `);
    await queryRunner.query(`
            CREATE TABLE "units" (
                "id" uuid NOT NULL,
                "code" character varying(32) NOT NULL,
                "name" character varying(100) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_47635c1ab22d02fc3ebae3608b8" UNIQUE ("code"),
                CONSTRAINT "PK_5a8f2f064919b587d93936cb223" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "users" (
                "id" uuid NOT NULL,
                "username" character varying(64) NOT NULL,
                "password_hash" character varying(200) NOT NULL,
                "display_name" character varying(50) NOT NULL,
                "role" character varying(20) NOT NULL,
                "deputy_id" uuid,
                "unit_id" uuid,
                "email" character varying(200),
                "active" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_fe0bb3f6520ee0469504521e71" ON "users" ("username")
        `);
    // Wake the outbox relay at once (LISTEN outbox_new) instead of a slow poll.
    await queryRunner.query(`
            CREATE FUNCTION notify_outbox() RETURNS trigger AS $$
            BEGIN PERFORM pg_notify('outbox_new', NEW.id::text); RETURN NULL; END;
            $$ LANGUAGE plpgsql
        `);
    await queryRunner.query(`
            CREATE TRIGGER outbox_notify AFTER INSERT ON "outbox" FOR EACH ROW EXECUTE FUNCTION notify_outbox()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS outbox_notify ON "outbox"`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS notify_outbox()`);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_fe0bb3f6520ee0469504521e71"
        `);
    await queryRunner.query(`
            DROP TABLE "users"
        `);
    await queryRunner.query(`
            DROP TABLE "units"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_dc3bc1f1fb00692dea3478fb3c"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_68cac11303429af7bebaa0e3b0"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_10cc0d89e3552523814208f3ca"
        `);
    await queryRunner.query(`
            DROP TABLE "suggestions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_085d540d9f418cfbdc7bd55bb1"
        `);
    await queryRunner.query(`
            DROP TABLE "sessions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idx_outbox_unpublished"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_cc0c9e40998e45ecfc5e313429"
        `);
    await queryRunner.query(`
            DROP TABLE "outbox"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_notification_delivery"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_9a8a82462cab47c73d25f49261"
        `);
    await queryRunner.query(`
            DROP TABLE "notifications"
        `);
    await queryRunner.query(`
            DROP TABLE "idempotency_keys"
        `);
    await queryRunner.query(`
            DROP TABLE "deputies"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_c6c5d74b38ecfe778182348e7c"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_1c4c8c76598008ea972a84e783"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_log"
        `);
  }
}

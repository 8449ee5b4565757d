import type { MigrationInterface, QueryRunner } from 'typeorm';

/** 一码通 / 家站点: stations, their deputies, staff and duty roster, deputies' codes, constituent messages, Open311 clients. */
export class Intake1796420000000 implements MigrationInterface {
  name = 'Intake1796420000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "stations" ("id" uuid NOT NULL, "code" character varying(16) NOT NULL, "name" character varying(100) NOT NULL, "kind" character varying(10) NOT NULL, "town" character varying(50) NOT NULL DEFAULT '', "address" character varying(200) NOT NULL DEFAULT '', "opening_hours" character varying(200) NOT NULL DEFAULT '', "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f047974bd453c85b08bab349367" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_4527107221143b0530c23ef1d6" ON "stations" ("code")`);
    await queryRunner.query(
      `CREATE TABLE "station_deputies" ("station_id" uuid NOT NULL, "deputy_id" uuid NOT NULL, CONSTRAINT "PK_721223b5d6b80299aebc5251145" PRIMARY KEY ("station_id", "deputy_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_0c1f92ef5577ca2b1db68921aa" ON "station_deputies" ("deputy_id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "station_staff" ("station_id" uuid NOT NULL, "user_id" uuid NOT NULL, CONSTRAINT "PK_1af8c1a689ddb4f72caf25a4fc6" PRIMARY KEY ("station_id", "user_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_c970c584afc2754befd1c75693" ON "station_staff" ("user_id")`);
    await queryRunner.query(
      `CREATE TABLE "station_duties" ("id" uuid NOT NULL, "station_id" uuid NOT NULL, "deputy_id" uuid NOT NULL, "day" date NOT NULL, "slot" character varying(4) NOT NULL DEFAULT 'day', CONSTRAINT "PK_85c61fd4d9a3b85ddf617112ed4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_station_duty" ON "station_duties" ("station_id", "day", "slot", "deputy_id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "deputy_codes" ("deputy_id" uuid NOT NULL, "code" character varying(16) NOT NULL, CONSTRAINT "PK_7afdffe3dd09e7d5fddb73b69ee" PRIMARY KEY ("deputy_id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_4910f9f1dc5d4b016147092ae0" ON "deputy_codes" ("code")`,
    );
    await queryRunner.query(
      `CREATE TABLE "messages" ("id" uuid NOT NULL, "tracking_code" character varying(16) NOT NULL, "station_id" uuid, "deputy_id" uuid, "category" character varying(16) NOT NULL, "content" text NOT NULL, "name" character varying(50), "phone" character varying(20), "consent_contact" boolean NOT NULL DEFAULT false, "channel" character varying(10) NOT NULL DEFAULT 'online', "source_hash" character varying(64), "open311_client" character varying(64), "status" character varying(16) NOT NULL DEFAULT 'pending_claim', "policy_version" character varying(64) NOT NULL, "claim_deadline_at" TIMESTAMP WITH TIME ZONE, "claim_overdue" boolean NOT NULL DEFAULT false, "claimed_by_deputy_id" uuid, "claimed_by_user_id" uuid, "claimed_at" TIMESTAMP WITH TIME ZONE, "unit_id" uuid, "forward_note" text, "forwarded_at" TIMESTAMP WITH TIME ZONE, "answer_deadline_at" TIMESTAMP WITH TIME ZONE, "overdue" boolean NOT NULL DEFAULT false, "answer" text, "answered_by" uuid, "answered_at" TIMESTAMP WITH TIME ZONE, "on_time" boolean, "suggestion_id" uuid, "rating" character varying(20), "rating_comment" text, "rated_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_18325f38ae6de43878487eff986" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_8c6a8acc5c8154cddc394fc952" ON "messages" ("tracking_code")`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_68ee3cbc1b7d1a6e54bdd32021" ON "messages" ("station_id")`);
    await queryRunner.query(`CREATE INDEX "IDX_39c58aeffc6edec23f55800331" ON "messages" ("deputy_id")`);
    await queryRunner.query(`CREATE INDEX "IDX_510cf34fe1cc41d1bff6c2db65" ON "messages" ("phone")`);
    await queryRunner.query(`CREATE INDEX "IDX_308fb6ce1e9a192ca113b82183" ON "messages" ("source_hash")`);
    await queryRunner.query(`CREATE INDEX "IDX_befd307485dbf0559d17e4a4d2" ON "messages" ("status")`);
    await queryRunner.query(
      `CREATE INDEX "IDX_c205366697f3ba59c93f932dce" ON "messages" ("claimed_by_deputy_id")`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_8effef9eaffe946dab333661cc" ON "messages" ("unit_id")`);
    await queryRunner.query(`CREATE INDEX "IDX_d3cbed12472f06fa3033b8629b" ON "messages" ("suggestion_id")`);
    await queryRunner.query(
      `CREATE TABLE "open311_clients" ("id" character varying(64) NOT NULL, "name" character varying(100) NOT NULL, "key_hash" character(64) NOT NULL, "station_id" uuid NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_33b21078ec27d11a3aec027d57b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_8ff73fe9f89448a10d3636bddb" ON "open311_clients" ("key_hash")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_8ff73fe9f89448a10d3636bddb"`);
    await queryRunner.query(`DROP TABLE "open311_clients"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d3cbed12472f06fa3033b8629b"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8effef9eaffe946dab333661cc"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c205366697f3ba59c93f932dce"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_befd307485dbf0559d17e4a4d2"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_308fb6ce1e9a192ca113b82183"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_510cf34fe1cc41d1bff6c2db65"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_39c58aeffc6edec23f55800331"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_68ee3cbc1b7d1a6e54bdd32021"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8c6a8acc5c8154cddc394fc952"`);
    await queryRunner.query(`DROP TABLE "messages"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4910f9f1dc5d4b016147092ae0"`);
    await queryRunner.query(`DROP TABLE "deputy_codes"`);
    await queryRunner.query(`DROP INDEX "public"."uq_station_duty"`);
    await queryRunner.query(`DROP TABLE "station_duties"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c970c584afc2754befd1c75693"`);
    await queryRunner.query(`DROP TABLE "station_staff"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0c1f92ef5577ca2b1db68921aa"`);
    await queryRunner.query(`DROP TABLE "station_deputies"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4527107221143b0530c23ef1d6"`);
    await queryRunner.query(`DROP TABLE "stations"`);
  }
}

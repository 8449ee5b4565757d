import { MigrationInterface, QueryRunner } from 'typeorm';

/** 届次: congress sessions with their dates, kept by an admin (items belong to one, or to 闭会期间). */
export class CongressSessions1796320000000 implements MigrationInterface {
  name = 'CongressSessions1796320000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "congress_sessions" (
                "id" uuid NOT NULL,
                "term" integer NOT NULL,
                "session" integer NOT NULL,
                "name" character varying(100) NOT NULL,
                "starts_on" date NOT NULL,
                "ends_on" date NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_congress_sessions_term_session" UNIQUE ("term", "session"),
                CONSTRAINT "PK_congress_sessions" PRIMARY KEY ("id")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP TABLE "congress_sessions"
        `);
  }
}

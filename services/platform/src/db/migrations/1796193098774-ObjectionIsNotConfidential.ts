import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Until now the lead deputy's objection to publication (不同意公开) also set suggestions.confidential,
 * which is the reviewer's 涉密 mark. Clears the mark on items withheld only by an objection.
 */
export class ObjectionIsNotConfidential1796193098774 implements MigrationInterface {
  name = 'ObjectionIsNotConfidential1796193098774';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            UPDATE "suggestions" s SET "confidential" = false
            WHERE s."confidential"
              AND EXISTS (SELECT 1 FROM "outbox" o WHERE o."aggregate_id" = s."id" AND o."type" = 'suggestion.publication_withheld' AND o."payload"->'data'->>'kind' = 'objection')
              AND NOT EXISTS (SELECT 1 FROM "outbox" o WHERE o."aggregate_id" = s."id" AND o."type" = 'suggestion.publication_withheld' AND o."payload"->'data'->>'kind' = 'confidential')
        `);
  }

  public async down(): Promise<void> {
    // Data fix only: nothing to undo.
  }
}

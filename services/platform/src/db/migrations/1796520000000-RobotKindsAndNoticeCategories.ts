import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notification settings (通知设置, issue 15):
 * - a unit's group robot has a kind: `generic` (our signed JSON), `dingtalk` (钉钉: 加签 in the query
 *   string, markdown message) or `wecom` (企业微信: markdown message, the key in the URL);
 * - each user's preferences per kind of notice (通知类别) and channel, as a JSON map
 *   `{ category: { in_app?, email?, webhook? } }`; a missing entry means on.
 */
export class RobotKindsAndNoticeCategories1796520000000 implements MigrationInterface {
  name = 'RobotKindsAndNoticeCategories1796520000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "unit_webhooks" ADD "kind" character varying(16) NOT NULL DEFAULT 'generic'
        `);
    await queryRunner.query(`
            ALTER TABLE "notification_preferences" ADD "categories" jsonb NOT NULL DEFAULT '{}'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notification_preferences" DROP COLUMN "categories"`);
    await queryRunner.query(`ALTER TABLE "unit_webhooks" DROP COLUMN "kind"`);
  }
}

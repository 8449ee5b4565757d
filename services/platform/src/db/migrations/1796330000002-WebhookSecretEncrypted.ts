import { MigrationInterface, QueryRunner } from 'typeorm';
import { encryptSecret, isEncrypted } from '../../security/secrets';

/**
 * Robot signing secrets are stored encrypted (AES-256-GCM under JIANYI_SECRET_KEY): the column grows
 * to text, and secrets stored before are encrypted in place.
 */
export class WebhookSecretEncrypted1796330000002 implements MigrationInterface {
  name = 'WebhookSecretEncrypted1796330000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "unit_webhooks" ALTER COLUMN "secret" TYPE text
        `);
    const rows: { unit_id: string; secret: string }[] = await queryRunner.query(
      `SELECT unit_id, secret FROM "unit_webhooks"`,
    );
    for (const r of rows)
      if (!isEncrypted(r.secret))
        await queryRunner.query(`UPDATE "unit_webhooks" SET "secret" = $2 WHERE "unit_id" = $1`, [
          r.unit_id,
          encryptSecret(r.secret),
        ]);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Secrets stay encrypted (a plaintext copy is what this migration removes); only the type goes back.
    await queryRunner.query(`
            ALTER TABLE "unit_webhooks" ALTER COLUMN "secret" TYPE character varying(2000)
        `);
  }
}

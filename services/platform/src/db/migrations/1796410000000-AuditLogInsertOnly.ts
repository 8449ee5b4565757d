import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log (审计日志) is insert-only for every role but its owner: the services' application role
 * (infra/stack.sh grants it SELECT, INSERT, UPDATE, DELETE on each new table by default privileges)
 * keeps SELECT and INSERT on `audit_log`, and loses UPDATE, DELETE and TRUNCATE. Role-name agnostic,
 * so a deployment's own role names work too.
 */
export class AuditLogInsertOnly1796410000000 implements MigrationInterface {
  name = 'AuditLogInsertOnly1796410000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DO $$
            DECLARE r record;
            BEGIN
              REVOKE UPDATE, DELETE, TRUNCATE ON "audit_log" FROM PUBLIC;
              FOR r IN
                SELECT DISTINCT a.grantee::regrole AS grantee
                FROM pg_class c, aclexplode(c.relacl) a
                WHERE c.oid = '"audit_log"'::regclass AND a.grantee <> 0 AND a.grantee <> c.relowner
                  AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
              LOOP
                EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON "audit_log" FROM %s', r.grantee);
              END LOOP;
            END $$
        `);
  }

  public async down(): Promise<void> {
    // Rights taken back are not handed out again: the owner may grant them by hand.
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The 交办会 of 1,000 items (issue 13): the row trigger that keeps an item's projections (open deadline,
 * statistics facts) refreshed it once per written row, three times per item in one batch (the lead's
 * and the co-handler's assignment rows, then the status), each a PL/pgSQL call with its own advisory
 * lock and statistics diff: measured, the batch's INSERT of 2,000 assignment rows took 2.9 s and its
 * UPDATE of 1,000 statuses 1.3 s. A transaction that writes many rows at once may now defer the refresh
 * (`SET LOCAL jianyi.refresh_deferred = on`) and refresh each item once before it commits
 * (`jianyi_refresh_suggestion(id)` in id order); every other writer is unchanged.
 */
const body = (deferrable: boolean) => `
      CREATE OR REPLACE FUNCTION jianyi_refresh_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN${
        deferrable
          ? `
        -- A batch writer refreshes its items itself, once each, before it commits.
        IF current_setting('jianyi.refresh_deferred', true) = 'on' THEN RETURN NULL; END IF;`
          : ''
      }
        IF TG_TABLE_NAME = 'suggestions' THEN
          PERFORM jianyi_refresh_suggestion(CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
        ELSIF TG_TABLE_NAME = 'deputies' THEN
          PERFORM jianyi_refresh_suggestion(s.id) FROM suggestions s WHERE s.lead_deputy_id = NEW.id;
        ELSE
          IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM jianyi_refresh_suggestion(OLD.suggestion_id); END IF;
          IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.suggestion_id IS DISTINCT FROM OLD.suggestion_id) THEN
            PERFORM jianyi_refresh_suggestion(NEW.suggestion_id);
          END IF;
        END IF;
        RETURN NULL;
      END $$`;

export class DeferredRefresh1796720000000 implements MigrationInterface {
  name = 'DeferredRefresh1796720000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(body(true));
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(body(false));
  }
}

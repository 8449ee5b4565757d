/**
 * Administration (系统管理): the working-day calendar, the jurisdiction policy in force, handling
 * units and user accounts. Every write runs in one transaction with its audit row (before/after).
 */
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { Role, policyKey, type JurisdictionPolicy, type PolicyRegistry } from '@jianyi/domain';
import { audit, hashPassword, policyInForce, UNIT_ROLES, type SessionUser } from '@jianyi/platform';
import type { Client } from '@temporalio/client';
import {
  calendarYearStates,
  calendarYears,
  listCalendarDays,
  loadCalendarYear,
  parseNoticeCsv,
  seedCalendar,
  setCalendarDay,
  validateNotice,
  type CalendarDayChoice,
  type CalendarNotice,
} from '@jianyi/platform/src/db/calendar';
import { HttpProblem, problems, type FieldError } from './http/problem';
import { SuggestionLifecycle } from './suggestion.lifecycle';
import { containsPattern, Filters, pageOf } from './sql';
import type { UnitListQuery, UserListQuery } from './contracts/admin';
import { passwordProblems, temporaryPassword as temporaryPasswordOf } from './password-policy';

/** Context of the acting admin, for the audit rows. */
export interface AdminActor {
  user: SessionUser;
  requestId?: string | null;
}

export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
  deputyId: string | null;
  unitId: string | null;
  email: string | null;
  active: boolean;
  principal: boolean;
  createdAt: string;
}

interface UnitRecord {
  id: string;
  code: string;
  name: string;
  active: boolean;
  kind: string;
  createdAt: string;
}

const fieldError = (field: string, message: string, messageEn: string): FieldError => ({
  field,
  message,
  messageEn,
});
const invalid = (field: string, message: string, messageEn: string) =>
  problems.invalid([fieldError(field, message, messageEn)]);

const UNIT_COLUMNS = `id, code, name, active, kind, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;
const nameTaken = (name: string) =>
  new HttpProblem(409, '单位名称已存在', `a unit named ${JSON.stringify(name)} already exists`, [
    fieldError('name', `名称:${name} 已被其他承办单位使用`, `name ${name} is already taken by another unit`),
  ]);
const isNameConflict = (e: unknown) =>
  (e as { driverError?: { code?: string; constraint?: string } }).driverError?.constraint ===
  'IDX_units_name';

/** The indexed expression of the account search (migration AdminListSearch). */
const USER_SEARCH = `username || ' ' || display_name || ' ' || coalesce(email, '')`;
const USER_COLUMNS = `id, username, display_name AS "displayName", role, deputy_id AS "deputyId", unit_id AS "unitId", email, active, principal,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;

function policySummary(p: JurisdictionPolicy, inForceKey: string) {
  const key = policyKey(p);
  return {
    key,
    id: p.id,
    version: p.version,
    name: p.name,
    description: p.description ?? null,
    jurisdiction: {
      level: p.jurisdiction.level,
      name: p.jurisdiction.name,
      code: p.jurisdiction.code ?? null,
    },
    effectiveFrom: p.effectiveFrom,
    testOnly: p.testOnly === true,
    inForce: key === inForceKey,
  };
}

export class AdminService {
  private lifecycle?: SuggestionLifecycle;
  constructor(
    private ds: DataSource,
    private policies: PolicyRegistry,
    temporal?: Client,
  ) {
    if (temporal) this.lifecycle = new SuggestionLifecycle(temporal);
  }

  // ---- working-day calendar ------------------------------------------------

  async calendar(year: number) {
    const [days, years] = await Promise.all([listCalendarDays(this.ds, year), calendarYears(this.ds)]);
    const states = await calendarYearStates(this.ds);
    return {
      year,
      seeded: years.seeded.includes(year),
      seededYears: years.seeded,
      state:
        states.find((s) => s.year === year)?.state ??
        (year > new Date().getFullYear() ? 'provisional' : 'missing'),
      years: states,
      days,
    };
  }

  /**
   * Loads one year's holidays from the State Council notice (a list of holidays and make-up working
   * days, or the same as CSV), validated, in one transaction with its audit row; the year becomes
   * official. Then every running unit clock counted through that year, and the item's own clocks
   * (pre-review, assignment, evaluation), are signalled to re-plan (the workflow records a
   * `suggestion.deadline_replanned` event when the deadline moves).
   */
  async loadCalendarYear(actor: AdminActor, year: number, input: { notice?: CalendarNotice; csv?: string }) {
    let notice = input.notice;
    if (input.csv !== undefined) {
      const parsed = parseNoticeCsv(input.csv);
      if (parsed.errors.length) throw problems.invalid(parsed.errors);
      notice = parsed.notice;
    }
    if (!notice) throw invalid('holidays', '放假日期:必填', 'holidays or csv is required');
    const errors = validateNotice(year, notice);
    if (errors.length) throw problems.invalid(errors);
    const result = await this.ds.transaction(async (m) => {
      const r = await loadCalendarYear(m, year, notice, actor.user.id);
      await this.audit(m, actor, 'calendar.load_year', 'calendar', String(year), r.before, {
        ...r.after,
        holidays: notice.holidays.map((d) => d.date),
        workdays: notice.workdays.map((d) => d.date),
      });
      return r;
    });
    const open: { suggestionId: string; unitId: string; round: number }[] = await this.ds.query(
      `SELECT a.suggestion_id AS "suggestionId", a.unit_id AS "unitId", a.round
       FROM assignments a JOIN suggestions s ON s.id = a.suggestion_id
       WHERE a.status NOT IN ('replied', 'opinion_sent', 'reassigned') AND a.deadline_at IS NOT NULL
         AND a.deadline_at >= make_timestamptz($1::int, 1, 1, 0, 0, 0, 'Asia/Shanghai')
         AND a.assigned_at < make_timestamptz($1::int + 1, 1, 1, 0, 0, 0, 'Asia/Shanghai')
         AND s.status NOT IN ('closed', 'withdrawn', 'rejected', 'converted', 'merged')`,
      [year],
    );
    // The item's own clocks: pre-review (submitted), assignment (accepted) and the deputy's evaluation
    // (replied). Each runs at most a few months, so an item last changed before the previous year
    // cannot count through this one; the workflow re-plans and records only a deadline that moved.
    const items: { suggestionId: string }[] = await this.ds.query(
      `SELECT s.id AS "suggestionId" FROM suggestions s
       WHERE s.status IN ('submitted', 'accepted', 'replied')
         AND s.updated_at >= make_timestamptz($1::int - 1, 1, 1, 0, 0, 0, 'Asia/Shanghai')`,
      [year],
    );
    let signalled = 0;
    if (this.lifecycle) {
      for (const a of open) {
        try {
          await this.lifecycle.unit(a.suggestionId, a.unitId, a.round).calendarChanged([year]);
          signalled += 1;
        } catch {
          // A unit workflow that has finished in the meantime has no clock left to re-plan.
        }
      }
      for (const i of items) {
        try {
          await this.lifecycle.item(i.suggestionId).calendarChanged([year]);
          signalled += 1;
        } catch {
          // Finished in the meantime: no clock left to re-plan.
        }
      }
    }
    return { year, state: 'official' as const, ...result.after, replanned: signalled };
  }

  async setCalendarDay(actor: AdminActor, day: string, kind: CalendarDayChoice, name: string | undefined) {
    return this.ds.transaction(async (m) => {
      const { before, after } = await setCalendarDay(m, { day, kind, name, by: actor.user.id });
      await this.audit(
        m,
        actor,
        'calendar.set_day',
        'calendar_day',
        day,
        before && { ...before },
        after && { ...after },
      );
      return { day, kind, row: after };
    });
  }

  async seedCalendar(actor: AdminActor, fromYear: number, toYear: number) {
    return this.ds.transaction(async (m) => {
      let result;
      try {
        result = await seedCalendar(m, fromYear, toYear);
      } catch (err) {
        if (err instanceof RangeError)
          throw invalid('fromYear', `起始年份:节假日数据中没有 ${fromYear} 年的安排`, err.message);
        throw err;
      }
      await this.audit(
        m,
        actor,
        'calendar.seed',
        'calendar',
        `${fromYear}-${toYear}`,
        { fromYear, toYear },
        { ...result },
      );
      return result;
    });
  }

  // ---- jurisdiction policy -------------------------------------------------

  async listPolicies() {
    const current = await policyInForce(this.ds);
    return {
      inForce: current.policyKey,
      items: this.policies.list().map((p) => policySummary(p, current.policyKey)),
    };
  }

  async currentPolicy() {
    const current = await policyInForce(this.ds);
    const p = this.policies.find(current.policyKey);
    return { ...current, policy: p ? policySummary(p, current.policyKey) : null };
  }

  async choosePolicy(actor: AdminActor, key: string) {
    const p = this.policies.find(key);
    if (!p)
      throw invalid(
        'policyKey',
        `办理规则:没有名为 ${key} 的规则`,
        `unknown policy ${JSON.stringify(key)}; known: ${this.policies.keys().join(', ')}`,
      );
    if (p.testOnly === true)
      throw invalid(
        'policyKey',
        '办理规则:测试专用规则不能用于正式办理',
        `policy ${key} is for automated tests only (testOnly) and may not be put in force`,
      );
    return this.ds.transaction(async (m) => {
      // One choice at a time, so each audit row's "before" is the policy it replaced.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('jianyi.policy_choices'))`);
      const before = await policyInForce(m);
      const rows: { id: string }[] = await m.query(
        `INSERT INTO policy_choices (policy_key, chosen_by) VALUES ($1, $2) RETURNING id::text AS id`,
        [key, actor.user.id],
      );
      const choiceId = rows[0]!.id;
      await this.audit(
        m,
        actor,
        'policy.choose',
        'policy',
        key,
        { policyKey: before.policyKey, chosen: before.chosen },
        { policyKey: key, choiceId },
      );
      const after = await policyInForce(m);
      return { ...after, choiceId, policy: policySummary(p, key) };
    });
  }

  // ---- handling units --------------------------------------------------------

  /** 承办单位 by code (unique); the keyword in the code or the name (a few hundred rows: no index). */
  listUnits(q: UnitListQuery) {
    const filters = new Filters()
      .add(q.kind, (p) => `kind = ${p}`)
      .add(q.active, (p) => `active = ${p}`)
      .add(
        q.q === undefined ? undefined : containsPattern(q.q),
        (p) => `(code ILIKE ${p} OR name ILIKE ${p})`,
      );
    return pageOf<UnitRecord>(this.ds, {
      select: UNIT_COLUMNS,
      from: 'units',
      filters,
      orderBy: 'code',
      ...q,
    });
  }

  async createUnit(actor: AdminActor, input: { code: string; name: string; kind?: string }) {
    return this.ds
      .transaction(async (m) => {
        const rows: UnitRecord[] = await m.query(
          `INSERT INTO units (id, code, name, kind) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING RETURNING ${UNIT_COLUMNS}`,
          [randomUUID(), input.code, input.name, input.kind ?? 'government'],
        );
        const unit = rows[0];
        if (!unit) {
          throw new HttpProblem(
            409,
            '单位代码已存在',
            `a unit with code ${JSON.stringify(input.code)} already exists`,
            [fieldError('code', `单位代码:${input.code} 已被使用`, `code ${input.code} is already taken`)],
          );
        }
        await this.audit(m, actor, 'unit.create', 'unit', unit.id, null, { ...unit });
        return unit;
      })
      .catch((e: unknown) => {
        throw isNameConflict(e) ? nameTaken(input.name) : e;
      });
  }

  /**
   * 更名 / 撤并: rename a unit (its history shows the new name) or deactivate it. A deactivated unit is
   * not offered for assignment and cannot be assigned; what it already handles goes on (the reviewer
   * re-assigns it if needed), and its accounts keep working to finish it.
   */
  async updateUnit(actor: AdminActor, id: string, patch: { name?: string; kind?: string; active?: boolean }) {
    return this.ds
      .transaction(async (m) => {
        const rows: UnitRecord[] = await m.query(
          `SELECT ${UNIT_COLUMNS} FROM units WHERE id = $1 FOR UPDATE`,
          [id],
        );
        const before = rows[0];
        if (!before) throw problems.notFound('unit');
        const updated: UnitRecord[] = await m.query(
          `WITH u AS (UPDATE units SET name = $2, active = $3, kind = $4 WHERE id = $1 RETURNING *) SELECT ${UNIT_COLUMNS} FROM u`,
          [id, patch.name ?? before.name, patch.active ?? before.active, patch.kind ?? before.kind],
        );
        const after = updated[0]!;
        await this.audit(m, actor, 'unit.update', 'unit', id, { ...before }, { ...after });
        return after;
      })
      .catch((e: unknown) => {
        throw isNameConflict(e) ? nameTaken(patch.name ?? '') : e;
      });
  }

  // ---- user accounts ---------------------------------------------------------

  /** Accounts by login name (unique), with the names of their unit and deputy. */
  listUsers(q: UserListQuery) {
    const filters = new Filters()
      .add(q.role, (p) => `role = ${p}`)
      .add(q.active, (p) => `active = ${p}`)
      .add(q.unitId, (p) => `unit_id = ${p}`)
      .search(q.q, USER_SEARCH, ['username', 'display_name', 'email']);
    return pageOf<PublicUser>(this.ds, {
      select: `${USER_COLUMNS}, (SELECT name FROM units WHERE units.id = users.unit_id) AS "unitName",
        (SELECT name FROM deputies WHERE deputies.id = users.deputy_id) AS "deputyName"`,
      from: 'users',
      filters,
      orderBy: 'username',
      ...q,
    });
  }

  async createUser(
    actor: AdminActor,
    input: {
      username: string;
      password: string;
      displayName: string;
      role: string;
      deputyId?: string | null;
      unitId?: string | null;
      email?: string | null;
    },
  ) {
    const links = { deputyId: input.deputyId ?? null, unitId: input.unitId ?? null };
    await this.checkRoleLinks(this.ds.manager, input.role, links);
    const weak = passwordProblems(input.password, 'password', input);
    if (weak.length) throw problems.invalid(weak);
    const passwordHash = await hashPassword(input.password);
    return this.ds.transaction(async (m) => {
      const rows: PublicUser[] = await m.query(
        `INSERT INTO users (id, username, password_hash, display_name, role, deputy_id, unit_id, email) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
         ON CONFLICT (username) DO NOTHING RETURNING ${USER_COLUMNS}`,
        [
          randomUUID(),
          input.username,
          passwordHash,
          input.displayName,
          input.role,
          links.deputyId,
          links.unitId,
          input.email ?? null,
        ],
      );
      const user = rows[0];
      if (!user) {
        throw new HttpProblem(
          409,
          '用户名已存在',
          `a user named ${JSON.stringify(input.username)} already exists`,
          [
            fieldError(
              'username',
              `用户名:${input.username} 已被使用`,
              `username ${input.username} is already taken`,
            ),
          ],
        );
      }
      await this.audit(m, actor, 'user.create', 'user', user.id, null, { ...user });
      return user;
    });
  }

  async updateUser(
    actor: AdminActor,
    id: string,
    patch: {
      active?: boolean;
      role?: string;
      displayName?: string;
      deputyId?: string | null;
      unitId?: string | null;
      principal?: boolean;
    },
  ) {
    if (id === actor.user.id) {
      if (patch.active === false)
        throw invalid(
          'active',
          '启用状态:不能停用自己的账号',
          'an admin cannot deactivate their own account',
        );
      if (patch.role !== undefined && patch.role !== Role.admin)
        throw invalid('role', '角色:不能取消自己的管理员角色', 'an admin cannot remove their own admin role');
    }
    return this.ds.transaction(async (m) => {
      const rows: PublicUser[] = await m.query(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1 FOR UPDATE`, [
        id,
      ]);
      const before = rows[0];
      if (!before) throw problems.notFound('user');
      const role = patch.role ?? before.role;
      // Links the new role cannot have are dropped unless the patch sets them (then they are refused).
      const next = {
        active: patch.active ?? before.active,
        role,
        displayName: patch.displayName ?? before.displayName,
        deputyId:
          patch.deputyId !== undefined ? patch.deputyId : role === Role.deputy ? before.deputyId : null,
        unitId: patch.unitId !== undefined ? patch.unitId : UNIT_ROLES.includes(role) ? before.unitId : null,
        // 主要负责人 belongs to a unit leader; a change of role drops it.
        principal: role === Role.unitLeader ? (patch.principal ?? before.principal) : false,
      };
      if (patch.principal && role !== Role.unitLeader)
        throw invalid(
          'principal',
          '主要负责人:只有单位负责人可以设为主要负责人',
          'only a unit leader (unit_leader) can be a principal leader',
        );
      await this.checkRoleLinks(m, next.role, next);
      const updated: PublicUser[] = await m.query(
        // (Wrapped in a SELECT: TypeORM's query() answers a bare UPDATE with [rows, rowCount].)
        `WITH u AS (UPDATE users SET active = $2, role = $3, display_name = $4, deputy_id = $5, unit_id = $6, principal = $7 WHERE id = $1 RETURNING *)
         SELECT ${USER_COLUMNS} FROM u`,
        [id, next.active, next.role, next.displayName, next.deputyId, next.unitId, next.principal],
      );
      const after = updated[0]!;
      // A deactivated account is signed out everywhere (resolveSession also refuses inactive users).
      if (before.active && !after.active) await m.query(`DELETE FROM sessions WHERE user_id = $1`, [id]);
      await this.audit(m, actor, 'user.update', 'user', id, { ...before }, { ...after });
      return after;
    });
  }

  /**
   * 重置密码: a random temporary password, returned this once; the user is signed out everywhere and
   * must change it at the next sign-in (every route but the change answers 403 until then).
   */
  async resetPassword(actor: AdminActor, id: string) {
    const temporaryPassword = temporaryPasswordOf();
    const hash = await hashPassword(temporaryPassword);
    return this.ds.transaction(async (m) => {
      const rows: { id: string }[] = await m.query(
        `WITH u AS (UPDATE users SET password_hash = $2, must_change_password = true WHERE id = $1 RETURNING id) SELECT id FROM u`,
        [id, hash],
      );
      if (!rows[0]) throw problems.notFound('user');
      await m.query(`DELETE FROM sessions WHERE user_id = $1`, [id]);
      await this.audit(m, actor, 'user.password_reset', 'user', id, null, { mustChangePassword: true });
      return { temporaryPassword, mustChangePassword: true as const };
    });
  }

  /** Unit roles need an existing unit, a deputy account an existing deputy; other roles have neither. */
  private async checkRoleLinks(
    m: EntityManager,
    role: string,
    links: { deputyId: string | null; unitId: string | null },
  ): Promise<void> {
    const errors: FieldError[] = [];
    const isUnitRole = UNIT_ROLES.includes(role);
    if (isUnitRole) {
      if (!links.unitId)
        errors.push(
          fieldError(
            'unitId',
            `承办单位:${role === Role.unitLeader ? '单位负责人' : '单位经办人'}必须属于一个承办单位`,
            `role ${role} requires unitId`,
          ),
        );
      else if (!(await this.exists(m, 'units', links.unitId)))
        errors.push(fieldError('unitId', '承办单位:不存在', `unit ${links.unitId} does not exist`));
    } else if (links.unitId) {
      errors.push(
        fieldError(
          'unitId',
          '承办单位:只有承办单位的经办人和负责人属于承办单位',
          `only roles ${UNIT_ROLES.join(', ')} have a unitId`,
        ),
      );
    }
    if (role === Role.deputy) {
      if (!links.deputyId)
        errors.push(
          fieldError('deputyId', '代表:人大代表账号必须关联一名代表', 'role deputy requires deputyId'),
        );
      else if (!(await this.exists(m, 'deputies', links.deputyId)))
        errors.push(fieldError('deputyId', '代表:不存在', `deputy ${links.deputyId} does not exist`));
    } else if (links.deputyId) {
      errors.push(fieldError('deputyId', '代表:只有人大代表账号关联代表', 'only role deputy has a deputyId'));
    }
    if (errors.length) throw problems.invalid(errors);
  }

  private async exists(m: EntityManager, table: 'units' | 'deputies', id: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  private audit(
    m: EntityManager,
    actor: AdminActor,
    action: string,
    entityType: string,
    entityId: string,
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
  ): Promise<void> {
    return audit(m, {
      actorUserId: actor.user.id,
      actorRole: actor.user.role,
      action,
      entityType,
      entityId,
      before,
      after,
      requestId: actor.requestId ?? null,
    });
  }
}

/**
 * Stations (家站点) for the admin, mounted at /api/admin/stations: list, create, edit (kind, town,
 * address, opening hours, attached deputies, staff users), the duty roster (值班表), and the
 * deputies' own codes. Every write runs in one transaction with its audit row.
 */
import { Router, type Request } from 'express';
import { Role } from '@jianyi/domain';
import {
  dutiesBody,
  intakeFieldLabels,
  stationBody,
  stationListQuery,
  stationPatch,
  TARGET_CODE_LENGTH,
} from './contracts/intake';
import { requireRole } from './http/auth';
import { problems } from './http/problem';
import { pathId, validate } from './http/validate';
import { randomCode, type IntakeService } from './intake.service';

const memberProblem = (field: 'deputyIds' | 'staffUserIds') =>
  problems.invalid([
    field === 'deputyIds'
      ? { field, message: '进站代表：有代表不存在', messageEn: 'unknown deputy' }
      : {
          field,
          message: '站点工作人员：须为“站点工作人员”角色的用户',
          messageEn: 'each staff user must exist and have the station_staff role',
        },
  ]);

export function stationAdminRoutes(intake: IntakeService): Router {
  const r = Router();
  const repo = intake.repo;
  const admin = (req: Request) => ({ user: requireRole(req, Role.admin), requestId: req.requestId ?? null });
  const draw = () => randomCode(TARGET_CODE_LENGTH);

  r.get('/', async (req, res) => {
    admin(req);
    const q = validate(stationListQuery, req.query, intakeFieldLabels);
    res.json({ ...(await repo.listStations(q)), page: q.page, pageSize: q.pageSize });
  });

  /** Every deputy with their own code (a missing one is made on the way). */
  r.get('/deputy-codes', async (req, res) => {
    admin(req);
    res.json({ items: await repo.deputyCodes(draw) });
  });

  r.get('/:id', async (req, res) => {
    admin(req);
    const s = await repo.stationDetail(pathId(req.params.id, 'station'));
    if (!s) throw problems.notFound('station');
    res.json(s);
  });

  r.post('/', async (req, res) => {
    const actor = admin(req);
    const b = validate(stationBody, req.body, intakeFieldLabels);
    const out = await repo.createStation(actor, b, draw);
    if ('invalid' in out) throw memberProblem(out.invalid);
    res.status(201).json(out.station);
  });

  r.patch('/:id', async (req, res) => {
    const actor = admin(req);
    const id = pathId(req.params.id, 'station');
    const b = validate(stationPatch, req.body, intakeFieldLabels);
    const out = await repo.updateStation(actor, id, b);
    if ('invalid' in out) throw memberProblem(out.invalid);
    if (!out.station) throw problems.notFound('station');
    res.json(out.station);
  });

  /** Replaces the roster from today on with the given duties (past days are kept as the record). */
  r.put('/:id/duties', async (req, res) => {
    const actor = admin(req);
    const id = pathId(req.params.id, 'station');
    const b = validate(dutiesBody, req.body, intakeFieldLabels);
    const out = await repo.setDuties(actor, id, b.duties);
    if ('stray' in out)
      throw problems.invalid([
        {
          field: `duties.${out.stray}.deputyId`,
          message: '值班表：值班代表须为本站进站代表',
          messageEn: 'the deputy on duty must be attached to this station',
        },
      ]);
    if (!out.station) throw problems.notFound('station');
    res.json(out.station);
  });
  return r;
}

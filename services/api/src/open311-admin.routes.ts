/**
 * Open311 clients for the admin (mounted at /api/admin/open311/clients): register a client of a
 * station (its api_key is answered once; only the hash is kept), rename, move, deactivate, rotate the
 * key. Every write is one transaction with its audit row.
 */
import { Router, type Request } from 'express';
import { Role } from '@jianyi/domain';
import { clientBody, clientParams, clientPatch, open311FieldLabels } from './contracts/open311';
import { requireRole } from './http/auth';
import { problems } from './http/problem';
import { pathId, validate } from './http/validate';
import { Open311Repository } from './open311.repository';
import type { DataSource } from 'typeorm';

const noStation = () =>
  problems.invalid([{ field: 'stationId', message: '站点：不存在', messageEn: 'no such station' }]);

export function open311AdminRoutes(ds: DataSource): Router {
  const r = Router();
  const repo = new Open311Repository(ds);
  const admin = (req: Request) => ({ user: requireRole(req, Role.admin), requestId: req.requestId ?? null });

  r.get('/', async (req, res) => {
    admin(req);
    res.json({ items: await repo.listClients() });
  });

  r.post('/', async (req, res) => {
    const actor = admin(req);
    const b = validate(clientBody, req.body, open311FieldLabels);
    const out = await repo.createClient(actor, b);
    if (out === 'no_station') throw noStation();
    res.status(201).json(out);
  });

  r.patch('/:id', async (req, res) => {
    const actor = admin(req);
    const id = pathId(req.params.id, 'open311 client', clientParams.shape.id);
    const b = validate(clientPatch, req.body, open311FieldLabels);
    const out = await repo.updateClient(actor, id, b);
    if (out === 'no_station') throw noStation();
    if (!out) throw problems.notFound('open311 client');
    res.json(out);
  });
  return r;
}

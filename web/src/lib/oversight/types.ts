/** Shapes of the oversight API answers the pages share. */
export interface SupervisionItem {
  id: string;
  title: string;
  status: string;
  registrationNo: string | null;
  leadDeputyName: string | null;
  town: string | null;
  keySupervision: boolean;
  deadlineAt: string | null;
  overdue: boolean;
  units: { unitId: string; unitName: string; role: string; status: string; deadlineAt: string | null }[];
  urgeCount: number;
  lastUrgedAt: string | null;
}

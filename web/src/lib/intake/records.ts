/** Answers of the stations' records API (约见, desk, activities, 代表讲堂, 履职档案), inferred from its contracts. */
import type { z } from 'zod';
import type {
  activityView,
  appointmentCreated,
  appointmentTrackView,
  appointmentView,
  deputyRecordView,
  pointsRanking,
  slotList,
  stationDayView,
  trainingView,
} from '@jianyi/api/contracts';

export type Slot = z.infer<typeof slotList>['items'][number];
export type AppointmentCreated = z.infer<typeof appointmentCreated>;
export type AppointmentTrack = z.infer<typeof appointmentTrackView>;
export type Appointment = z.infer<typeof appointmentView>;
export type StationDay = z.infer<typeof stationDayView>;
export type Activity = z.infer<typeof activityView>;
export type Training = z.infer<typeof trainingView>;
export type DeputyRecord = z.infer<typeof deputyRecordView>;
export type Ranking = z.infer<typeof pointsRanking>;
/** The activity kinds, in the order the form offers them. */
export const ACTIVITY_KINDS = [
  ['reception', '接待日'],
  ['questioning', '问政'],
  ['inspection', '视察'],
  ['study', '学习'],
] as const;

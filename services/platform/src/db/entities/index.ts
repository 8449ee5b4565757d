import { AuditEntity } from './audit.entity';
import { DeputyEntity } from './deputy.entity';
import { IdempotencyEntity } from './idempotency.entity';
import {
  NotificationDeliveryEntity,
  NotificationEntity,
  NotificationPreferenceEntity,
  UnitWebhookEntity,
} from './notification.entity';
import { OutboxEntity } from './outbox.entity';
import { LoginThrottleEntity, SessionEntity } from './session.entity';
import { CosignerEntity, SuggestionEntity, SuggestionVersionEntity } from './suggestion.entity';
import { UnitEntity, UnitRecommendationEntity } from './unit.entity';
import { UserEntity } from './user.entity';
import { RegistrationCounterEntity } from './registration-counter.entity';
import { StatsCubeEntity, StatsDeltaEntity, StatsFactEntity, STATS_ITEM_UNIT } from './stats.entity';
import {
  AssignmentEntity,
  ContactEntity,
  CosignerEvaluationEntity,
  EvaluationEntity,
  ProgressReportEntity,
  ReplyEntity,
  ReplyReturnEntity,
  UnitRequestEntity,
  UrgeEntity,
} from './handling.entity';
import { WorkCalendarDayEntity, WorkCalendarYearEntity } from './calendar.entity';
import { PolicyChoiceEntity } from './policy.entity';
import { PointsLedgerEntity } from './points.entity';
import { CongressSessionEntity } from './congress-session.entity';
import { AttachmentEntity } from './attachment.entity';

import {
  StationEntity,
  StationDeputyEntity,
  StationStaffEntity,
  StationDutyEntity,
  DeputyCodeEntity,
  MessageEntity,
  Open311ClientEntity,
} from './intake.entity';
import {
  AppointmentEntity,
  StationActivityEntity,
  StationActivityAttendeeEntity,
  TrainingSessionEntity,
  TrainingAttendanceEntity,
} from './station-record.entity';

export {
  AttachmentEntity,
  AuditEntity,
  DeputyEntity,
  IdempotencyEntity,
  NotificationEntity,
  OutboxEntity,
  SessionEntity,
  LoginThrottleEntity,
  SuggestionEntity,
  UnitEntity,
  UnitRecommendationEntity,
  UserEntity,
  RegistrationCounterEntity,
  AssignmentEntity,
  ContactEntity,
  EvaluationEntity,
  ReplyEntity,
  CosignerEntity,
  PolicyChoiceEntity,
  UnitRequestEntity,
  UrgeEntity,
  WorkCalendarDayEntity,
  WorkCalendarYearEntity,
  CongressSessionEntity,
  CosignerEvaluationEntity,
  ProgressReportEntity,
  ReplyReturnEntity,
  SuggestionVersionEntity,
  NotificationDeliveryEntity,
  NotificationPreferenceEntity,
  PointsLedgerEntity,
  UnitWebhookEntity,
  StatsFactEntity,
  StatsCubeEntity,
  StatsDeltaEntity,
  STATS_ITEM_UNIT,
  StationEntity,
  StationDeputyEntity,
  StationStaffEntity,
  StationDutyEntity,
  DeputyCodeEntity,
  MessageEntity,
  Open311ClientEntity,
  AppointmentEntity,
  StationActivityEntity,
  StationActivityAttendeeEntity,
  TrainingSessionEntity,
  TrainingAttendanceEntity,
};
export const entities = [
  AttachmentEntity,
  AuditEntity,
  DeputyEntity,
  IdempotencyEntity,
  NotificationEntity,
  OutboxEntity,
  SessionEntity,
  SuggestionEntity,
  UnitEntity,
  UnitRecommendationEntity,
  UserEntity,
  RegistrationCounterEntity,
  AssignmentEntity,
  ContactEntity,
  EvaluationEntity,
  ReplyEntity,
  CosignerEntity,
  PolicyChoiceEntity,
  UnitRequestEntity,
  UrgeEntity,
  WorkCalendarDayEntity,
  WorkCalendarYearEntity,
  CongressSessionEntity,
  CosignerEvaluationEntity,
  ProgressReportEntity,
  ReplyReturnEntity,
  SuggestionVersionEntity,
  NotificationDeliveryEntity,
  NotificationPreferenceEntity,
  PointsLedgerEntity,
  UnitWebhookEntity,
  StatsFactEntity,
  StatsCubeEntity,
  StatsDeltaEntity,
  LoginThrottleEntity,
  StationEntity,
  StationDeputyEntity,
  StationStaffEntity,
  StationDutyEntity,
  DeputyCodeEntity,
  MessageEntity,
  Open311ClientEntity,
  AppointmentEntity,
  StationActivityEntity,
  StationActivityAttendeeEntity,
  TrainingSessionEntity,
  TrainingAttendanceEntity,
];

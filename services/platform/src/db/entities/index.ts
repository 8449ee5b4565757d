import { AuditEntity } from './audit.entity';
import { DeputyEntity } from './deputy.entity';
import { IdempotencyEntity } from './idempotency.entity';
import { NotificationEntity } from './notification.entity';
import { OutboxEntity } from './outbox.entity';
import { LoginThrottleEntity, SessionEntity } from './session.entity';
import { SuggestionEntity } from './suggestion.entity';
import { UnitEntity, UnitRecommendationEntity } from './unit.entity';
import { UserEntity } from './user.entity';
import { RegistrationCounterEntity } from './registration-counter.entity';
import { StatsCubeEntity, StatsDeltaEntity, StatsFactEntity, STATS_ITEM_UNIT } from './stats.entity';
import { AssignmentEntity, ContactEntity, EvaluationEntity, ReplyEntity } from './handling.entity';
import {
  CosignerEvaluationEntity,
  ProgressReportEntity,
  ReplyReturnEntity,
  SuggestionVersionEntity,
} from './review.entity';
import {
  NotificationDeliveryEntity,
  NotificationPreferenceEntity,
  PointsLedgerEntity,
  UnitWebhookEntity,
} from './notify.entity';
import {
  CosignerEntity,
  PolicyChoiceEntity,
  UnitRequestEntity,
  UrgeEntity,
  WorkCalendarDayEntity,
  WorkCalendarYearEntity,
} from './process.entity';
import { CongressSessionEntity } from './congress-session.entity';

export {
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
};
export const entities = [
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
];

import { AuditEntity } from './audit.entity';
import { DeputyEntity } from './deputy.entity';
import { IdempotencyEntity } from './idempotency.entity';
import { NotificationEntity } from './notification.entity';
import { OutboxEntity } from './outbox.entity';
import { SessionEntity } from './session.entity';
import { SuggestionEntity } from './suggestion.entity';
import { UnitEntity } from './unit.entity';
import { UserEntity } from './user.entity';
import { RegistrationCounterEntity } from './registration-counter.entity';
import { AssignmentEntity, ContactEntity, EvaluationEntity, ReplyEntity } from './handling.entity';
import { CosignerEvaluationEntity, ProgressReportEntity, ReplyReturnEntity } from './review.entity';
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
} from './process.entity';
import {
  StationEntity,
  StationDeputyEntity,
  StationStaffEntity,
  StationDutyEntity,
  DeputyCodeEntity,
  MessageEntity,
  Open311ClientEntity,
} from './intake.entity';

export {
  AuditEntity,
  DeputyEntity,
  IdempotencyEntity,
  NotificationEntity,
  OutboxEntity,
  SessionEntity,
  SuggestionEntity,
  UnitEntity,
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
  CosignerEvaluationEntity,
  ProgressReportEntity,
  ReplyReturnEntity,
  NotificationDeliveryEntity,
  NotificationPreferenceEntity,
  PointsLedgerEntity,
  UnitWebhookEntity,
  StationEntity,
  StationDeputyEntity,
  StationStaffEntity,
  StationDutyEntity,
  DeputyCodeEntity,
  MessageEntity,
  Open311ClientEntity,
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
  CosignerEvaluationEntity,
  ProgressReportEntity,
  ReplyReturnEntity,
  NotificationDeliveryEntity,
  NotificationPreferenceEntity,
  PointsLedgerEntity,
  UnitWebhookEntity,
  StationEntity,
  StationDeputyEntity,
  StationStaffEntity,
  StationDutyEntity,
  DeputyCodeEntity,
  MessageEntity,
  Open311ClientEntity,
];

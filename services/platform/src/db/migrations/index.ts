// Every migration, in order. Listed explicitly (not a glob) so they load the same way under tsx,
// vitest and a bundler; a test checks that this list matches the files in this folder.
import { Init1795897215255 } from './1795897215255-Init';
import { RegistrationCounters1795897262149 } from './1795897262149-RegistrationCounters';
import { Handling1795901020148 } from './1795901020148-Handling';
import { ProcessRecords1795901670515 } from './1795901670515-ProcessRecords';
import { Notifications1795905424991 } from './1795905424991-Notifications';
import { KeyItems1795905425980 } from './1795905425980-KeyItems';
import { SuggestionVersions1796193015841 } from './1796193015841-SuggestionVersions';
import { ObjectionIsNotConfidential1796193098774 } from './1796193098774-ObjectionIsNotConfidential';
import { ScaleProjections1796193865202 } from './1796193865202-ScaleProjections';
import { TextSearch1796193946922 } from './1796193946922-TextSearch';
import { IdempotencyRequestHash1796195001812 } from './1796195001812-IdempotencyRequestHash';
import { CalendarYears1796198638126 } from './1796198638126-CalendarYears';
import { CongressSessions1796320000000 } from './1796320000000-CongressSessions';
import { UnitAdmin1796330000000 } from './1796330000000-UnitAdmin';
import { LoginThrottle1796330000001 } from './1796330000001-LoginThrottle';
import { WebhookSecretEncrypted1796330000002 } from './1796330000002-WebhookSecretEncrypted';
import { PasswordChange1796330000003 } from './1796330000003-PasswordChange';
import { StatsBySession1796400000000 } from './1796400000000-StatsBySession';
import { ExcellentSuggestion1796400000001 } from './1796400000001-ExcellentSuggestion';
import { AuditLogInsertOnly1796410000000 } from './1796410000000-AuditLogInsertOnly';
import { Intake1796420000000 } from './1796420000000-Intake';
import { ReplyLetter1796450000000 } from './1796450000000-ReplyLetter';
import { MessageLinksMerge1796500000000 } from './1796500000000-MessageLinksMerge';
import { Attachments1796510000000 } from './1796510000000-Attachments';
import { RobotKindsAndNoticeCategories1796520000000 } from './1796520000000-RobotKindsAndNoticeCategories';
import { ListIndexes1796550000000 } from './1796550000000-ListIndexes';
import { Open3111796610000000 } from './1796610000000-Open311';
import { StationRecords1796620000000 } from './1796620000000-StationRecords';
import { RumSearch1796640000000 } from './1796640000000-RumSearch';
import { OverdueListIndexes1796640000001 } from './1796640000001-OverdueListIndexes';
import { AdminListSearch1796710000000 } from './1796710000000-AdminListSearch';
import { QueryIndexes1796730000000 } from './1796730000000-QueryIndexes';
import { TrendAggregate1796800000000 } from './1796800000000-TrendAggregate';

export const migrations = [
  Init1795897215255,
  RegistrationCounters1795897262149,
  Handling1795901020148,
  ProcessRecords1795901670515,
  Notifications1795905424991,
  KeyItems1795905425980,
  SuggestionVersions1796193015841,
  ObjectionIsNotConfidential1796193098774,
  ScaleProjections1796193865202,
  TextSearch1796193946922,
  IdempotencyRequestHash1796195001812,
  CalendarYears1796198638126,
  CongressSessions1796320000000,
  UnitAdmin1796330000000,
  LoginThrottle1796330000001,
  WebhookSecretEncrypted1796330000002,
  PasswordChange1796330000003,
  StatsBySession1796400000000,
  ExcellentSuggestion1796400000001,
  AuditLogInsertOnly1796410000000,
  Intake1796420000000,
  ReplyLetter1796450000000,
  MessageLinksMerge1796500000000,
  Attachments1796510000000,
  RobotKindsAndNoticeCategories1796520000000,
  ListIndexes1796550000000,
  Open3111796610000000,
  StationRecords1796620000000,
  RumSearch1796640000000,
  OverdueListIndexes1796640000001,
  AdminListSearch1796710000000,
  QueryIndexes1796730000000,
  TrendAggregate1796800000000,
];

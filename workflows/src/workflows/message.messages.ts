/** The constituent message workflow's input, updates and query (一码通). Workflow code: no I/O. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, MessageRating, MessageStatus } from '@jianyi/domain';

export const messageWorkflowId = (messageId: string) => `message-${messageId}`;

export interface MessageWorkflowInput {
  version: 1;
  messageId: string;
  stationId: string | null;
  policyVersion: string;
  /** The deputies who may claim it: the addressed or on-duty deputy first, then the station's others. */
  deputyIds: string[];
  /** The station's staff users: they take it when nobody claims it in time. */
  staffUserIds: string[];
  receivedAt: string;
  channel: 'online' | 'offline' | 'open311';
  category: string;
  /** The staff user who entered a 线下反馈; null for the constituent's own message. */
  receivedBy: Actor | null;
}

export interface MessageState {
  status: MessageStatus;
  claimDeadlineAt: string | null;
  claimOverdue: boolean;
  claimer: Actor | null;
  unitId: string | null;
  answerDeadlineAt: string | null;
  onTime: boolean | null;
  suggestionId: string | null;
  rating: MessageRating | 'no_feedback' | null;
}

export const claimMessageUpdate = defineUpdate<MessageState, [Actor]>('claimMessage');
export const answerMessageUpdate = defineUpdate<MessageState, [Actor, { answer: string }]>('answerMessage');
export const forwardMessageUpdate = defineUpdate<MessageState, [Actor, { unitId: string; note: string }]>(
  'forwardMessage',
);
/**
 * 转为代表建议: a suggestion draft of the claiming deputy is made from the message; or, with
 * `suggestionId`, the message is linked to an existing suggestion of the deputy (a suggestion may
 * gather several messages; the API checks the suggestion).
 */
export const convertMessageUpdate = defineUpdate<
  MessageState,
  [Actor, { title: string; suggestionId?: string }]
>('convertMessage');
/** 合并重复留言: the message is handled with another one of the station (the API checks the survivor). */
export const mergeMessageUpdate = defineUpdate<
  MessageState,
  [Actor, { intoMessageId: string; reason: string }]
>('mergeMessage');
export const rateMessageUpdate = defineUpdate<
  MessageState,
  [Actor, { rating: MessageRating; comment: string | null }]
>('rateMessage');
export const messageStateQuery = defineQuery<MessageState>('messageState');

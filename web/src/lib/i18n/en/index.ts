/** Every UI string in English, one file per area, with the keys of the 中文 messages. */
import type { Messages } from '../zh-CN';
import { common } from './common';
import { oversight } from './oversight';
import { workbench } from './workbench';
import { intake } from './intake';
import { settings } from './settings';
import { desk } from './desk';
import { stations } from './stations';

export const messages: Messages = {
  ...common,
  oversight,
  wb: workbench,
  intake,
  settings,
  desk,
  st: stations,
};

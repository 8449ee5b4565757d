/** Every UI string in 中文 (the default language), one file per area. */
import { common } from './common';
import { oversight } from './oversight';
import { workbench } from './workbench';
import { intake } from './intake';
import { settings } from './settings';
import { desk } from './desk';
import { stations } from './stations';

export const messages = { ...common, oversight, wb: workbench, intake, settings, desk, st: stations };

export type Messages = typeof messages;

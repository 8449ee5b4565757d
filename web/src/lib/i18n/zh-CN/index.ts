/** Every UI string in 中文 (the default language), one file per area. */
import { common } from './common';
import { oversight } from './oversight';
import { workbench } from './workbench';
import { intake } from './intake';

export const messages = { ...common, oversight, wb: workbench, intake };

export type Messages = typeof messages;

/** Shapes of the oversight API answers the pages share: inferred from the API's contracts. */
export type { SupervisionItem } from '@jianyi/api/contracts';

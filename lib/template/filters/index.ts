/** Every filter by name: Pebble core filters and Kestra's `Extension.getFilters`. */
import type { FilterDefinition } from '../context';
import { COLLECTION_FILTERS } from './collections';
import { DATA_FILTERS } from './data';
import { DATE_FILTERS } from './dates';
import { ENCODING_FILTERS } from './encoding';
import { STRING_FILTERS } from './strings';

export const FILTERS: Record<string, FilterDefinition> = {
  ...STRING_FILTERS,
  ...COLLECTION_FILTERS,
  ...DATE_FILTERS,
  ...ENCODING_FILTERS,
  ...DATA_FILTERS,
};

/**
 * js-joda, loaded the first time a date is parsed or formatted. Its time-zone database and
 * locale data cost more at start than the whole template engine, and most flows format no
 * date. Rendering and input checking are synchronous, hence require rather than import();
 * @js-joda/timezone and the en-US locale register themselves with the very instance of
 * @js-joda/core and @js-joda/locale that require returns here.
 */
import { createRequire } from 'node:module';
import type * as JodaCore from '@js-joda/core';
import type * as JodaLocale from '@js-joda/locale';

export interface Joda {
  core: typeof JodaCore;
  Locale: typeof JodaLocale.Locale;
}

let loaded: Joda | undefined;

export function joda(): Joda {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    const core = require('@js-joda/core') as typeof JodaCore;
    require('@js-joda/timezone');
    require('@js-joda/locale_en-us');
    loaded = { core, Locale: (require('@js-joda/locale') as typeof JodaLocale).Locale };
  }
  return loaded;
}

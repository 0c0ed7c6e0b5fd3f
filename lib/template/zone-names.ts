/**
 * Time-zone names for the `z` pattern letter as Java 21 prints them in en-US: `zzzz` is CLDR's
 * specific name ("Central European Standard Time"), which ICU in Node knows too; `z` is the
 * abbreviation ("CET", "CEST"), which CLDR lacks for most zones outside the US, so the JDK
 * falls back to its own legacy table (`sun.util.resources.TimeZoneNames`). js-joda prints the
 * zone id or a generic name instead, so these two are supplied here.
 */
import type { ZoneId } from '@js-joda/core';
import { joda } from '../model/joda';

/** The JDK's legacy abbreviations for the specific (standard or daylight) names CLDR gives. */
const ABBREVIATIONS: Record<string, string> = {
  'Coordinated Universal Time': 'UTC',
  'Greenwich Mean Time': 'GMT',
  'British Summer Time': 'BST',
  'Irish Standard Time': 'IST',
  'Western European Standard Time': 'WET',
  'Western European Summer Time': 'WEST',
  'Central European Standard Time': 'CET',
  'Central European Summer Time': 'CEST',
  'Eastern European Standard Time': 'EET',
  'Eastern European Summer Time': 'EEST',
  'Moscow Standard Time': 'MSK',
  'Moscow Summer Time': 'MSD',
  'Israel Standard Time': 'IST',
  'Israel Daylight Time': 'IDT',
  'Gulf Standard Time': 'GST',
  'Pakistan Standard Time': 'PKT',
  'India Standard Time': 'IST',
  'Nepal Time': 'NPT',
  'Bangladesh Standard Time': 'BDT',
  'Indochina Time': 'ICT',
  'Western Indonesia Time': 'WIB',
  'China Standard Time': 'CST',
  'Hong Kong Standard Time': 'HKT',
  'Hong Kong Summer Time': 'HKST',
  'Singapore Standard Time': 'SGT',
  'Philippine Standard Time': 'PST',
  'Turkey Time': 'TRT',
  'Türkiye Standard Time': 'TRT',
  'Malaysia Time': 'MYT',
  'Japan Standard Time': 'JST',
  'Korean Standard Time': 'KST',
  'Australian Western Standard Time': 'AWST',
  'Australian Central Standard Time': 'ACST',
  'Australian Central Daylight Time': 'ACDT',
  'Australian Eastern Standard Time': 'AEST',
  'Australian Eastern Daylight Time': 'AEDT',
  'New Zealand Standard Time': 'NZST',
  'New Zealand Daylight Time': 'NZDT',
  'South Africa Standard Time': 'SAST',
  'West Africa Standard Time': 'WAT',
  'West Africa Summer Time': 'WAST',
  'Central Africa Time': 'CAT',
  'East Africa Time': 'EAT',
  'Brasilia Standard Time': 'BRT',
  'Brasilia Summer Time': 'BRST',
  'Argentina Standard Time': 'ART',
  'Chile Standard Time': 'CLT',
  'Chile Summer Time': 'CLST',
  'Colombia Standard Time': 'COT',
  'Peru Standard Time': 'PET',
  'Venezuela Time': 'VET',
  'Atlantic Standard Time': 'AST',
  'Atlantic Daylight Time': 'ADT',
  'Newfoundland Standard Time': 'NST',
  'Newfoundland Daylight Time': 'NDT',
  'Iran Standard Time': 'IRST',
  'Iran Daylight Time': 'IRDT',
};

/** Zone ids ICU folds into UTC but the JDK names Greenwich Mean Time. */
const GREENWICH = new Set(['GMT', 'Etc/GMT', 'Etc/GMT0', 'Etc/GMT+0', 'Etc/GMT-0', 'Etc/Greenwich', 'GMT0', 'Greenwich']);

function intlName(zoneId: string, epochMillis: number, style: 'short' | 'long'): string | undefined {
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zoneId, timeZoneName: style }).formatToParts(new Date(epochMillis));
    return parts.find((p) => p.type === 'timeZoneName')?.value;
  } catch {
    return undefined;
  }
}

/** CLDR's fallback for a zone without a name: "GMT+01:00". */
function gmtOffset(totalSeconds: number): string {
  if (totalSeconds === 0) return 'GMT';
  const sign = totalSeconds < 0 ? '-' : '+';
  const abs = Math.abs(totalSeconds);
  const hh = String(Math.floor(abs / 3600)).padStart(2, '0');
  const mm = String(Math.floor((abs % 3600) / 60)).padStart(2, '0');
  return `GMT${sign}${hh}:${mm}`;
}

/**
 * What Java prints for `z` (short, 1-3 letters) or `zzzz` (long) at the given instant. A fixed
 * offset (`Z`, `+02:00`) prints its id, as the JDK's zone text printer does for a `ZoneOffset`.
 */
export function zoneName(zone: ZoneId, epochMillis: number, offsetSeconds: number, style: 'short' | 'long'): string {
  if (zone instanceof joda().core.ZoneOffset) return zone.id();
  const id = zone.id();
  if (GREENWICH.has(id)) return style === 'short' ? 'GMT' : 'Greenwich Mean Time';
  const long = intlName(id, epochMillis, 'long');
  if (style === 'long') return long ?? gmtOffset(offsetSeconds);
  if (long !== undefined && Object.prototype.hasOwnProperty.call(ABBREVIATIONS, long)) return ABBREVIATIONS[long];
  const short = intlName(id, epochMillis, 'short');
  if (short !== undefined && !/^GMT[+-]/.test(short)) return short;
  return gmtOffset(offsetSeconds);
}

/** Serialisation, hashing and URL filters: json/toJson, yaml, md5/sha*, base64, urlencode. */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { failAt, type FilterDefinition } from '../context';
import { toJson } from '../json-writer';
import { javaToString } from '../values';
import { toKestraYaml } from '../yaml-writer';

function hash(algorithm: 'md5' | 'sha1' | 'sha256' | 'sha512'): FilterDefinition {
  return {
    args: null,
    apply: (input) => (input === null || input === undefined ? null : createHash(algorithm).update(javaToString(input), 'utf8').digest('hex')),
  };
}

/** Java `URLEncoder.encode(s, UTF-8)`: space is `+`, only `*-._` and alphanumerics stay. */
export function javaUrlEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

const jsonFilter: FilterDefinition = { args: null, apply: (input) => toJson(input) };

export const ENCODING_FILTERS: Record<string, FilterDefinition> = {
  json: jsonFilter,
  toJson: jsonFilter,
  jsonEncode: jsonFilter,
  /** Kestra's YamlFilter: Jackson's YAML writer, lists indented one space (see yaml-writer.ts). */
  yaml: {
    args: null,
    apply: (input) => (input === null || input === undefined ? 'null' : toKestraYaml(input)),
  },
  md5: hash('md5'),
  sha1: hash('sha1'),
  sha256: hash('sha256'),
  sha512: hash('sha512'),
  base64encode: {
    args: null,
    apply: (input) => (input === null || input === undefined ? null : Buffer.from(javaToString(input), 'utf8').toString('base64')),
  },
  base64decode: {
    args: null,
    apply: (input) => (input === null || input === undefined ? null : Buffer.from(javaToString(input), 'base64').toString('utf8')),
  },
  urlencode: {
    args: null,
    apply: (input) => (input === null || input === undefined ? null : javaUrlEncode(javaToString(input))),
  },
  urldecode: {
    args: null,
    apply(input, _args, site) {
      if (input === null || input === undefined) return null;
      try {
        return decodeURIComponent(javaToString(input).replace(/\+/g, ' '));
      } catch (e) {
        throw failAt(site, `'${javaToString(input)}' is not a valid URL-encoded string`, e);
      }
    },
  },
};

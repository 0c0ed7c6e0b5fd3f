/** Functions that reach the host: secret, kv, read, now. */
import { argString, failAt, type FunctionDefinition } from '../context';
import { DateError, formatDate, nowIn, zoneOf } from '../dates';
import { typeName } from '../values';

export const HOST_FUNCTIONS: Record<string, FunctionDefinition> = {
  secret: {
    args: ['key'],
    call(args, site) {
      const key = argString(args, 'key', site);
      if (key === undefined) throw failAt(site, "The 'secret' function expects an argument 'key'");
      return site.ctx.host.secret(key);
    },
  },
  kv: {
    args: ['key', 'namespace', 'errorOnMissing'],
    call(args, site) {
      const key = argString(args, 'key', site);
      if (key === undefined) throw failAt(site, "The 'kv' function expects an argument 'key'");
      const errorOnMissing = args.get('errorOnMissing') ?? true;
      if (typeof errorOnMissing !== 'boolean') {
        throw failAt(site, `The 'kv' function expects 'errorOnMissing' to be a boolean, got ${typeName(errorOnMissing)}`);
      }
      return site.ctx.host.kv(key, argString(args, 'namespace', site), errorOnMissing);
    },
  },
  read: {
    args: ['path'],
    call(args, site) {
      const path = argString(args, 'path', site);
      if (path === undefined) throw failAt(site, "The 'read' function expects an argument 'path'");
      return site.ctx.host.read(path);
    },
  },
  /** Kestra's now() returns the current time already formatted (default `iso`). */
  now: {
    args: ['format', 'timeZone', 'existingFormat', 'locale'],
    call(args, site) {
      try {
        const zone = zoneOf(argString(args, 'timeZone', site) ?? site.ctx.host.timeZone);
        return formatDate(nowIn(site.ctx.host.now(), zone), argString(args, 'format', site) ?? 'iso', zone);
      } catch (e) {
        if (e instanceof DateError) throw failAt(site, e.message, e);
        throw e;
      }
    },
  },
};

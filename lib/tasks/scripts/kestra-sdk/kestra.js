/**
 * Kestra's Node.js helpers, built into Flowbook so `require('@kestra-io/libs')` (or
 * `require('kestra')`) works without npm install. Same `::{json}::` wire format as the
 * published package: each call prints one line the task reads back.
 */
'use strict';

// JSON.stringify leaves U+0085, U+2028 and U+2029 as they are, and a line reader treats them
// as line breaks: escaped, the frame always stays on one line.
function format(map) {
  return '::' + JSON.stringify(map).replace(/[\u0085\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) + '::';
}

function send(map) {
  process.stdout.write(format(map) + '\n');
}

function metric(name, type, value, tags) {
  send({ metrics: [{ name, type, value, tags: tags || {} }] });
}

function logLine(level, stream, args) {
  const message = args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  stream.write(format({ logs: [{ level, message: new Date().toISOString() + ' - ' + message }] }) + '\n');
}

const Kestra = {
  format,
  /** Adds values to the task's outputs, read as {{ outputs.<task>.vars.<name> }}. */
  outputs(map) {
    send({ outputs: map });
  },
  counter(name, value, tags) {
    metric(name, 'counter', value, tags);
  },
  gauge(name, value, tags) {
    metric(name, 'gauge', value, tags);
  },
  /** Records a duration in seconds; pass a number, or a function (sync or async) to time it. */
  timer(name, duration, tags) {
    if (typeof duration !== 'function') return metric(name, 'timer', duration, tags);
    const start = process.hrtime.bigint();
    const done = () => metric(name, 'timer', Number(process.hrtime.bigint() - start) / 1e9, tags);
    const result = duration();
    if (result && typeof result.then === 'function') return result.then((v) => (done(), v));
    done();
    return result;
  },
  logger() {
    return {
      trace: (...a) => logLine('TRACE', process.stdout, a),
      debug: (...a) => logLine('DEBUG', process.stdout, a),
      info: (...a) => logLine('INFO', process.stdout, a),
      warn: (...a) => logLine('WARN', process.stderr, a),
      error: (...a) => logLine('ERROR', process.stderr, a),
    };
  },
};

module.exports = Kestra;
module.exports.Kestra = Kestra;
module.exports.default = Kestra;

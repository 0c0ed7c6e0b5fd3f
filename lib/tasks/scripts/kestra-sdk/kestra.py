"""Kestra's Python helpers, built into Flowbook so `from kestra import Kestra` works without pip.

Speaks the same `::{json}::` wire format as the `kestra` package on PyPI: every call prints
one line that the task reads back as outputs, metrics or log lines.
"""
import base64
import json
import logging
import sys
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

__all__ = ["Kestra", "read_ion"]


class Kestra:
    _logger = None

    @staticmethod
    def format(map_):
        # json.dumps escapes non-ASCII by default, so the frame always stays on one line.
        return "::" + json.dumps(map_, default=_json_default) + "::"

    @staticmethod
    def _send(map_):
        print(Kestra.format(map_), flush=True)

    @staticmethod
    def _metrics(name, type_, value, tags=None):
        Kestra._send({"metrics": [{"name": name, "type": type_, "value": value, "tags": tags or {}}]})

    @staticmethod
    def outputs(map_):
        """Adds values to the task's outputs, read as {{ outputs.<task>.vars.<name> }}."""
        Kestra._send({"outputs": map_})

    @staticmethod
    def counter(name, value, tags=None):
        Kestra._metrics(name, "counter", value, tags)

    @staticmethod
    def gauge(name, value, tags=None):
        Kestra._metrics(name, "gauge", value, tags)

    @staticmethod
    def timer(name, duration, tags=None):
        """Records a duration in seconds; pass a number, or a function to time it."""
        if callable(duration):
            start = datetime.now()
            duration()
            Kestra._metrics(name, "timer", (datetime.now() - start).total_seconds(), tags)
        else:
            Kestra._metrics(name, "timer", duration, tags)

    @staticmethod
    def assets(map_):
        Kestra._send({"assets": map_})

    @staticmethod
    def logger():
        """A logger whose lines show in the task log at their level (WARNING and above go to stderr)."""
        if Kestra._logger is not None:
            return Kestra._logger
        logger = logging.getLogger("Kestra")
        logger.setLevel(logging.DEBUG)
        logger.propagate = False
        low = logging.StreamHandler(sys.stdout)
        low.setLevel(logging.DEBUG)
        low.addFilter(lambda record: record.levelno < logging.WARNING)
        low.setFormatter(JsonFormatter())
        high = logging.StreamHandler(sys.stderr)
        high.setLevel(logging.WARNING)
        high.setFormatter(JsonFormatter())
        logger.addHandler(low)
        logger.addHandler(high)
        Kestra._logger = logger
        return logger

    @staticmethod
    def read(path):
        """Reads an Ion file (one record per line, as query results are stored) into a list of dicts."""
        with open(path, "r", encoding="utf-8") as handle:
            return list(read_ion(handle.read()))


class JsonFormatter(logging.Formatter):
    _LEVELS = {
        logging.DEBUG: "DEBUG",
        logging.INFO: "INFO",
        logging.WARNING: "WARN",
        logging.ERROR: "ERROR",
        logging.CRITICAL: "ERROR",
        logging.NOTSET: "TRACE",
    }

    def format(self, record):
        stamp = datetime.fromtimestamp(record.created, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
        message = stamp + "Z - " + record.getMessage()
        if record.exc_info:
            message += "\n" + self.formatException(record.exc_info)
        level = JsonFormatter._LEVELS.get(record.levelno, "INFO")
        return Kestra.format({"logs": [{"level": level, "message": message}]})


def _json_default(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)


# ---------------------------------------------------------------------------------------
# A small reader for Ion text: enough for the files Kestra writes (one value per line):
# structs, lists, s-expressions, strings, symbols, ints, decimals, floats, timestamps,
# null (typed or not), booleans, blobs and clobs. Annotations are read and dropped.

class IonError(ValueError):
    pass


_SYMBOL_START = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$")
_SYMBOL_CHARS = _SYMBOL_START | set("0123456789")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
            "\\": "\\", "\"": "\"", "'": "'", "/": "/", "?": "?"}
_NUMBER_END = set(" \t\r\n,]})")


def read_ion(text):
    """Yields every top-level value of an Ion text document."""
    parser = _IonParser(text)
    while True:
        parser.skip_space()
        if parser.at_end():
            return
        yield parser.value()


class _IonParser:
    def __init__(self, text):
        self.text = text
        self.pos = 0

    def at_end(self):
        return self.pos >= len(self.text)

    def peek(self, offset=0):
        i = self.pos + offset
        return self.text[i] if i < len(self.text) else ""

    def fail(self, message):
        line = self.text.count("\n", 0, self.pos) + 1
        raise IonError("Ion parse error at line %d: %s" % (line, message))

    def skip_space(self):
        while not self.at_end():
            c = self.text[self.pos]
            if c in " \t\r\n":
                self.pos += 1
            elif self.text.startswith("//", self.pos):
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            elif self.text.startswith("/*", self.pos):
                end = self.text.find("*/", self.pos)
                if end < 0:
                    self.fail("unterminated comment")
                self.pos = end + 2
            else:
                return

    def expect(self, char):
        self.skip_space()
        if self.peek() != char:
            self.fail("expected %r, found %r" % (char, self.peek()))
        self.pos += 1

    def value(self):
        self.skip_space()
        while True:
            # Annotations (`name::value`) carry no data the reader needs.
            start = self.pos
            if self.peek() in _SYMBOL_START or self.peek() == "'" and not self.text.startswith("'''", self.pos):
                self.symbol_text()
                self.skip_space()
                if self.text.startswith("::", self.pos):
                    self.pos += 2
                    self.skip_space()
                    continue
            self.pos = start
            break
        c = self.peek()
        if c == "{":
            if self.peek(1) == "{":
                return self.lob()
            return self.struct()
        if c == "[":
            return self.sequence("[", "]")
        if c == "(":
            return self.sequence("(", ")")
        if c == "\"":
            return self.string()
        if self.text.startswith("'''", self.pos):
            return self.long_strings()
        if c == "'":
            return self.symbol_text()
        if c in _SYMBOL_START:
            word = self.symbol_text()
            if word == "null" and self.peek() == ".":
                self.pos += 1
                self.symbol_text()
                return None
            if word == "null":
                return None
            if word == "true":
                return True
            if word == "false":
                return False
            if word == "nan":
                return float("nan")
            return word
        if c in "+-" and self.text.startswith("inf", self.pos + 1):
            self.pos += 4
            return float("inf") if c == "+" else float("-inf")
        if c.isdigit() or c == "-":
            return self.number_or_timestamp()
        self.fail("unexpected character %r" % c)

    def symbol_text(self):
        if self.peek() == "'":
            return self.quoted("'")
        start = self.pos
        while self.peek() in _SYMBOL_CHARS and self.peek() != "":
            self.pos += 1
        if start == self.pos:
            self.fail("expected a symbol")
        return self.text[start:self.pos]

    def quoted(self, quote):
        self.pos += 1
        out = []
        while True:
            c = self.peek()
            if c == "":
                self.fail("unterminated string")
            self.pos += 1
            if c == quote:
                return "".join(out)
            if c == "\\":
                out.append(self.escape())
            else:
                out.append(c)

    def escape(self):
        c = self.peek()
        self.pos += 1
        if c in _ESCAPES:
            return _ESCAPES[c]
        if c == "\n":
            return ""
        widths = {"x": 2, "u": 4, "U": 8}
        if c in widths:
            digits = self.text[self.pos:self.pos + widths[c]]
            self.pos += widths[c]
            try:
                return chr(int(digits, 16))
            except ValueError:
                self.fail("bad escape \\%s%s" % (c, digits))
        self.fail("unknown escape \\%s" % c)

    def string(self):
        return self.quoted("\"")

    def long_strings(self):
        parts = []
        while self.text.startswith("'''", self.pos):
            self.pos += 3
            out = []
            while not self.text.startswith("'''", self.pos):
                if self.at_end():
                    self.fail("unterminated long string")
                c = self.text[self.pos]
                self.pos += 1
                out.append(self.escape() if c == "\\" else c)
            self.pos += 3
            parts.append("".join(out))
            self.skip_space()
        return "".join(parts)

    def lob(self):
        self.pos += 2
        self.skip_space()
        if self.peek() == "\"" or self.text.startswith("'''", self.pos):
            text = self.string() if self.peek() == "\"" else self.long_strings()
            self.expect("}")
            self.expect("}")
            return text.encode("latin-1")
        end = self.text.find("}}", self.pos)
        if end < 0:
            self.fail("unterminated blob")
        data = "".join(self.text[self.pos:end].split())
        self.pos = end + 2
        return base64.b64decode(data)

    def struct(self):
        self.pos += 1
        result = {}
        while True:
            self.skip_space()
            if self.peek() == "}":
                self.pos += 1
                return result
            key = self.string() if self.peek() == "\"" else self.symbol_text()
            self.expect(":")
            result[key] = self.value()
            self.skip_space()
            if self.peek() == ",":
                self.pos += 1

    def sequence(self, open_, close):
        self.pos += 1
        result = []
        while True:
            self.skip_space()
            if self.peek() == close:
                self.pos += 1
                return result
            result.append(self.value())
            self.skip_space()
            if self.peek() == ",":
                self.pos += 1

    def number_or_timestamp(self):
        start = self.pos
        while not self.at_end() and self.text[self.pos] not in _NUMBER_END:
            self.pos += 1
        token = self.text[start:self.pos]
        try:
            return _number(token)
        except (ValueError, ArithmeticError):
            self.fail("bad number or timestamp %r" % token)


def _number(token):
    if "T" in token or (len(token) >= 10 and token[4] == "-" and token[0] != "-"):
        return _timestamp(token)
    clean = token.replace("_", "")
    lower = clean.lower()
    if lower.startswith(("0x", "-0x")):
        return int(clean, 16)
    if lower.startswith(("0b", "-0b")):
        return int(clean, 2)
    if "e" in lower:
        return float(clean)
    if "d" in lower:
        mantissa, exponent = lower.split("d")
        return Decimal(mantissa).scaleb(int(exponent))
    if "." in clean:
        return Decimal(clean)
    return int(clean)


def _timestamp(token):
    if token.endswith("T"):
        token = token[:-1]
    if len(token) == 4:
        return datetime(int(token), 1, 1)
    if len(token) == 7:
        return datetime(int(token[:4]), int(token[5:7]), 1)
    if len(token) == 10:
        return date(int(token[:4]), int(token[5:7]), int(token[8:10]))
    text = token.replace("Z", "+00:00")
    if text.endswith("-00:00"):
        # Ion's "unknown offset": a local time; read it as UTC, as Kestra writes UTC.
        text = text[:-6] + "+00:00"
    head, _, rest = text.partition(".")
    if rest:
        digits = ""
        while rest and rest[0].isdigit():
            digits += rest[0]
            rest = rest[1:]
        text = head + "." + (digits + "000000")[:6] + rest
    if len(head) == 16:
        text = text[:16] + ":00" + text[16:]
    return datetime.fromisoformat(text)

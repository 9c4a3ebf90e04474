"""Input readers: every record of every input file becomes exactly one Article or one Reject.

Formats (chosen by suffix, case-insensitive):

* ``.txt`` topic pages: a header block, then entries separated by lines holding only ``-``. The
  header is item ``<stem>:00`` (headline = the title line, body = the intro lines; a ``目次`` line
  is a marker and dropped); entry n is ``<stem>:<nn>`` (headline = its first non-empty line, body
  = the rest). A ``.txt`` file without any ``-`` line is a single article ``<stem>:00`` (headline
  = first non-empty line, body = the rest), so ids keep one shape whatever the layout. Empty
  entries keep their number (ids stay positional) and are rejected. Record = entry number for
  topic pages, the headline's line number for a single-article file.
* ``.jsonl`` / ``.ndjson``: one object per line (record = line number; blank lines are not
  records). ``.json``: a list of objects, or one object (record = 1-based position).
* ``.csv`` / ``.tsv``: a header row, then one article per row (record = data row number, 1-based,
  header excluded).

Columns / keys (case-insensitive): ``id``, ``headline`` or ``title``, ``body`` or ``lead`` or
``text`` (the first non-empty one wins), optional ``published`` and ``url``. A missing id becomes
``<stem>:<record>``. An unparsable ``published`` keeps the article (with published None) and is
logged as a warning naming file, record and value: the record is usable, so it is not rejected.

A problem with a whole file (cannot be read or decoded, binary, mojibake, not a list, a table
without text columns, an empty file, an unsupported suffix) is one Reject with record ``""``.
Blank CSV lines are not records but keep their place in the row numbers. Ids come from file stems,
so two ``news.txt`` in different folders collide: the later one's items are rejected as duplicates.

Encodings are detected per file (BOM, then UTF-16 by NUL-byte parity, ISO-2022-JP by its escapes,
strict UTF-8, then charset-normalizer among Japanese codecs) and the text is refused rather than
guessed when it looks binary or garbled. Headline and body are stored through ``clean_text``.
"""

from __future__ import annotations

import csv
import html
import io
import json
import logging
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from charset_normalizer import from_bytes

from pipeline.types import Article, Reject

MAX_ARTICLE_CHARS = 2_000_000

_log = logging.getLogger(__name__)

FILE_RECORD = ""  # the record of a Reject that concerns a whole file

_TOC_MARKER = "目次"
_SEPARATOR = "-"
_ID_KEYS = ("id",)
_HEADLINE_KEYS = ("headline", "title")
_BODY_KEYS = ("body", "lead", "text")
_TEXT_KEYS = (*_HEADLINE_KEYS, *_BODY_KEYS)

# A quoted CSV body may hold a whole article; the default limit (128 KiB) would reject long ones.
csv.field_size_limit(max(csv.field_size_limit(), 4 * MAX_ARTICLE_CHARS))

# --- text clean-up -------------------------------------------------------------------------------

_NEWLINES = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_LINE_END = re.compile("\r\n?|\n")
_BREAK_TAG = re.compile(r"<\s*(?:br|p)(?:\s[^<>]*)?/?>", re.IGNORECASE)
# Only HTML's own elements and comments, so `1<2`, `<3` and the angle brackets news puts around
# a name or a label (『<独自>アオバ銀、店舗半減へ』, <NHK>) survive.
_HTML_ELEMENTS = (
    "a|abbr|address|article|aside|audio|b|big|blockquote|body|br|button|caption|center|cite|code|col|"
    "colgroup|dd|del|details|div|dl|dt|em|figcaption|figure|font|footer|form|h[1-6]|head|header|hr|"
    "html|i|iframe|img|input|ins|label|li|link|main|mark|meta|nav|noscript|ol|option|p|picture|pre|q|"
    "rp|rt|ruby|s|script|section|select|small|source|span|strike|strong|style|sub|summary|sup|table|"
    "tbody|td|textarea|tfoot|th|thead|time|title|tr|tt|u|ul|video|wbr"
)
_TAG = re.compile(rf"<!--.*?-->|<\s*/?\s*(?:{_HTML_ELEMENTS})(?:\s[^<>]*)?/?\s*>", re.DOTALL | re.IGNORECASE)
# With the semicolon only: html.unescape alone would also turn `&not` or `&copy` inside words.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SPACES = re.compile("[\t\u00a0]")
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]")


def clean_text(s: str) -> str:
    """The stored form of a headline or body; mention offsets refer to this string."""
    s = _NEWLINES.sub("\n", s)
    if "<" in s:
        s = _TAG.sub("", _BREAK_TAG.sub("\n", s))
    if "&" in s:
        s = _ENTITY.sub(lambda m: html.unescape(m.group()), s)
        # An entity may decode to a character the steps below remove or fold (&#13;, &#8203;).
        s = _NEWLINES.sub("\n", s)
    s = _SPACES.sub(" ", s)
    return _INVISIBLE.sub("", s).strip()


# --- encodings -----------------------------------------------------------------------------------

_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_LEGACY_CANDIDATES = ["cp932", "shift_jis", "euc_jp", "iso2022_jp", "utf_16"]
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
# Signs of text decoded with the wrong codec: replacement and private-use characters, C1 controls,
# 縺繧繝 (what UTF-8 kana turn into when read as Shift_JIS), a half-width kana or box-drawing
# character standing alone (runs of them are real half-width words and rules), and a UTF-8 lead
# byte shown as Latin-1/cp1252 followed by a continuation byte (UTF-8 read as Latin-1).
_GARBLED = re.compile(
    "[\ufffd\ue000-\uf8ff\x80-\x9f縺繧繝]"
    "|(?<![\uff61-\uff9f\u2500-\u257f])[\uff61-\uff9f\u2500-\u257f](?![\uff61-\uff9f\u2500-\u257f])"
    "|[\u00c2-\u00ef][\u0080-\u00bf\u0152-\u02dc\u2013-\u2122]"
)
_NOT_JAPANESE = re.compile("[^\t\n\r\x20-\x7e\u3000-\u30ff\u4e00-\u9fff\uff01-\uffef]")
_GARBLED_SHARE = 0.25
_CONTROL_SHARE = 0.05
_FOREIGN_SHARE = 0.1


class DecodeError(ValueError):
    """The bytes are not text we can read without guessing."""


def decode_bytes(data: bytes) -> str:
    """The text of a file, or DecodeError naming the encoding problem. Never returns garbage."""
    text, encoding = _decode(data)
    _check_text(text, encoding)
    return text


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding), encoding
    if b"\x00" in data:
        return _utf16_without_bom(data)
    if b"\x1b$" in data:  # ISO-2022-JP is 7-bit, so UTF-8 would accept it and keep the escapes
        return _strict(data, "iso2022_jp"), "iso2022_jp"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Ranked best first; a close relative (shift_jis for a cp932 file with ①) may rank above the
    # codec that actually decodes every byte.
    # A guessed codec must also give Japanese text: SJIS bytes read as UTF-16 decode without error.
    for match in from_bytes(data, cp_isolation=_LEGACY_CANDIDATES):
        try:
            text = data.decode(match.encoding)
        except UnicodeDecodeError:
            continue
        if _reads_as_japanese(text):
            return text, match.encoding
    raise DecodeError("undecodable: not UTF-8, UTF-16 or a Japanese encoding (cp932, EUC-JP, JIS)")


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise DecodeError(f"undecodable as {encoding}: {e.reason} at byte {e.start}") from None


def _utf16_without_bom(data: bytes) -> tuple[str, str]:
    """UTF-16 is taken only when NUL bytes sit on one parity (the high bytes of ASCII characters)
    and the result reads as Japanese/ASCII; Shift_JIS and EUC-JP never contain NUL bytes."""
    if len(data) % 2 == 0:
        nul_even, nul_odd = data[0::2].count(0), data[1::2].count(0)
        encoding = "utf-16-be" if nul_even > nul_odd else "utf-16-le"
        if min(nul_even, nul_odd) <= 0.1 * max(nul_even, nul_odd):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                text = ""
            if text and _reads_as_japanese(text):
                return text, encoding
    raise DecodeError("binary file: NUL bytes and not UTF-16 text")


def _reads_as_japanese(text: str) -> bool:
    return len(_NOT_JAPANESE.findall(text)) <= _FOREIGN_SHARE * len(text)


def _check_text(text: str, encoding: str) -> None:
    controls = len(_CONTROL.findall(text))
    if controls > _CONTROL_SHARE * len(text):
        raise DecodeError(f"binary file: {controls} control characters in {len(text)} ({encoding})")
    garbled = len(_GARBLED.findall(text))
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if garbled >= 2 and garbled > _GARBLED_SHARE * non_ascii:
        raise DecodeError(
            f"mojibake: decoded as {encoding}, {garbled} of {non_ascii} non-ASCII characters look garbled"
        )


# --- dates ---------------------------------------------------------------------------------------

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T\s].*)?")


def parse_published(value: object) -> date | None:
    """An ISO date, 2020/09/24, 2020.9.24, 2020年9月24日, or a datetime (its date as written)."""
    if not isinstance(value, str):
        return None
    m = _DATE.fullmatch(value.strip())
    if m is None:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


# --- records -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Record:
    record: str
    article_id: str
    headline: str
    body: str
    published: object = None
    url: object = None


class _BadRecord(ValueError):
    pass


def _text_value(obj: Mapping[str, object], keys: tuple[str, ...]) -> str:
    """The first non-empty value among keys; numbers are text too, containers and booleans are not."""
    for key in keys:
        value = obj.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise _BadRecord(f"field {key!r} is not text: {type(value).__name__}")
        if str(value).strip():
            return str(value)
    return ""


def _from_mapping(obj: Mapping[str, object], record: str, stem: str) -> _Record:
    obj = {str(k).strip().lower(): v for k, v in obj.items()}
    article_id = _text_value(obj, _ID_KEYS).strip() or f"{stem}:{record}"
    return _Record(
        record,
        article_id,
        _text_value(obj, _HEADLINE_KEYS),
        _text_value(obj, _BODY_KEYS),
        obj.get("published"),
        obj.get("url"),
    )


def _object_record(obj: object, record: str, stem: str, path: str) -> _Record | Reject:
    if not isinstance(obj, dict):
        return Reject(path, record, f"not a JSON object: {type(obj).__name__}")
    try:
        return _from_mapping(obj, record, stem)
    except _BadRecord as e:
        return Reject(path, record, str(e))


def _read_jsonl(path: str, text: str) -> Iterator[_Record | Reject]:
    stem = Path(path).stem
    # Only real line ends: a raw U+2028 is legal inside a JSON string.
    for number, line in enumerate(_LINE_END.split(text), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError) as e:
            yield Reject(path, str(number), f"malformed JSON: {e}")
            continue
        yield _object_record(obj, str(number), stem, path)


def _read_json(path: str, text: str) -> Iterator[_Record | Reject]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as e:
        yield Reject(path, FILE_RECORD, f"malformed JSON: {e}")
        return
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        yield Reject(path, FILE_RECORD, f"expected a list of objects, got {type(data).__name__}")
        return
    stem = Path(path).stem
    for number, obj in enumerate(data, start=1):
        yield _object_record(obj, str(number), stem, path)


def _read_table(path: str, text: str, delimiter: str) -> Iterator[_Record | Reject]:
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(rows, [])]
    except csv.Error as e:
        yield Reject(path, FILE_RECORD, f"malformed header row: {e}")
        return
    if not set(header) & set(_TEXT_KEYS):
        yield Reject(path, FILE_RECORD, f"no headline or body column in header {header}")
        return
    stem = Path(path).stem
    number = 0
    while True:
        number += 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as e:
            yield Reject(path, str(number), f"malformed row: {e}")
            continue
        if len(row) <= 1 and not "".join(row).strip():
            continue  # a blank line is not a record (it still counts in the row numbers)
        if len(row) != len(header):
            yield Reject(path, str(number), f"expected {len(header)} fields, got {len(row)}")
            continue
        yield _from_mapping(dict(zip(header, row, strict=True)), str(number), stem)


# --- topic-page text -----------------------------------------------------------------------------

_SENTENCE_END = ("。", "．", ".", "!", "?", "！", "？")


def _header_item(lines: list[str]) -> tuple[str, str]:
    """(title, intro) of a header block laid out as intro line(s), blank, title, 目次."""
    content = [ln.strip() for ln in lines if ln.strip() and ln.strip() != _TOC_MARKER]
    if not content:
        return "", ""
    # Titles do not end like sentences; when only the first line looks like one, the layout is
    # title-first.
    if len(content) > 1 and content[-1].endswith(_SENTENCE_END) and not content[0].endswith(_SENTENCE_END):
        return content[0], "\n".join(content[1:])
    return content[-1], "\n".join(content[:-1])


def _entry_item(lines: list[str]) -> tuple[str, str]:
    """(headline, body): the first non-empty line, and the rest."""
    for i, line in enumerate(lines):
        if line.strip():
            return line, "\n".join(lines[i + 1 :])
    return "", ""


def _read_text(path: str, text: str) -> Iterator[_Record | Reject]:
    stem = Path(path).stem
    lines = _NEWLINES.sub("\n", text).split("\n")
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip() == _SEPARATOR:
            blocks.append([])
        else:
            blocks[-1].append(line)
    if len(blocks) == 1:
        first = next(i for i, line in enumerate(lines) if line.strip())
        headline, body = _entry_item(lines)
        yield _Record(str(first + 1), f"{stem}:00", headline, body)
        return
    if not any(line.strip() for line in blocks[-1]):
        blocks.pop()  # a trailing separator closes the last entry; it does not open one
    for number, block in enumerate(blocks):
        if number == 0 and not any(line.strip() for line in block):
            continue  # no header block: the file starts with an entry
        headline, body = _header_item(block) if number == 0 else _entry_item(block)
        yield _Record(str(number), f"{stem}:{number:02d}", headline, body)


# --- files ---------------------------------------------------------------------------------------

_READERS = {
    ".txt": _read_text,
    ".jsonl": _read_jsonl,
    ".ndjson": _read_jsonl,
    ".json": _read_json,
    ".csv": lambda path, text: _read_table(path, text, ","),
    ".tsv": lambda path, text: _read_table(path, text, "\t"),
}


class InputError(Exception):
    """An input path that does not exist."""


def read_inputs(paths: Iterable[str | Path]) -> Iterator[Article | Reject]:
    """Articles and Rejects of all records under paths, in a deterministic order.

    Raises InputError at once (before anything is read) when a path does not exist.
    """
    return _read_all(input_files(paths))


def input_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files `read_inputs` reads, in its order (InputError when a path does not exist)."""
    given = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    for path in given:
        if not path.exists():
            raise InputError(f"input path does not exist: {path}")
    return [file for path in given for file in _expand(path)]


def _read_all(files: list[Path]) -> Iterator[Article | Reject]:
    seen: dict[str, str] = {}
    for file in files:
        for record, item in read_records(file):
            if isinstance(item, Article) and item.article_id in seen:
                item = duplicate(item.source_path, record, item.article_id, seen[item.article_id])
            elif isinstance(item, Article):
                seen[item.article_id] = f"{item.source_path} record {record}"
            yield item


def read_records(file: Path) -> Iterator[tuple[str, Article | Reject]]:
    """One input file's records as (record, Article or Reject), ids not yet checked for duplicates:
    `read_inputs` checks them across all files, as a reader of one file at a time can with `duplicate`."""
    for item in _read_file(file):
        yield item.record, item if isinstance(item, Reject) else _finish(item, str(file))


def duplicate(path: str, record: str, article_id: str, first: str) -> Reject:
    """The Reject of a record whose id was first read at `first` ("PATH record N")."""
    return Reject(path, record, f"duplicate article id {article_id!r}, first read from {first}")


def _expand(path: Path) -> list[Path]:
    """A file as given; a directory's non-hidden files, recursively, sorted."""
    if not path.is_dir():
        return [path]
    found: list[Path] = []
    for root, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(root, f) for f in files if not f.startswith("."))
    # Sockets and FIFOs are not input files, and reading a FIFO would block.
    return sorted(f for f in found if f.is_file())


def _read_file(path: Path) -> Iterator[_Record | Reject]:
    source = str(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        yield Reject(source, FILE_RECORD, f"unsupported file type: {path.suffix or '(none)'}")
        return
    try:
        data = path.read_bytes()
    except OSError as e:
        yield Reject(source, FILE_RECORD, f"cannot read file: {e.strerror or e}")
        return
    try:
        text = decode_bytes(data)
    except DecodeError as e:
        yield Reject(source, FILE_RECORD, str(e))
        return
    if not text.strip():
        yield Reject(source, FILE_RECORD, "empty file")
        return
    yield from reader(source, text)


def _finish(rec: _Record, path: str) -> Article | Reject:
    headline, body = clean_text(rec.headline), clean_text(rec.body)
    if not headline and not body:
        return Reject(path, rec.record, "empty article: no headline and no body")
    size = len(headline) + len(body)
    if size > MAX_ARTICLE_CHARS:
        return Reject(path, rec.record, f"article too large: {size} characters (limit {MAX_ARTICLE_CHARS})")
    return Article(rec.article_id, path, headline, body, _published(rec, path), _url(rec, path))


def _published(rec: _Record, path: str) -> date | None:
    value = rec.published
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    parsed = parse_published(value)
    if parsed is None:
        # Kept, not rejected: the article is usable; the log keeps the value we could not read.
        _log.warning("%s record %s: unparsable published date %r, stored as None", path, rec.record, value)
    return parsed


def _url(rec: _Record, path: str) -> str | None:
    if rec.url is None:
        return None
    if isinstance(rec.url, str):
        return rec.url.strip() or None
    _log.warning("%s record %s: url is not text (%r), stored as None", path, rec.record, rec.url)
    return None

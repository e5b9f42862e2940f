"""Bytes to a position-aware document.

Loading is safe (PyYAML's C loader with the safe constructor, nothing else), keeps dates as the
strings the author wrote, and reports what YAML loaders silently paper over: repeated keys and
keys that are not strings. Hostile input is bounded: a size limit, libyaml's nesting limit
(1000 levels), and a cap on how far aliases expand ("billion laughs").

Positions are located lazily: the composed node tree is kept, and the pointer index is built on
the first :meth:`Document.locate` call, which valid documents usually never make.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from icrunbook.diagnostics import FILE_START, Diagnostic, Severity, Span
from icrunbook.errors import IcrunError

PathKey = str | int
Path = tuple[PathKey, ...]

DEFAULT_MAX_BYTES = 1024 * 1024
LINE_BREAK = re.compile(r"\r\n|\r|\n")
DEFAULT_MAX_ALIAS_NODES = 100_000
MAX_MERGE_DEPTH = 100  # PyYAML merges recursively: far below Python's recursion limit

_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_FOREIGN_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}


@dataclass(frozen=True, slots=True)
class LoadLimits:
    """Bounds that keep a hostile file from costing more than an honest one."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_alias_nodes: int = DEFAULT_MAX_ALIAS_NODES


DEFAULT_LIMITS = LoadLimits()


def pointer(path: Path) -> str:
    """The RFC 6901 JSON Pointer for a path of keys and indexes."""
    return "".join("/" + str(key).replace("~", "~0").replace("/", "~1") for key in path)


@dataclass(slots=True)
class _Located:
    """A node and the key it stands under; spans are made only for the nodes asked about."""

    node: yaml.Node
    key: yaml.Node | None

    @property
    def span(self) -> Span:
        return _span(self.node)

    @property
    def key_span(self) -> Span | None:
        return _span(self.key) if self.key is not None else None


@dataclass(slots=True)
class Document:
    """A loaded file: its text, its data (``None`` when it could not be loaded) and what loading
    found wrong. Positions of nodes are found with :meth:`locate`."""

    path: str
    text: str
    data: Any = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    root: yaml.Node | None = field(default=None, repr=False)
    policy: Document | None = field(default=None, repr=False)  # the policy laid beneath
    inherited: frozenset[Path] = frozenset()  # paths whose value came from the policy
    _index: dict[Path, _Located] | None = field(default=None, repr=False)
    _lines: list[str] | None = field(default=None, repr=False)

    def line_text(self, line: int) -> str:
        """Line ``line`` (1-based) of the text, trimmed, with lines broken as editors break
        them; "" past the end. The text is split once, when first asked."""
        if self._lines is None:
            self._lines = LINE_BREAK.split(self.text)
        return self._lines[line - 1].strip() if 0 < line <= len(self._lines) else ""

    @property
    def kind(self) -> str | None:
        """The document's ``kind`` (``Runbook``, ``Ruleset``), if it declares a string one."""
        kind = self.data.get("kind") if isinstance(self.data, dict) else None
        return kind if isinstance(kind, str) else None

    def origin(self, path: Path) -> Document:
        """The file the value at ``path`` came from: this one, or the policy beneath it."""
        inherited = self.inherited
        if self.policy is not None and any(path[:d] in inherited for d in range(1, len(path) + 1)):
            return self.policy
        return self

    def locate(self, path: Path) -> Span:
        """Where the node at ``path`` is (in the file it came from, see :meth:`origin`); for a
        missing node, where its nearest parent is."""
        source = self.origin(path)
        if source is not self:
            return source.locate(path)
        found = self._find(path)
        return found.span if found is not None else FILE_START

    def locate_key(self, path: Path) -> Span:
        """Where the key of the mapping entry at ``path`` is (falls back to :meth:`locate`)."""
        source = self.origin(path)
        if source is not self:
            return source.locate_key(path)
        found = self._find(path, exact=True)
        if found is not None and found.key_span is not None:
            return found.key_span
        return self.locate(path)

    def _find(self, path: Path, exact: bool = False) -> _Located | None:
        """The node at ``path`` (or, unless ``exact``, its nearest existing parent): from the
        index when it is built, else by walking down the node tree, which for a few look-ups
        costs far less than indexing every node."""
        if self._index is not None:
            for depth in range(len(path), -1 if not exact else len(path) - 1, -1):
                found = self._index.get(path[:depth])
                if found is not None:
                    return found
            return None
        if self.root is None:
            return None
        located = _Located(self.root, None)
        for key in path:
            child = _child(located.node, key)
            if child is None:
                return None if exact else located
            located = child
        return located

    def in_scalar(self, line: int, column: int) -> bool:
        """Whether a position lies inside a scalar (a ``#`` there is text, not a comment)."""
        place = (line, column)
        return any(
            (span.line, span.column) <= place < (span.end_line, span.end_column)
            for span in _scalar_spans(self.root)
        )

    def positions(self) -> Iterator[tuple[str, Span]]:
        """Every node's JSON Pointer and span, in document order."""
        for path, located in sorted(self._ensure_index().items(), key=lambda item: item[1].span):
            yield pointer(path), located.span

    def _ensure_index(self) -> dict[Path, _Located]:
        if self._index is None:
            self._index = _index_nodes(self.root)
        return self._index


def _child(node: yaml.Node, key: PathKey) -> _Located | None:
    """The entry under ``key`` of a mapping node (its first, as the index keeps), or the item
    at ``key`` of a sequence node."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return _Located(value_node, key_node)
    elif (
        isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value)
    ):
        return _Located(node.value[key], None)
    return None


def _span(node: yaml.Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _index_nodes(root: yaml.Node | None) -> dict[Path, _Located]:
    """Map every path in the node tree to its node; iterative, so depth cannot overflow."""
    index: dict[Path, _Located] = {}
    if root is None:
        return index
    stack: list[tuple[Path, yaml.Node, yaml.Node | None]] = [((), root, None)]
    while stack:
        path, node, key = stack.pop()
        if path in index:  # an alias: the first (anchored) occurrence wins
            continue
        index[path] = _Located(node, key)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    stack.append(((*path, key_node.value), value_node, key_node))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(((*path, i), item, None) for i, item in enumerate(node.value))
    return index


def _scalar_spans(root: yaml.Node | None) -> Iterator[Span]:
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            yield _span(node)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


class _AliasBomb(Exception):
    pass


class _SafeLoader(yaml.CSafeLoader):
    """libyaml's parser with PyYAML's safe constructor, plus the checks loaders skip."""

    def __init__(self, text: str, path: str, limits: LoadLimits) -> None:
        super().__init__(text)
        self.text = text
        self.path = path
        self.limits = limits
        self.findings: list[Diagnostic] = []
        self.root: yaml.Node | None = None
        self.checked: set[int] = set()  # ids of the mappings whose keys were checked

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        self.root = node
        if "&" in self.text and "*" in self.text:  # aliases need an anchor and a star
            _check_alias_expansion(node, self.limits.max_alias_nodes)
        return self.construct_document(node)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        self._check_keys(node)
        return super().construct_mapping(node, deep=deep)

    def _check_keys(self, node: yaml.MappingNode) -> None:
        """Report keys that are not strings (and drop them), and repeated keys (keeping the
        last), in ``node`` and in the mappings it merges in with ``<<``: PyYAML merges those
        unchecked, and recursively, so their nesting is capped here."""
        stack: list[tuple[yaml.Node, int]] = [(node, 0)]
        while stack:
            mapping, depth = stack.pop()
            if not isinstance(mapping, yaml.MappingNode):  # !!map on a scalar: PyYAML says so
                continue
            if id(mapping) in self.checked:  # checked once: merged in again, it is flat
                continue
            self.checked.add(id(mapping))
            first_seen: dict[str, int] = {}  # key → index in ``kept``
            kept: list[tuple[yaml.Node, yaml.Node]] = []
            for key_node, value_node in mapping.value:
                if key_node.tag == _MERGE_TAG:
                    kept.append((key_node, value_node))
                    if depth >= MAX_MERGE_DEPTH:
                        raise yaml.constructor.ConstructorError(
                            None,
                            None,
                            f"merge keys (<<) nest more than {MAX_MERGE_DEPTH} deep; "
                            "write the values out instead",
                            key_node.start_mark,
                        )
                    merged = value_node.value if isinstance(value_node, yaml.SequenceNode) else []
                    stack.extend(
                        (source, depth + 1)
                        for source in [value_node, *merged]
                        if isinstance(source, yaml.MappingNode)
                    )
                elif not (isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STR_TAG):
                    self._report(key_node, "schema", _non_string_key_message(key_node))
                elif key_node.value in first_seen:
                    index = first_seen[key_node.value]
                    first = kept[index][0].start_mark.line + 1
                    self._report(
                        key_node,
                        "duplicate-key",
                        f"key '{key_node.value}' is repeated (first at line {first}); YAML "
                        "tools silently keep only the last value, so remove or rename one of them",
                    )
                    kept[index] = (key_node, value_node)  # what every YAML loader does
                else:
                    first_seen[key_node.value] = len(kept)
                    kept.append((key_node, value_node))
            mapping.value = kept

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """PyYAML's, with a value its tag cannot read (``!!bool maybe``, ``!!float abc``, an
        empty ``!!int``, a number of 5000 digits) a marked error, not a Python exception."""
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, KeyError, IndexError):
            raise yaml.constructor.ConstructorError(
                None, None, _unreadable_message(node), node.start_mark
            ) from None

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        value = super().construct_yaml_int(node)
        str(value)  # ValueError if too long to print: 0x/0o/0b literals escape int()'s limit
        return value

    def _report(self, node: yaml.Node, rule: str, message: str) -> None:
        self.findings.append(Diagnostic(self.path, _span(node), rule, Severity.ERROR, message))


_SafeLoader.add_constructor(
    "tag:yaml.org,2002:timestamp",
    _SafeLoader.construct_yaml_str,  # type: ignore[type-var]  # stubs: Loader vs Constructor
)
_SafeLoader.add_constructor("tag:yaml.org,2002:int", _SafeLoader.construct_yaml_int)


_KEY_KINDS = {
    "int": "a number",
    "float": "a number",
    "bool": "a boolean",
    "null": "null",
    "timestamp": "a date",
}


def _non_string_key_message(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        kind = _KEY_KINDS.get(node.tag.rsplit(":", 1)[-1], node.tag)
        return f'key {node.value} is read as {kind}, not text; put it in quotes: "{node.value}"'
    return "a key must be plain text, not a list or mapping"


def _unreadable_message(node: yaml.Node) -> str:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    value = node.value if isinstance(node.value, str) else ""
    shown = (
        f"'{value}'" if len(value) <= 40 and value.isprintable() else f"{len(value):,} characters"
    )
    return f"{shown} cannot be read as {tag}; put it in quotes if it is text"


def _check_alias_expansion(root: yaml.Node, limit: int) -> None:
    """Refuse documents whose aliases expand past ``limit`` nodes, in at most ``limit`` steps."""
    count = 0
    stack = [root]
    while stack:
        node = stack.pop()
        count += 1
        if count > limit:
            raise _AliasBomb
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                stack.append(key_node)
                stack.append(value_node)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def read_file(path: str, limits: LoadLimits = DEFAULT_LIMITS) -> bytes | Diagnostic:
    """Read a regular file, or report it as too large.

    Raises IcrunError for what the user must fix before icrun can do anything: a missing,
    unreadable or non-regular file.
    """
    try:
        with open(path, "rb", opener=_open_regular) as stream:
            size = os.fstat(stream.fileno()).st_size
            data = stream.read(limits.max_bytes + 1)
    except FileNotFoundError:
        raise IcrunError(f"{path}: no such file or directory") from None
    except IsADirectoryError:
        raise IcrunError(f"{path}: is a directory") from None
    except PermissionError:
        raise IcrunError(f"{path}: permission denied; check the file's read permission") from None
    except OSError as error:
        raise IcrunError(f"{path}: cannot read: {error.strerror or error}") from None
    if len(data) > limits.max_bytes:
        return _too_large(path, max(size, len(data)), limits)
    return data


def _too_large(path: str, size: int, limits: LoadLimits) -> Diagnostic:
    message = (
        f"file is {size:,} bytes, over the {limits.max_bytes:,}-byte limit; "
        "split it, or raise the limit with --max-file-size"
    )
    return Diagnostic(path, FILE_START, "syntax", Severity.ERROR, message)


def _open_regular(path: str, flags: int) -> int:
    """Open without blocking on FIFOs and devices, and refuse anything but a regular file."""
    fd = os.open(path, flags | os.O_NONBLOCK)
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(path)
        raise IcrunError(f"{path}: not a regular file (a FIFO, socket or device); pass a file")
    return fd


def decode(data: bytes, path: str) -> str | Diagnostic:
    """UTF-8 text (a BOM is dropped), or a diagnostic saying where the text stops being UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    for bom, encoding in _FOREIGN_BOMS.items():
        if data.startswith(bom):
            message = f"file is {encoding}-encoded; icrunbook reads UTF-8 only: save it as UTF-8"
            return Diagnostic(path, FILE_START, "syntax", Severity.ERROR, message)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = line_and_column(data[: error.start].decode("utf-8", "replace"))
        message = (
            f"byte 0x{data[error.start]:02x} is not valid UTF-8; "
            "icrunbook reads UTF-8 only: save the file as UTF-8"
        )
        span = Span(line, column, line, column + 1)
        return Diagnostic(path, span, "syntax", Severity.ERROR, message)


def load_text(text: str, path: str, limits: LoadLimits = DEFAULT_LIMITS) -> Document:
    """Parse YAML text into a :class:`Document`; problems become diagnostics, never exceptions.

    The size limit applies to characters here (to bytes in :func:`load_bytes`).
    """
    if len(text) > limits.max_bytes:
        return Document(path, "", diagnostics=[_too_large(path, len(text), limits)])
    document = Document(path, text)
    loader = _SafeLoader(text, path, limits)
    try:
        data = loader.get_single_data()
    except _AliasBomb:
        message = (
            f"aliases expand to more than {limits.max_alias_nodes:,} nodes "
            "(a 'billion laughs' YAML bomb?); write the values out instead of aliasing them"
        )
        document.diagnostics.append(Diagnostic(path, FILE_START, "syntax", Severity.ERROR, message))
        return document
    except yaml.composer.ComposerError as error:
        if error.problem != "but found another document" or error.problem_mark is None:
            document.diagnostics.append(_syntax_diagnostic(error, document))
            return document
        return _first_of_several(text, path, limits, error.problem_mark)
    except yaml.MarkedYAMLError as error:
        document.diagnostics.append(_syntax_diagnostic(error, document))
        return document
    except yaml.reader.ReaderError as error:
        document.diagnostics.append(_reader_diagnostic(error, document))
        return document
    except yaml.YAMLError as error:
        message = "not valid YAML: " + " ".join(str(error).split())  # one line
        document.diagnostics.append(Diagnostic(path, FILE_START, "syntax", Severity.ERROR, message))
        return document
    finally:
        loader.dispose()
    document.root = loader.root
    document.diagnostics.extend(loader.findings)
    if isinstance(data, dict):
        document.data = data
    else:
        document.diagnostics.append(_not_a_mapping(document, data))
    return document


def _first_of_several(text: str, path: str, limits: LoadLimits, second: yaml.Mark) -> Document:
    """A file of several YAML documents (``---``), as its first one, with a ``syntax`` finding
    where the second starts: a Kubernetes manifest is then told apart from a runbook by what
    it is, and a runbook split by a stray ``---`` is told why."""
    document = load_text(text[: second.index], path, limits)
    document.text = text
    line = second.line + 1
    message = (
        "a second YAML document starts here ('---'); a runbook file holds one document: "
        "split the file, or remove the '---'"
    )
    span = Span(line, second.column + 1, line, second.column + 4)
    document.diagnostics.append(Diagnostic(path, span, "syntax", Severity.ERROR, message))
    return document


def _not_a_mapping(document: Document, data: object) -> Diagnostic:
    if data is None:
        message = "file is empty; a runbook starts with 'apiVersion: icrunbook/v1'"
    else:
        found = "a list" if isinstance(data, list) else f"a single value ({type(data).__name__})"
        message = f"the top level must be a mapping of keys (apiVersion, kind, ...), not {found}"
    return Diagnostic(document.path, document.locate(()), "schema", Severity.ERROR, message)


def _syntax_diagnostic(error: yaml.MarkedYAMLError, document: Document) -> Diagnostic:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    span = Span(line, column, line, column + 1)
    return Diagnostic(
        document.path, span, "syntax", Severity.ERROR, _syntax_message(error, document)
    )


def line_and_column(before: str) -> tuple[int, int]:
    """Where the text after ``before`` starts, 1-based, with lines broken as editors and CI
    services break them: at CR LF, CR or LF."""
    lines = LINE_BREAK.split(before)
    return len(lines), len(lines[-1]) + 1


def _reader_diagnostic(error: yaml.reader.ReaderError, document: Document) -> Diagnostic:
    """A character YAML forbids (NUL, ESC, ...), at its place; libyaml gives a byte offset."""
    before = document.text.encode("utf-8")[: error.position].decode("utf-8", "replace")
    line, column = line_and_column(before)
    character = error.character if isinstance(error.character, int) else ord(error.character)
    message = (
        f"character U+{character:04X} is not allowed in YAML ({error.reason}); "
        "remove it, or write it as an escape in a double-quoted string"
    )
    span = Span(line, column, line, column + 1)
    return Diagnostic(document.path, span, "syntax", Severity.ERROR, message)


def _syntax_message(error: yaml.MarkedYAMLError, document: Document) -> str:
    """libyaml's words, made specific where they are vague, with a fix for the usual
    indentation and quoting mistakes (one line still)."""
    problem = (error.problem or "not valid YAML").strip()
    mark = error.problem_mark
    if problem.startswith("could not determine a constructor for the tag"):
        tag = problem.rsplit(" ", 1)[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
        return f"tag {tag} is not allowed: a runbook is plain data (no custom or Python tags)"
    if mark is not None and document.text[mark.index : mark.index + 1] == "\t":
        return "a tab character is used for indentation or spacing; YAML allows spaces only"
    if problem == "exceeded maximum nesting depth":
        return "nesting is deeper than 1000 levels; flatten the structure"
    context, context_mark = (error.context or "").strip(), error.context_mark
    if context and context_mark is not None and (mark is None or context_mark.line != mark.line):
        message = f"{problem} ({context} that starts at line {context_mark.line + 1})"
    else:
        message = f"{problem} ({context})" if context else problem
    advice = _layout_advice(problem, mark, context_mark, document.text)
    return f"{message}; {advice}" if advice else message


_LINE_BREAKS = "\r\n\x85\u2028\u2029"  # what libyaml counts as the end of a line
_AFTER_VALUE = (
    "there is more text after the end of the value (a closing quote or bracket): "
    "put the whole value in quotes, or remove the extra text"
)


def _layout_advice(
    problem: str, mark: yaml.Mark | None, context_mark: yaml.Mark | None, text: str
) -> str | None:
    """How to fix what libyaml reports for the usual indentation and quoting mistakes."""
    if mark is None:
        return None
    if problem == "could not find expected ':'":  # reported where the line after it starts
        line = (context_mark or mark).line + 1
        return (
            f"line {line} is not 'key: value': if it is a key, add ': '; if it continues the "
            "value above, indent it further or put the value in quotes"
        )
    start = max(text.rfind(character, 0, mark.index) for character in _LINE_BREAKS) + 1
    on_the_line = text[start : mark.index]  # the problem's line, up to the problem
    if problem.startswith("mapping values are not allowed"):
        if re.search(r":[ \t]", on_the_line):
            return "the value contains ': ', so put the whole value in quotes"
        return (
            "if this line continues the value above, put that value in quotes; "
            "otherwise line this key up with the keys above it"
        )
    if problem not in ("did not find expected key", "did not find expected '-' indicator"):
        return None
    if on_the_line.strip():
        return _AFTER_VALUE
    if problem == "did not find expected key":
        return (
            "this line lines up with none of the keys around it: indent it exactly as far "
            "as the keys (or '- ' items) it belongs with"
        )
    if text.startswith("-", mark.index):
        column = f" (column {context_mark.column + 1})" if context_mark is not None else ""
        return f"line this item's '- ' up with the '- ' of the items above it{column}"
    return (
        "this line is in a list but is not a '- ' item: line it up with the keys of the item "
        "above it, start it with '- ', or move it left to end the list"
    )


def load_bytes(data: bytes, path: str, limits: LoadLimits = DEFAULT_LIMITS) -> Document:
    """Decode and parse file contents; never raises for bad content."""
    if len(data) > limits.max_bytes:
        return Document(path, "", diagnostics=[_too_large(path, len(data), limits)])
    text = decode(data, path)
    if isinstance(text, Diagnostic):
        return Document(path, "", diagnostics=[text])
    return load_text(text, path, limits)


def load_file(path: str, limits: LoadLimits = DEFAULT_LIMITS) -> Document:
    """Read and load one file. Raises IcrunError only when the file cannot be read at all."""
    data = read_file(path, limits)
    if isinstance(data, Diagnostic):
        return Document(path, "", diagnostics=[data])
    return load_bytes(data, path, limits)

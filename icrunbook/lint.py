"""``lint``: loading, the schema and every enabled rule, over files, into one report.

Each file is linted under its config (the nearest ``.icrun.yaml`` or ``[tool.icrun]``, or the
one given); the active rules for a config and a set of matching overrides are set up once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase
from functools import cached_property
from typing import TYPE_CHECKING, Any

from icrunbook import __version__
from icrunbook.api import Report
from icrunbook.cache import Cache, digest
from icrunbook.config import Config, default_config, find_config, load_config
from icrunbook.diagnostics import Diagnostic, Severity
from icrunbook.errors import IcrunError
from icrunbook.files import discover
from icrunbook.loader import DEFAULT_MAX_BYTES, Document, LoadLimits, load_bytes, read_file
from icrunbook.rules.engine import ActiveRule, Linter, activate
from icrunbook.suppressions import UNSUPPRESSIBLE, apply_suppressions, find_suppressions
from icrunbook.validation import check_document
from icrunbook.validation.schemas import schema_for

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from icrunbook.rules.model import Rule


def today() -> date:
    """Today, or ``ICRUN_TODAY`` (YYYY-MM-DD) when set, so that date rules are reproducible."""
    fixed = os.environ.get("ICRUN_TODAY")
    if not fixed:
        return date.today()
    try:
        return date.fromisoformat(fixed)
    except ValueError:
        raise IcrunError(f"ICRUN_TODAY={fixed!r} is not a date written YYYY-MM-DD") from None


@dataclass(frozen=True, slots=True)
class Selection:
    """``--select``/``--ignore`` globs from the command line, applied on top of any config."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def check(self, rule_names: Iterable[str]) -> None:
        names = list(rule_names)
        for pattern in (*self.select, *self.ignore):
            if not any(fnmatchcase(name, pattern) for name in names):
                raise IcrunError(f"no rule matches '{pattern}'; list the rules with: icrun rules")

    def keeps(self, name: str) -> bool:
        if name in UNSUPPRESSIBLE:
            return True
        chosen = not self.select or any(fnmatchcase(name, p) for p in self.select)
        return chosen and not any(fnmatchcase(name, p) for p in self.ignore)


class RuleRun:
    """The rules for one config and one set of matching overrides. Their queries and functions
    are set up on first use, so a run the cache answers entirely never loads them."""

    def __init__(self, config: Config, overrides: tuple[int, ...], selection: Selection) -> None:
        self.config = config
        self.chosen: list[tuple[Rule, Severity, dict[str, Any]]] = []
        for name, rule in config.rules.items():
            severity, options = config.setting(name, overrides)
            if severity != "off" and selection.keeps(name):
                self.chosen.append((rule, Severity.parse(severity), options))
        self.known = list(config.rules)
        self.severities = {rule.name: severity for rule, severity, _ in self.chosen}
        self.today = today()
        self.fingerprint = _fingerprint(config, overrides, selection, self.today)

    @cached_property
    def rules(self) -> list[ActiveRule]:
        functions = self.config.functions()
        return [
            activate(rule, severity, options, functions) for rule, severity, options in self.chosen
        ]

    @cached_property
    def linter(self) -> Linter:
        return Linter(self.rules, self.today)

    def document(self, document: Document) -> list[Diagnostic]:
        """Loader findings, schema problems and rule findings, at their rules' severities,
        less what inline suppressions silence."""
        found = list(document.diagnostics)
        schema = check_document(document)
        if "schema" in self.severities:
            found += schema.diagnostics
        if schema_for(document.path, document.kind) == "runbook":
            found += self.linter.run(document, schema.rejected)
        settled = [
            dataclasses.replace(diagnostic, severity=self.severities[diagnostic.rule])
            for diagnostic in found
            if diagnostic.rule in self.severities  # a stage rule may be switched off
        ]
        kept = apply_suppressions(
            settled,
            find_suppressions(document.text, document.in_scalar),
            document.path,
            self.known,
            self.severities.get("unused-suppression"),
        )
        return sorted(kept, key=Diagnostic.sort_key)


def _fingerprint(
    config: Config, overrides: tuple[int, ...], selection: Selection, day: date
) -> str:
    """Everything besides a file's bytes that decides its diagnostics, as one digest."""
    plugins = [(name, _installed_version(name)) for name in config.plugins]
    decided = repr((__version__, config, overrides, selection, day.isoformat(), plugins))
    return hashlib.sha256(decided.encode()).hexdigest()


def _installed_version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "?"


class Lint:
    """Lints files, each under its config; everything costly is set up once per run."""

    def __init__(
        self,
        config: Config | None = None,
        selection: Selection = Selection(),
        max_file_size: int | None = None,
    ) -> None:
        self.config = config  # when given (--config), used for every file
        self.selection = selection
        self.max_file_size = max_file_size
        self._runs: dict[tuple[str, tuple[int, ...]], RuleRun] = {}
        self._cache: Cache | None = None
        self._configs: dict[str, Config] = {}
        self._run_of_file: dict[str, RuleRun] = {}

    @classmethod
    def configured(
        cls,
        config_path: str | None = None,
        selection: Selection = Selection(),
        max_file_size: int | None = None,
    ) -> Lint:
        """A Lint for ``--config FILE`` (every file under it), or for each file's own config."""
        config = load_config(os.path.abspath(config_path)) if config_path else None
        return cls(config, selection, max_file_size)

    def config_for(self, path: str) -> Config:
        if self.config is not None:
            return self.config
        folder = os.path.dirname(path)
        if folder not in self._configs:  # files of one folder share their config
            found = find_config(os.path.dirname(os.path.abspath(path)))
            self._configs[folder] = load_config(found) if found else default_config()
        return self._configs[folder]

    def run_for(self, config: Config, path: str) -> RuleRun:
        """The rules for one file; worked out once per file and once per set of overrides."""
        run = self._run_of_file.get(path)
        if run is None:
            overrides = config.matching_overrides(path)
            key = (config.source, overrides)
            if key not in self._runs:
                self.selection.check(config.rules)
                self._runs[key] = RuleRun(config, overrides, self.selection)
            run = self._run_of_file[path] = self._runs[key]
        return run

    def file(self, path: str) -> list[Diagnostic]:
        data = read_file(path, self._limits(path))
        return self._lint_bytes(path, data)

    def _limits(self, path: str) -> LoadLimits:
        limit = self.max_file_size or self.config_for(path).max_file_size or DEFAULT_MAX_BYTES
        return LoadLimits(max_bytes=limit)

    def _lint_bytes(self, path: str, data: bytes | Diagnostic) -> list[Diagnostic]:
        """One file's diagnostics from its bytes (or from the reason it was not read)."""
        if isinstance(data, Diagnostic):  # too large to read
            document = Document(path, "", diagnostics=[data])
        else:
            document = load_bytes(data, path, self._limits(path))
        return self.run_for(self.config_for(path), path).document(document)

    def paths(self, paths: Iterable[str], jobs: int = 1, cache: Cache | None = None) -> Report:
        """Lint files and folders (searched for ``*.yaml``/``*.yml``), skipping excluded ones,
        with up to ``jobs`` processes, reusing and updating ``cache``."""
        files, per_file = self.stream(paths, jobs, cache)
        diagnostics = [d for found in per_file for d in found]
        return Report.of(files, diagnostics, self.rules())

    def stream(
        self, paths: Iterable[str], jobs: int = 1, cache: Cache | None = None
    ) -> tuple[list[str], Iterator[list[Diagnostic]]]:
        """The files to lint, sorted by path, and each one's sorted diagnostics as they are
        found: output can be written as it comes, holding no more than a file's findings."""
        files = sorted(p for p in discover(paths) if not self.config_for(p).excludes(p))
        for path in files:  # every config and rule set settled (and checked) before any work
            self.run_for(self.config_for(path), path)
        self._cache = cache
        return files, self._results(files, jobs, cache)

    def _results(
        self, files: list[str], jobs: int, cache: Cache | None
    ) -> Iterator[list[Diagnostic]]:
        for path, (found, new_key) in zip(files, self._check_many(files, jobs), strict=True):
            if cache is not None and new_key is not None:
                cache.put(path, new_key, found)
            yield found
        if cache is not None:
            cache.save()

    def rules(self) -> dict[str, Rule]:
        """The rules of every run so far (what could fire, for formats that list them)."""
        return {rule.name: rule for run in self._runs.values() for rule, _, _ in run.chosen}

    def _lint_path(self, path: str) -> list[Diagnostic]:
        """Read and lint one file (one file in memory at a time, in each process)."""
        return self._lint_bytes(path, read_file(path, self._limits(path)))

    def _cache_key(self, path: str) -> str:
        """What a file's cached result must have been made from: its bytes and its run."""
        data = read_file(path, self._limits(path))
        run = self.run_for(self.config_for(path), path)
        return digest(data if isinstance(data, bytes) else b"", run.fingerprint)

    def _check_many(
        self, files: list[str], jobs: int
    ) -> Iterator[tuple[list[Diagnostic], str | None]]:
        """Each file's diagnostics in order, and the key to cache them under (None when they
        came from the cache). Only files the cache cannot answer are linted, here or in
        ``jobs`` forked processes."""
        cache = self._cache
        keys = {path: self._cache_key(path) for path in files} if cache is not None else {}
        todo = [path for path in files if cache is None or not cache.has(path, keys[path])]
        todo_set = set(todo)
        fresh = self._lint_all(todo, jobs)
        for path in files:
            if cache is None or path in todo_set:
                yield next(fresh), keys.get(path)
                continue
            cached = cache.get(path, keys[path])
            # an entry found damaged only now is linted here, not trusted
            yield (cached, None) if cached is not None else (self._lint_path(path), keys[path])

    def _lint_all(self, files: list[str], jobs: int) -> Iterator[list[Diagnostic]]:
        if jobs <= 1 or len(files) < PARALLEL_FROM:
            yield from map(self._lint_path, files)
            return
        # Imported here: a run over a few files (what pre-commit mostly does) never needs them.
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_all_start_methods, get_context

        if "fork" not in get_all_start_methods():  # workers must inherit the settled configs
            yield from map(self._lint_path, files)
            return
        global _FORKED
        _FORKED = self
        chunk = max(1, min(64, len(files) // (jobs * 8)))
        with ProcessPoolExecutor(jobs, mp_context=get_context("fork")) as pool:
            yield from pool.map(_lint_in_worker, files, chunksize=chunk)

    def default_paths(self) -> list[str]:
        """What to lint when no PATH is given: the config's ``paths``, else ``runbooks/``."""
        # config_for looks up from a file's folder: a file in the working folder, not "." itself
        config = self.config or self.config_for(os.path.join(os.getcwd(), "_"))
        return list(config.paths) or ["runbooks"]


_FORKED: Lint | None = None
PARALLEL_FROM = 16  # fewer files than this are quicker to lint than to hand out


def _lint_in_worker(path: str) -> list[Diagnostic]:
    assert _FORKED is not None  # noqa: S101 - set before the pool forks
    return _FORKED._lint_path(path)


def lint_paths(
    paths: Sequence[str] = (),
    config_path: str | None = None,
    selection: Selection = Selection(),
    max_file_size: int | None = None,
    jobs: int = 1,
    cache: Cache | None = None,
) -> Report:
    """Lint files and folders; with no paths, the config's ``paths`` or ``runbooks/``."""
    lint = Lint.configured(config_path, selection, max_file_size)
    return lint.paths(paths or lint.default_paths(), jobs, cache)

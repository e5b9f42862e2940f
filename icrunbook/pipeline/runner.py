"""The runner: which files, under which config and plan, from the cache or checked (here or in
forked workers), with the repository rules judged across all of them at the end.

Every command goes through it (``validate`` with a plan of the structural stages only), so they
all read the config the same way: discovery, ``exclude``, ``paths`` and ``max_file_size``.
"""

from __future__ import annotations

import json
import os
import re
from typing import IO, TYPE_CHECKING

from icrunbook.baseline import STALE_RULE
from icrunbook.config import Config, default_config, find_config, load_config
from icrunbook.diagnostics import Diagnostic
from icrunbook.files import as_typed, discover
from icrunbook.loader import DEFAULT_MAX_BYTES, Document, LoadLimits, load_file, read_file
from icrunbook.pipeline.check import FileResult, check, finish, repository_findings
from icrunbook.pipeline.plan import Plan, Selection
from icrunbook.policy import Policies, reference
from icrunbook.report import Report
from icrunbook.rules.ruleset import STRUCTURE

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from icrunbook.baseline import Baseline
    from icrunbook.cache import Cache
    from icrunbook.rules.functions import Occurrence
    from icrunbook.rules.model import Rule

_POLICY_KIND = re.compile(rb"(?m)^kind:[ \t]*[\"']?Policy\b")
PARALLEL_FROM = 16  # fewer files than this are quicker to check than to hand out


class Runner:
    """Checks files, each under its config; everything costly is set up once per run."""

    def __init__(
        self,
        config: Config | None = None,
        selection: Selection = Selection(),
        max_file_size: int | None = None,
        structural_only: bool = False,
    ) -> None:
        self.config = config  # when given (--config), used for every file
        self.selection = selection
        self.max_file_size = max_file_size
        self.structural_only = structural_only
        self._plans: dict[tuple[str, tuple[int, ...]], Plan] = {}
        self._configs: dict[str, Config] = {}
        self._plan_of_file: dict[str, Plan] = {}
        self.policies = Policies(self.load_alone)

    @classmethod
    def configured(
        cls,
        config_path: str | None = None,
        selection: Selection = Selection(),
        max_file_size: int | None = None,
        structural_only: bool = False,
    ) -> Runner:
        """A runner for ``--config FILE`` (every file under it), or for each file's own config."""
        config = load_config(os.path.abspath(config_path)) if config_path else None
        return cls(config, selection, max_file_size, structural_only)

    # --- which config, plan and limits ----------------------------------------------------------

    def config_for(self, path: str) -> Config:
        if self.config is not None:
            return self.config
        folder = os.path.dirname(path)
        if folder not in self._configs:  # files of one folder share their config
            found = find_config(os.path.dirname(os.path.abspath(path)))
            self._configs[folder] = load_config(found) if found else self._default()
        return self._configs[folder]

    def _default(self) -> Config:
        """No config file: the recommended rules, or (for validate) the structural ones only."""
        return default_config(ruleset=STRUCTURE if self.structural_only else "recommended")

    def working_config(self) -> Config:
        """The config in force for the working folder (``icrun rules``, no PATH given)."""
        # config_for looks up from a file's folder: a file in the working folder, not "." itself
        return self.config or self.config_for(os.path.join(os.getcwd(), "_"))

    def plan_for(self, path: str) -> Plan:
        """The plan for one file; worked out once per file and once per set of overrides."""
        plan = self._plan_of_file.get(path)
        if plan is None:
            config = self.config_for(path)
            overrides = config.matching_overrides(path)
            key = (config.source, overrides)
            if key not in self._plans:
                self.selection.check(config.rules.values())
                self._plans[key] = Plan(config, overrides, self.selection, self.structural_only)
            plan = self._plan_of_file[path] = self._plans[key]
        return plan

    def limits(self, path: str) -> LoadLimits:
        limit = self.max_file_size or self.config_for(path).max_file_size or DEFAULT_MAX_BYTES
        return LoadLimits(max_bytes=limit)

    def rules(self) -> dict[str, Rule]:
        """The rules of every plan so far (what could fire, for formats that list them)."""
        return {name: rule for plan in self._plans.values() for name, rule in plan.rules.items()}

    # --- which files ------------------------------------------------------------------------------

    def files(self, paths: Iterable[str]) -> list[str]:
        """The files to check, sorted, without excluded ones; their plans settled (and so
        checked) before any work starts."""
        files = sorted(p for p in discover(paths) if not self.config_for(p).excludes(p))
        for path in files:
            self.plan_for(path)
        return files

    def checked_files(self, paths: Sequence[str]) -> list[str]:
        """The files to check (:meth:`files`) and, for a policy named as a file, the runbooks
        under the default paths that stand on it: a change to a policy alone (all pre-commit
        passes) is checked where it takes effect."""
        files = self.files(paths)
        named = {os.path.abspath(path) for path in paths if os.path.isfile(path)}
        policies = {
            os.path.abspath(path)
            for path in files
            if os.path.abspath(path) in named and self.is_policy(path)
        }
        if not policies:
            return files
        have = {os.path.abspath(path) for path in files}
        around = [path for path in self.default_paths() if os.path.exists(path)]
        standing = [
            path
            for path in self.files(around)
            if os.path.abspath(path) not in have and self._stands_on(path, policies)
        ]
        return sorted(files + standing)

    def is_policy(self, path: str) -> bool:
        """Whether a file is a policy: a look at its bytes first, so that runbooks are not
        parsed for it."""
        data = read_file(path, self.limits(path))
        if isinstance(data, Diagnostic) or _POLICY_KIND.search(data) is None:
            return False
        return self.load_alone(path).kind == "Policy"

    def _stands_on(self, path: str, policies: set[str]) -> bool:
        found = reference(self.load_alone(path), self.config_for(path))
        return found is not None and os.path.abspath(found.path) in policies

    def default_paths(self) -> list[str]:
        """What to check when no PATH is given: the config's ``paths``, else ``runbooks/``,
        relative to the working folder so that output shows them as a person would type them."""
        paths = self.working_config().paths
        return [as_typed(path) for path in paths] or ["runbooks"]

    # --- checking -----------------------------------------------------------------------------

    def load(self, path: str, limits: LoadLimits | None = None) -> Document:
        """Read and load one file under its limits (or ``limits``); a runbook is laid over its
        policy."""
        return self.policies.under(self.load_alone(path, limits), self.config_for(path))

    def load_alone(self, path: str, limits: LoadLimits | None = None) -> Document:
        """One file as it is, laid over nothing."""
        return load_file(path, limits or self.limits(path))

    def check_file(self, path: str) -> FileResult:
        """Read, load and check one file (one file in memory at a time, in each process)."""
        return check(self.load(path), self.plan_for(path))

    def stream(
        self,
        paths: Iterable[str],
        jobs: int = 1,
        cache: Cache | None = None,
        baseline: Baseline | None = None,
    ) -> tuple[list[str], Iterator[list[Diagnostic]]]:
        """The files to check, sorted by path, and each one's sorted diagnostics as they are
        found: output can be written as it comes. With repository rules, the results wait until
        every file is in (they are small; the documents are not kept). A ``baseline`` hides what
        it lists and adds its stale entries at the end."""
        files = self.checked_files(list(paths))
        found = self._finished(files, jobs, cache)
        if baseline is None:
            return files, found
        stale = Plan(self.working_config(), (), self.selection).severities.get(STALE_RULE)
        checked = zip(files, found, strict=True)
        return files, baseline.hide(checked, set(self.rules()), stale)

    def report(
        self,
        paths: Iterable[str],
        jobs: int = 1,
        cache: Cache | None = None,
        baseline: Baseline | None = None,
    ) -> Report:
        files, per_file = self.stream(paths, jobs, cache, baseline)
        diagnostics = [d for found in per_file for d in found]
        hidden = baseline.hidden if baseline is not None else 0
        return Report.of(files, diagnostics, self.rules(), hidden)

    def _finished(
        self, files: list[str], jobs: int, cache: Cache | None
    ) -> Iterator[list[Diagnostic]]:
        results = self._results(files, jobs, cache)
        if not any(self.plan_for(path).has_repository_rules for path in files):
            yield from (finish(result, self.plan_for(result.path)) for result in results)
            return
        with _Held() as held:
            occurrences = [(r.path, held.add(r)) for r in results]
            shares = repository_findings(occurrences, self.plan_for)
            for result in held:
                yield finish(result, self.plan_for(result.path), shares.get(result.path, ()))

    def _results(self, files: list[str], jobs: int, cache: Cache | None) -> Iterator[FileResult]:
        """Each file's result in order: from the cache, or checked here or in ``jobs`` forked
        processes (only the files the cache cannot answer); new results go into the cache."""
        keys = {path: self._cache_key(path) for path in files} if cache is not None else {}
        todo = [path for path in files if cache is None or not cache.has(path, keys[path])]
        todo_set = set(todo)
        fresh = self._check_all(todo, jobs)
        for path in files:
            if cache is None:
                yield next(fresh)
                continue
            cached = None if path in todo_set else cache.get(path, keys[path])
            # an entry found damaged only now is checked here, not trusted
            result = cached or (next(fresh) if path in todo_set else self.check_file(path))
            if cached is None:
                cache.put(keys[path], result)
            yield result
        if cache is not None:
            cache.save()

    def _cache_key(self, path: str) -> str:
        """What a file's cached result must have been made from: its bytes and its plan."""
        from icrunbook.cache import digest

        data = read_file(path, self.limits(path))
        if isinstance(data, Diagnostic):  # too large: keyed by what it says (size and limit)
            data = b"\0" + data.message.encode()
        return digest(data, self.plan_for(path).fingerprint)

    def _check_all(self, files: list[str], jobs: int) -> Iterator[FileResult]:
        if jobs <= 1 or len(files) < PARALLEL_FROM:
            yield from map(self.check_file, files)
            return
        # Imported here: a run over a few files (what pre-commit mostly does) never needs them.
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_all_start_methods, get_context

        if "fork" not in get_all_start_methods():  # workers must inherit the settled configs
            yield from map(self.check_file, files)
            return
        for path in files:  # rules set up once, here: a broken one is one line, not a crash
            _ = self.plan_for(path).active
        global _FORKED
        _FORKED = self
        chunk = max(1, min(64, len(files) // (jobs * 8)))
        with ProcessPoolExecutor(jobs, mp_context=get_context("fork")) as pool:
            try:
                yield from pool.map(_check_in_worker, files, chunksize=chunk)
            except BaseException:  # one file stopped the run: the others need not finish first
                pool.shutdown(wait=False, cancel_futures=True)
                raise


class _Held:
    """Results that wait for the repository rules: in memory for up to 256 files, then on disk as
    JSON lines (a temporary file), so that memory does not grow with the number of files."""

    IN_MEMORY = 256  # results (a few KB each) kept in memory before spilling

    def __init__(self) -> None:
        self._results: list[FileResult] = []
        self._spool: IO[str] | None = None

    def __enter__(self) -> _Held:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._spool is not None:
            self._spool.close()

    def add(self, result: FileResult) -> dict[str, list[Occurrence]]:
        """Hold a result; returns what the repository rules need of it."""
        if self._spool is None and len(self._results) < self.IN_MEMORY:
            self._results.append(result)
            return result.occurrences
        if self._spool is None:
            import tempfile  # only for a large run

            self._spool = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
            for earlier in self._results:
                self._write(earlier)
            self._results = []
        self._write(result)
        return result.occurrences

    def _write(self, result: FileResult) -> None:
        from icrunbook.cache import result_data  # the cache's form of a result

        assert self._spool is not None  # noqa: S101 - opened by add
        self._spool.write(json.dumps([result.path, result_data(result)]) + "\n")

    def __iter__(self) -> Iterator[FileResult]:
        if self._spool is None:
            yield from self._results
            return
        from icrunbook.cache import result_from_data

        self._spool.seek(0)
        for line in self._spool:
            path, data = json.loads(line)
            yield result_from_data(path, data)


_FORKED: Runner | None = None


def _check_in_worker(path: str) -> FileResult:
    assert _FORKED is not None  # noqa: S101 - set before the pool forks
    return _FORKED.check_file(path)


def lint_paths(
    paths: Sequence[str] = (),
    config_path: str | None = None,
    selection: Selection = Selection(),
    max_file_size: int | None = None,
    jobs: int = 1,
    cache: Cache | None = None,
    baseline: Baseline | None = None,
) -> Report:
    """Lint files and folders; with no paths, the config's ``paths`` or ``runbooks/``. With a
    ``baseline``, what it lists is hidden (and counted in ``Report.hidden``)."""
    runner = Runner.configured(config_path, selection, max_file_size)
    return runner.report(paths or runner.default_paths(), jobs, cache, baseline)


def validate_paths(
    paths: Sequence[str] = (), config_path: str | None = None, max_file_size: int | None = None
) -> Report:
    """Syntax and schema only (the structural stages), under the same config as ``lint``."""
    runner = Runner.configured(config_path, max_file_size=max_file_size, structural_only=True)
    return runner.report(paths or runner.default_paths())

"""The config: which rules apply, with which severities and options, to which files.

Found as ``.icrun.yaml`` (or ``[tool.icrun]`` in ``pyproject.toml``) by walking up from each
linted file, or given with ``--config``. Every mistake in it is an IcrunError that names the
file, line and column, with "did you mean" for misspelt rule and option names.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from icrunbook.diagnostics import Severity
from icrunbook.errors import IcrunError
from icrunbook.loader import Document, load_file
from icrunbook.rules.model import severity_name
from icrunbook.rules.ruleset import (
    BUILTIN_RULESETS,
    load_ruleset,
    rule_from_data,
    structural_message,
    structural_rules,
)
from icrunbook.suggest import did_you_mean
from icrunbook.validation import validate_document
from icrunbook.validation.schemas import CONFIG_FILENAMES

if TYPE_CHECKING:
    from collections.abc import Mapping

    from icrunbook.loader import Path
    from icrunbook.rules.functions import FunctionSpec
    from icrunbook.rules.model import Rule

_NEW_RULE_KEYS = frozenset({"given", "then", "stage", "description"})


@dataclass(frozen=True, slots=True)
class Setting:
    """What a config says about one rule: a severity, option values, or both."""

    severity: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Override:
    files: tuple[str, ...]
    settings: Mapping[str, Setting]


@dataclass(frozen=True, slots=True)
class Config:
    """A loaded config. Globs and paths are relative to ``root``, the config file's folder."""

    root: str
    source: str
    rules: Mapping[str, Rule]
    settings: Mapping[str, Setting] = field(default_factory=dict)
    overrides: tuple[Override, ...] = ()
    exclude: tuple[str, ...] = ()
    plugins: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    max_file_size: int | None = None
    incidents_dir: str | None = None  # absolute, from the config's folder
    webhook: str | None = None
    policy: str | None = None  # absolute, from the config's folder
    policy_given: str = ""  # as the config writes it, and where (for error messages)
    policy_named_at: str = ""
    baseline: str | None = None  # absolute, from the config's folder

    def functions(self) -> dict[str, FunctionSpec]:
        from icrunbook.rules.registry import available_functions

        return available_functions(self.plugins)

    def relative(self, path: str) -> str:
        return os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")

    def excludes(self, path: str) -> bool:
        return _matches(self.relative(path), self.exclude)

    def matching_overrides(self, path: str) -> tuple[int, ...]:
        """Indexes of the overrides whose globs match the file, in order (later wins)."""
        relative = self.relative(path)
        return tuple(i for i, o in enumerate(self.overrides) if _matches(relative, o.files))

    def setting(self, name: str, overrides: tuple[int, ...]) -> tuple[str, dict[str, Any]]:
        """The severity and option values of a rule for files matching ``overrides``."""
        rule = self.rules[name]
        severity, options = rule.severity, rule.option_defaults()
        for setting in [
            self.settings.get(name),
            *(self.overrides[i].settings.get(name) for i in overrides),
        ]:
            if setting is not None:
                severity = setting.severity or severity
                options.update(setting.options)
        return severity, options


def _matches(relative: str, globs: tuple[str, ...]) -> bool:
    """Globs as in ruff and Spectral: ``*``, ``?`` and ``[...]`` stay within a folder, ``**``
    crosses folders (``**/`` also matches none: ``**/x.yaml`` ~ ``x.yaml``); a glob without
    ``/`` matches the file name in any folder (``*.draft.yaml``)."""
    name = relative.rsplit("/", 1)[-1]
    return any(_glob(glob).match(relative if "/" in glob else name) for glob in globs)


_GLOB_TOKEN = re.compile(r"\*\*/|\*\*|\*|\?|\[!?[^\]/]+\]")
_GLOB_REGEX = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}


@cache
def _glob(glob: str) -> re.Pattern[str]:
    """A glob (see :func:`_matches`) as a regular expression."""
    parts: list[str] = []
    end = 0
    for token in _GLOB_TOKEN.finditer(glob):
        parts.append(re.escape(glob[end : token.start()]))
        text, end = token.group(), token.end()
        if text in _GLOB_REGEX:
            parts.append(_GLOB_REGEX[text])
            continue
        inner = text[1:-1].replace("\\", "\\\\")  # a character class, within a folder
        if inner.startswith("!"):
            parts.append("[^/" + inner[1:] + "]")
        else:
            parts.append("[" + inner.replace("^", "\\^") + "]")
    parts.append(re.escape(glob[end:]))
    return re.compile("".join(parts) + r"\Z")


def default_config(root: str = ".", ruleset: str = "recommended") -> Config:
    """No config file: a built-in ruleset's rules (``recommended``) at their defaults."""
    return Config(os.path.abspath(root), f"<{ruleset}>", load_ruleset(ruleset))


@cache
def find_config(folder: str) -> str | None:
    """The nearest ``.icrun.yaml``/``.icrun.yml``, or ``pyproject.toml`` with ``[tool.icrun]``."""
    folder = os.path.abspath(folder)
    while True:
        for name in sorted(CONFIG_FILENAMES):
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                return candidate
        pyproject = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(pyproject) and _pyproject_section(pyproject) is not None:
            return pyproject
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _pyproject_section(path: str) -> dict[str, Any] | None:
    import tomllib  # only for a pyproject.toml on the way up

    try:
        with open(path, "rb") as stream:
            data = tomllib.load(stream)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise IcrunError(f"{path}: cannot read: {error}") from None
    section = data.get("tool", {}).get("icrun")
    return section if isinstance(section, dict) else None


@cache
def load_config(path: str) -> Config:
    """Load and check a config file (``.icrun.yaml`` or ``pyproject.toml``)."""
    if os.path.basename(path) == "pyproject.toml":
        document = Document(path, "", data=_pyproject_section(path) or {})
        where = f"{path} [tool.icrun]"
    else:
        document = load_file(path)
        where = path
    problems = document.diagnostics + validate_document(document, "config")
    if problems:
        _raise_at(document, problems[0].line, problems[0].column, problems[0].message, where)
    return _ConfigReader(document, where).read()


def _raise_at(document: Document, line: int, column: int, message: str, where: str) -> None:
    place = f"{where}:{line}:{column}" if document.root is not None else where
    raise IcrunError(f"{place}: {message}")


class _ConfigReader:
    """Turns a schema-valid config document into a :class:`Config`, checking names as it goes."""

    def __init__(self, document: Document, where: str) -> None:
        self.document = document
        self.where = where
        self.data: dict[str, Any] = document.data
        self.root = os.path.dirname(os.path.abspath(document.path))

    def read(self) -> Config:
        """The config, every name and option in it checked (the rule engine loads here)."""
        from icrunbook.rules.engine import RuleError, activate
        from icrunbook.rules.registry import available_functions

        data = self.data
        extends = data.get("extends", ["recommended"])
        rules: dict[str, Rule] = structural_rules()  # whatever it extends, these stay
        references = [extends] if isinstance(extends, str) else extends
        for i, reference in enumerate(references):
            self._check_extends(
                reference, ("extends",) if isinstance(extends, str) else ("extends", i)
            )
            rules.update(load_ruleset(reference, self.root))
        new_rules = self._new_rules()
        rules.update(new_rules)
        plugins = tuple(data.get("plugins", ()))
        for i, plugin in enumerate(plugins):  # each one installed, or an error pointing at it
            try:
                available_functions((plugin,))
            except IcrunError as error:
                self._fail(("plugins", i), str(error))
        functions = available_functions(plugins)
        for name, rule in new_rules.items():  # a broken new rule is found now, not when used
            try:
                activate(rule, Severity.ERROR, rule.option_defaults(), functions)
            except RuleError as error:
                self._fail_key(("rules", name), f"rule '{name}': {error.detail}")
        settings = self._settings(data.get("rules", {}), ("rules",), rules, functions)
        overrides = tuple(
            Override(
                tuple(raw["files"]),
                self._settings(raw["rules"], ("overrides", i, "rules"), rules, functions),
            )
            for i, raw in enumerate(data.get("overrides", ()))
        )
        return Config(
            root=self.root,
            source=self.document.path,
            rules=rules,
            settings=settings,
            overrides=overrides,
            exclude=tuple(data.get("exclude", ())),
            plugins=plugins,
            paths=tuple(os.path.join(self.root, path) for path in data.get("paths", ())),
            max_file_size=data.get("max_file_size"),
            incidents_dir=(
                os.path.join(self.root, data["incidents_dir"]) if "incidents_dir" in data else None
            ),
            webhook=data.get("incidents", {}).get("webhook"),
            policy=self._policy(),
            policy_given=data.get("policy", ""),
            policy_named_at=self._place(("policy",)) if "policy" in data else "",
            baseline=os.path.join(self.root, data["baseline"]) if "baseline" in data else None,
        )

    def _policy(self) -> str | None:
        """The config's policy file, which must exist (the policy's own problems are found
        when a runbook is laid over it)."""
        if "policy" not in self.data:
            return None
        path = os.path.join(self.root, self.data["policy"])
        if os.path.isdir(path):
            self._fail(("policy",), f"policy '{self.data['policy']}' is a folder, not a file")
        if not os.path.isfile(path):
            self._fail(
                ("policy",),
                f"policy file '{self.data['policy']}' not found; the path is relative to the "
                "config",
            )
        return path

    def _check_extends(self, reference: str, at: Path) -> None:
        """A ruleset that is neither built in nor a file is the config's mistake, shown here."""
        if reference in BUILTIN_RULESETS or os.path.isfile(os.path.join(self.root, reference)):
            return
        hint = did_you_mean(reference, BUILTIN_RULESETS)
        builtin = ", ".join(BUILTIN_RULESETS)
        self._fail(
            at, f"extends '{reference}': no built-in ruleset ({builtin}) or file of that name{hint}"
        )

    def _new_rules(self) -> dict[str, Rule]:
        """Whole rule definitions in the top-level ``rules``, checked like a ruleset's."""
        raw = {
            name: value
            for name, value in self.data.get("rules", {}).items()
            if isinstance(value, dict) and _NEW_RULE_KEYS & value.keys()
        }
        if not raw:
            return {}
        for name in raw.keys() & structural_rules().keys():
            self._fail_key(("rules", name), structural_message(name, "redefined"))
        # Same paths as in a ruleset (rules/NAME/...), so positions come from this file.
        wrapper = {"apiVersion": "icrunbook/v1", "kind": "Ruleset", "rules": raw}
        view = Document(self.document.path, self.document.text, wrapper, root=self.document.root)
        problems = validate_document(view, "ruleset")
        if problems:
            self._fail(("rules",), problems[0].message, problems[0].line, problems[0].column)
        return {
            name: rule_from_data(name, value, self._source(("rules", name)))
            for name, value in raw.items()
        }

    def _settings(
        self,
        raw: Mapping[str, Any],
        at: Path,
        rules: Mapping[str, Rule],
        functions: Mapping[str, FunctionSpec],
    ) -> dict[str, Setting]:
        settings = {}
        for name, value in raw.items():
            if isinstance(value, dict) and _NEW_RULE_KEYS & value.keys():
                if at != ("rules",):
                    self._fail((*at, name), "new rules are defined in the top-level rules only")
                continue  # a new rule: its own severity and option defaults apply
            rule = rules.get(name)
            if rule is None:
                self._fail_key((*at, name), f"unknown rule '{name}'{did_you_mean(name, rules)}")
                continue
            if rule.structural:
                self._fail_key((*at, name), structural_message(name, "turned off or changed"))
            setting = (
                Setting(severity_name(value))
                if isinstance(value, str | bool)
                else Setting(severity_name(value.get("severity")), value.get("options", {}))
            )
            self._check_options(rule, setting, (*at, name), functions)
            settings[name] = setting
        return settings

    def _check_options(
        self, rule: Rule, setting: Setting, at: Path, functions: Mapping[str, FunctionSpec]
    ) -> None:
        for option in setting.options:
            if option not in rule.options:
                known = ", ".join(rule.options) or "none"
                hint = did_you_mean(option, rule.options)
                message = (
                    f"rule '{rule.name}' has no option '{option}'{hint} (its options: {known})"
                )
                self._fail_key((*at, "options", option), message)
        if rule.stage is None:
            from icrunbook.rules.engine import RuleError, activate

            defaults = rule.option_defaults()
            for option, value in setting.options.items():  # one at a time, to point at the bad one
                try:
                    activate(rule, Severity.ERROR, {**defaults, option: value}, functions)
                except RuleError as error:
                    self._fail((*at, "options", option), f"rule '{rule.name}': {error.detail}")

    def _place(self, at: Path) -> str:
        span = self.document.locate(at)
        return f"{self.where}:{span.line}:{span.column}"

    def _source(self, at: Path) -> str:
        return f"{self.document.path}:{self.document.locate(at).line}"

    def _fail(self, at: Path, message: str, line: int = 0, column: int = 0) -> None:
        if not line:
            span = self.document.locate(at)
            line, column = span.line, span.column
        _raise_at(self.document, line, column, message, self.where)

    def _fail_key(self, at: Path, message: str) -> None:
        span = self.document.locate_key(at)
        _raise_at(self.document, span.line, span.column, message, self.where)

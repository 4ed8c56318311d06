"""The one module that imports durable-rules: register compiled rulesets, evaluate facts, unload.

durable-rules 2.0.28 is used as a synchronous matcher. Its defects, measured on this stack, and how each is
contained here:
- `durable.engine.Host` starts two timer threads that race with synchronous calls (segfaults, wrong
  answers): `_QuietHost._run` starts none, and every call into durable holds ONE process-wide lock (the C
  library's handle table is global, so a lock per host would not be enough).
- Asserting a fact that no rule matches leaves a state whose `delete_state` segfaults: every ruleset has a
  catch-all rule, so every fact is handled, and a state is deleted only once the catch-all has fired.
- At most 1,024 live states per ruleset: each evaluation asserts under a fresh sid and deletes its state.
- An event (`post`) is consumed by the first rule it matches: facts (`assert_fact`) only.
- An exception in an action is swallowed into `state["exception"]`: actions only record, and the returned
  state is checked.
- A ruleset name registers once and there is no public unregister: `unload` removes the private
  `_ruleset_directory` / `_ruleset_list` entries and calls `durable_rules_engine.delete_ruleset`.
- A name containing `$state` or `$flow` makes durable build a statechart: labels are sanitised.
Any exception durable raises becomes an EngineError; a wrong answer is never returned.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any as JsonAny

import durable_rules_engine
from durable import engine as durable_engine

from engine.errors import EngineError
from engine.facts import ValueType
from engine.rules.compiler import ALWAYS, CompiledRule, check_ruleset
from engine.rules.encoding import encode_facts
from engine.rules.values import FactTypes, FactValue

_LOCK = threading.Lock()
_SIDS = itertools.count(1)
_NAMES = itertools.count(1)
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._@/:-]")
CATCH_ALL = "handled"


class RulesEngineError(EngineError):
    """durable-rules failed; the evaluation has no answer."""

    code = "RULES_ENGINE_FAILURE"
    status = 500


@dataclass(frozen=True, slots=True, eq=False)
class RulesetHandle:
    """A loaded ruleset: its durable name, its rule ids and the typed facts an evaluation must supply."""

    name: str
    ruleIds: tuple[str, ...]
    facts: FactTypes


class _QuietHost(durable_engine.Host):  # type: ignore[misc]  # durable has no type hints
    """A durable Host without the timer threads: nothing here uses timers, and they race (see above)."""

    def _run(self) -> None:
        return None


class RuleHost:
    """Owns a durable Host; `evaluate` returns the ids of the rules whose condition holds for the facts."""

    def __init__(self) -> None:
        self._host = _QuietHost()
        self._loaded: dict[str, RulesetHandle] = {}
        # What the current evaluation's actions recorded; only touched under _LOCK.
        self._fired: set[str] = set()
        self._handled = 0

    def load(self, label: str, rules: Sequence[CompiledRule]) -> RulesetHandle:
        """Register `rules` as one durable ruleset under a unique name."""
        check_ruleset(rules)
        name = f"{_UNSAFE_NAME.sub('_', label)}#{next(_NAMES)}"
        definition: dict[str, JsonAny] = {CATCH_ALL: {"all": [{"m": ALWAYS}], "run": self._record_handled}}
        facts: dict[str, ValueType] = {}
        for index, rule in enumerate(rules):
            facts.update(rule.facts)
            for term_index, term in enumerate(rule.terms):
                # Generated names: a rule id may hold characters durable's JSON names would mangle.
                definition[f"r{index}t{term_index}"] = {"all": [{"m": term}], "run": self._recorder(rule.id)}
        handle = RulesetHandle(name, tuple(rule.id for rule in rules), facts)
        with _LOCK:
            try:
                self._host.register_rulesets({name: definition})
            except Exception as error:  # durable raises bare Exception and its own C error type
                raise RulesEngineError(f"durable-rules refused ruleset {label}: {error}") from error
            self._loaded[name] = handle
        return handle

    def evaluate(self, handle: RulesetHandle, facts: Mapping[str, FactValue | None]) -> frozenset[str]:
        """The ids of the rules of `handle` whose condition holds; a lacking or ill-typed fact is a FactError."""
        fact: dict[str, JsonAny] = dict(encode_facts(facts, handle.facts))
        with _LOCK:
            if self._loaded.get(handle.name) is not handle:
                raise RulesEngineError(f"ruleset {handle.name} is not loaded (unloaded already?)")
            sid = str(next(_SIDS))
            fact["sid"] = sid
            self._fired, self._handled = set(), 0
            try:
                state = self._host.assert_fact(handle.name, fact)
            except Exception as error:
                raise RulesEngineError(f"durable-rules failed evaluating {handle.name}: {error}") from error
            finally:
                self._delete_state(handle, sid)
            self._check(handle, state)
            return frozenset(self._fired)

    def unload(self, handle: RulesetHandle) -> None:
        """Free a ruleset in durable; unloading twice is harmless."""
        with _LOCK:
            if self._loaded.pop(handle.name, None) is None:
                return
            # durable has no public unregister; these private pieces are its registry.
            ruleset = self._host._ruleset_directory.pop(handle.name)
            self._host._ruleset_list.remove(ruleset)
            try:
                durable_rules_engine.delete_ruleset(ruleset._handle)
            except Exception as error:
                raise RulesEngineError(f"durable-rules failed unloading {handle.name}: {error}") from error

    def holds(self, handle: RulesetHandle) -> bool:
        """Whether durable's registry still holds the ruleset."""
        with _LOCK:
            return handle.name in self._host._ruleset_directory

    def _delete_state(self, handle: RulesetHandle, sid: str) -> None:
        # Only a handled fact's state can be deleted: deleting an unhandled one segfaults.
        if not self._handled:
            return
        try:
            self._host.delete_state(handle.name, sid)
        except Exception as error:
            raise RulesEngineError(
                f"durable-rules failed deleting a state of {handle.name}: {error}"
            ) from error

    def _check(self, handle: RulesetHandle, state: object) -> None:
        if self._handled != 1 or not isinstance(state, dict):
            raise RulesEngineError(
                f"durable-rules answered {handle.name} inconsistently (catch-all fired {self._handled} times)"
            )
        if "exception" in state:
            raise RulesEngineError(f"durable-rules action failed in {handle.name}: {state['exception']}")

    def _recorder(self, rule_id: str) -> Callable[[object], None]:
        # durable calls a one-argument action synchronously (it counts the arguments).
        def record(closure: object) -> None:
            self._fired.add(rule_id)

        return record

    def _record_handled(self, closure: object) -> None:
        self._handled += 1


_shared: RuleHost | None = None
_shared_lock = threading.Lock()


def shared_host() -> RuleHost:
    """The process's RuleHost; engines that are given no host share it."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = RuleHost()
        return _shared

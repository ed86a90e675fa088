"""Every write is on the record: walk every app's service modules and fail on a silent write.

Static, with ``ast``, so that a new app or a new service is covered without anyone remembering to
add it. A public function of ``gpvoice/<app>/services.py`` or ``gpvoice/<app>/services/*.py`` is
a *write* when it opens a transaction (``@transaction.atomic``, ``with transaction.atomic()``,
``audit.atomic_keeping``) or calls a model write (``.save()``, ``.create()``, ``.update()``,
``.delete()``, ``bulk_*``, ``*_or_create``). It must then *record*: call ``audit.record`` (or
``audit.record_refusal``, or ``kept.record`` inside ``audit.atomic_keeping``) itself, or call a
function that does: in its own module, or imported from another service module (followed through
re-exports, e.g. ``ballots.services`` → ``.drafting``). And it records *last*: no write of its own
after ``audit.record`` unless it locked first, as ADR 2's lock order says (chain head last).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WRITE_METHODS = frozenset(
    {"save", "create", "update", "delete", "bulk_create", "bulk_update", "update_or_create", "get_or_create"}
)
RECORDERS = frozenset({"record", "record_refusal"})

# Public functions that the walk takes for writes but are not write services, each with a
# comment saying why (a lock helper for the caller's transaction, say). Empty today: every function
# the walk calls a write is one. An entry here must be one the walk flags (see the test below).
NOT_WRITE_SERVICES: dict[str, str] = {
    "gpvoice.intake.services.common.set_status": "a step of the audited triage services that call it",
    "gpvoice.intake.services.common.save_request": (
        "a step of the audited services: saves the locked request and moves the kept monthly figures"
    ),
    "gpvoice.intake.services.files.store": "a step of the audited services that accept files",
    "gpvoice.intake.services.triage.officer_message": "a step of the audited answer and message services",
    "gpvoice.intake.services.submission.submit_with_link": (
        "an unconfirmed submission is not audited, so bots cannot grow the audit log; auditing starts "
        "when the requester confirms (intake.request.received; docs/adr/0007-single-point-of-access.md)"
    ),
}

# Write services known to record nothing (none today); test_known_silent_writes_are_still_silent
# says when an entry must leave the list.
KNOWN_SILENT_WRITES: set[str] = set()

# Known, reported to their owners in the trust issue: these take the chain head (audit.record)
# before a write of their own, against the lock order of ADR 2 (domain rows first, chain head
# last), without having locked the rows first. A delete records first to keep the row's id: lock
# the row (lock_row) before recording, or record after the delete with the id kept.
KNOWN_RECORDED_TOO_EARLY: set[str] = set()
# lock_group and lock_round are lock_row on the group's or round's row.
LOCKS = frozenset({"lock_row", "select_for_update", "lock_round", "lock_group"})


def service_paths() -> list[Path]:
    apps = ROOT / "gpvoice"
    return sorted([*apps.glob("*/services.py"), *apps.glob("*/services/*.py")])


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_atomic(node: ast.expr) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    return name in {"atomic", "atomic_keeping"}


@dataclass
class Function:
    qualname: str
    writes: bool = False
    records: bool = False
    records_too_early: bool = False  # audit.record, then a write, with nothing locked before
    calls: set[str] = field(default_factory=set)  # names and "alias.name" as written


@dataclass
class Module:
    name: str
    is_package: bool
    functions: dict[str, Function] = field(default_factory=dict)
    imports: dict[str, str] = field(default_factory=dict)  # local name -> "module" or "module:name"


def _absolute(module: Module, level: int, target: str | None) -> str:
    if not level:
        return target or ""
    base = module.name.split(".")
    base = base if module.is_package else base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, target] if target else base)


def _read_imports(module: Module, tree: ast.Module) -> None:
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            source = _absolute(module, node.level, node.module)
            for alias in node.names:
                module.imports[alias.asname or alias.name] = f"{source}:{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                module.imports[alias.asname or alias.name] = alias.name


def _kept_names(function: ast.FunctionDef) -> set[str]:
    """Names bound by ``with audit.atomic_keeping(...) as kept``: their ``.record`` records."""
    return {
        item.optional_vars.id
        for node in ast.walk(function)
        if isinstance(node, ast.With)
        for item in node.items
        if _is_atomic(item.context_expr) and isinstance(item.optional_vars, ast.Name)
    }


def _read_function(module: Module, node: ast.FunctionDef) -> Function:
    function = Function(qualname=f"{module.name}.{node.name}")
    function.writes = any(_is_atomic(decorator) for decorator in node.decorator_list)
    kept = _kept_names(node)
    for inner in ast.walk(node):
        if isinstance(inner, ast.With) and any(_is_atomic(item.context_expr) for item in inner.items):
            function.writes = True
        if not isinstance(inner, ast.Call):
            continue
        callee = inner.func
        if isinstance(callee, ast.Attribute):
            owner = callee.value.id if isinstance(callee.value, ast.Name) else ""
            if callee.attr in RECORDERS and (owner == "audit" or owner in kept):
                function.records = True
            elif callee.attr in WRITE_METHODS:
                function.writes = True
            if owner:
                function.calls.add(f"{owner}.{callee.attr}")
        elif isinstance(callee, ast.Name):
            function.calls.add(callee.id)
    function.records_too_early = _records_too_early(node)
    return function


def _records_too_early(node: ast.FunctionDef) -> bool:
    """Does it call audit.record before a write of its own, with no lock taken before the entry?

    Only calls written in the function itself count, in source order; ``kept.record`` is not an
    entry yet (atomic_keeping records it when the block ends).
    """
    records, writes, locks = [], [], []
    for inner in ast.walk(node):
        if not isinstance(inner, ast.Call):
            continue
        callee = inner.func
        name = callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", "")
        owner = getattr(getattr(callee, "value", None), "id", "")
        if name in RECORDERS and owner == "audit":
            records.append(inner.lineno)
        elif isinstance(callee, ast.Attribute) and name in WRITE_METHODS:
            writes.append(inner.lineno)
        elif name in LOCKS:
            locks.append(inner.lineno)
    if not records:
        return False
    first = min(records)
    return any(line > first for line in writes) and not any(line < first for line in locks)


def read_modules() -> dict[str, Module]:
    modules = {}
    for path in service_paths():
        module = Module(name=module_name(path), is_package=path.name == "__init__.py")
        tree = ast.parse(path.read_text(), filename=str(path))
        _read_imports(module, tree)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                module.functions[node.name] = _read_function(module, node)
        modules[module.name] = module
    return modules


def resolve(modules: dict[str, Module], module: Module, call: str, depth: int = 0) -> Function | None:
    """The service function a call written in ``module`` reaches, following imports and re-exports."""
    if depth > 5:
        return None
    owner, _, name = call.rpartition(".")
    if owner:  # alias.name: the alias must be an imported service module
        source = module.imports.get(owner, "").replace(":", ".")
        target = modules.get(source)
        return resolve(modules, target, name, depth + 1) if target else None
    if name in module.functions:
        return module.functions[name]
    source, _, original = module.imports.get(name, "").partition(":")
    target = modules.get(source)
    return resolve(modules, target, original or name, depth + 1) if target else None


def silent_writes(modules: dict[str, Module]) -> set[str]:
    """Public write functions that record nothing, themselves or through what they call."""
    records = {f.qualname for m in modules.values() for f in m.functions.values() if f.records}
    changed = True
    while changed:  # a caller of a recorder records: repeat until nothing new is learnt
        changed = False
        for module in modules.values():
            for function in module.functions.values():
                if function.qualname in records:
                    continue
                reached = (resolve(modules, module, call) for call in function.calls)
                if any(target is not None and target.qualname in records for target in reached):
                    records.add(function.qualname)
                    changed = True
    return {
        function.qualname
        for module in modules.values()
        for name, function in module.functions.items()
        if not name.startswith("_") and function.writes and function.qualname not in records
    }


def public_functions(modules: dict[str, Module]) -> set[str]:
    return {f.qualname for m in modules.values() for n, f in m.functions.items() if not n.startswith("_")}


# The walk ----------------------------------------------------------------------------------------


def test_the_walk_finds_every_apps_service_modules():
    names = set(read_modules())
    for app in ("accounts", "core", "directory", "governance", "ballots", "priorities"):
        assert any(name.startswith(f"gpvoice.{app}.services") for name in names), app
    assert "gpvoice.ballots.services.drafting" in names  # a package's modules too


def test_every_public_write_service_records_an_audit_entry():
    modules = read_modules()
    silent = silent_writes(modules) - set(NOT_WRITE_SERVICES) - KNOWN_SILENT_WRITES
    assert not silent, (
        "These write services record no audit entry: call audit.record(...) last in the "
        f"transaction (or list a non-write helper in NOT_WRITE_SERVICES, with why): {sorted(silent)}"
    )


def test_known_silent_writes_are_still_silent():
    """When a fix lands, this fails so that the entry leaves KNOWN_SILENT_WRITES with it."""
    fixed = KNOWN_SILENT_WRITES - silent_writes(read_modules())
    assert not fixed, f"Now recorded: remove from KNOWN_SILENT_WRITES: {sorted(fixed)}"


def recorded_too_early(modules: dict[str, Module]) -> set[str]:
    return {f.qualname for m in modules.values() for f in m.functions.values() if f.records_too_early}


def test_audit_entries_are_recorded_after_the_writes():
    early = recorded_too_early(read_modules()) - KNOWN_RECORDED_TOO_EARLY
    assert not early, (
        "These take the audit chain's head before writing (ADR 2: domain rows first, chain head "
        f"last): write first, then audit.record(...), or lock the rows first: {sorted(early)}"
    )


def test_known_early_recorders_still_record_early():
    """When a fix lands, this fails so that the entry leaves KNOWN_RECORDED_TOO_EARLY with it."""
    fixed = KNOWN_RECORDED_TOO_EARLY - recorded_too_early(read_modules())
    assert not fixed, f"Now in order: remove from KNOWN_RECORDED_TOO_EARLY: {sorted(fixed)}"


def test_the_lists_name_only_functions_the_walk_flags():
    modules = read_modules()
    named = set(NOT_WRITE_SERVICES) | KNOWN_SILENT_WRITES | KNOWN_RECORDED_TOO_EARLY
    stale = named - public_functions(modules)
    assert not stale, f"No such service function any more: {sorted(stale)}"
    needless = set(NOT_WRITE_SERVICES) - silent_writes(modules)
    assert not needless, f"Not flagged by the walk, so not needed in NOT_WRITE_SERVICES: {sorted(needless)}"


# The walk itself, on small examples, so that it cannot pass by seeing nothing ------------------


def walk(sources: dict[str, str]) -> set[str]:
    modules = {}
    for name, source in sources.items():
        module = Module(name=name, is_package=False)
        tree = ast.parse(source)
        _read_imports(module, tree)
        module.functions = {
            node.name: _read_function(module, node) for node in tree.body if isinstance(node, ast.FunctionDef)
        }
        modules[name] = module
    return silent_writes(modules)


@pytest.mark.parametrize(
    ("source", "silent"),
    [
        ("@transaction.atomic\ndef thing_save(*, x):\n    x.save()\n", True),
        ("def thing_save(*, x):\n    with transaction.atomic():\n        x.title = 'a'\n", True),
        ("def thing_save(*, x):\n    Thing.objects.filter(pk=1).update(title='a')\n", True),
        ("@transaction.atomic\ndef thing_save(*, x):\n    x.save()\n    audit.record(action='a')\n", False),
        ("def thing_read(*, x):\n    return Thing.objects.get(pk=x)\n", False),
        ("@transaction.atomic\ndef _helper(x):\n    x.save()\n", False),  # private: its callers answer
        (
            "def thing_save(*, x):\n    with audit.atomic_keeping(E) as kept:\n"
            "        kept.record(action='a')\n",
            False,
        ),
        ("def thing_save(*, x):\n    x.save()\n    other.record(action='a')\n", True),  # not the audit log
    ],
)
def test_the_walk_tells_a_silent_write(source, silent):
    assert bool(walk({"gpvoice.x.services": source})) is silent


@pytest.mark.parametrize(
    ("source", "early"),
    [
        ("def f(*, x):\n    x.save()\n    audit.record(action='a')\n", False),
        ("def f(*, x):\n    audit.record(action='a')\n    x.delete()\n", True),
        (
            "def f(*, x):\n    x = lock_row(X.objects.all(), pk=1)\n"
            "    audit.record(action='a')\n    x.delete()\n",
            False,
        ),
        (
            "def f(*, x):\n    with audit.atomic_keeping(E) as kept:\n"
            "        kept.record(action='a')\n        x.save()\n",
            False,
        ),
    ],
)
def test_the_walk_tells_an_entry_recorded_before_the_write(source, early):
    module = Module(name="gpvoice.x.services", is_package=False)
    [node] = ast.parse(source).body
    assert _read_function(module, node).records_too_early is early


def test_the_walk_follows_calls_within_a_module_and_across_modules():
    sources = {
        "gpvoice.x.services.a": (
            "from gpvoice.x.services.b import b_write\n"
            "from gpvoice.y import services as ys\n"
            "@transaction.atomic\ndef via_helper(*, x):\n    x.save()\n    _note(x)\n"
            "def _note(x):\n    audit.record(action='n')\n"
            "@transaction.atomic\ndef via_import(*, x):\n    b_write(x=x)\n"
            "@transaction.atomic\ndef via_alias(*, x):\n    ys.y_write(x=x)\n"
            "@transaction.atomic\ndef via_nothing(*, x):\n    x.delete()\n    _quiet(x)\n"
            "def _quiet(x):\n    return x\n"
        ),
        "gpvoice.x.services.b": "@transaction.atomic\ndef b_write(*, x):\n    audit.record(action='b')\n",
        "gpvoice.y.services": "from .inner import y_write\n",
        "gpvoice.y.inner": "@transaction.atomic\ndef y_write(*, x):\n    audit.record(action='y')\n",
    }
    assert walk(sources) == {"gpvoice.x.services.a.via_nothing"}

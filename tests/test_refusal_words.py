"""Every refusal code the app can give a person has its words in `app/messages.py`.

`error_text` falls back to "This request is not valid." for a code it does not know, so
a new code without words would reach people as that vague sentence, and no other test
would notice. This reads the source (with `ast`) for the codes the app refuses with:
the literal code given to a refusal (`IllegalMove`, any other `Refused` subclass, the
`code` of `BadPayload`, the problems of `InvalidAnswers`), to `error_ack`, `error_text`
and `refuse`, and to any function that passes one of its parameters on to these (a
"relay", e.g. `int_field(payload, key, code)`); a code held in a variable is followed
to the literals assigned to it, to the constants it names, and to the literals returned
by the function that gave it (`beyond_the_wall`).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.messages import ERRORS
from app.paths import ROOT

# Codes the app raises but never shows, each with why.
NEVER_SHOWN = {
    # Ten join-code collisions in a row (31**6 codes): `pragma: no cover` in
    # app/live/operations.py; the page would show the generic wording, which is enough.
    "no_free_code",
}

# Callables that take a code, by name, and where: the position of the code among the
# arguments a caller writes (a method's `self` not counted) and its keyword.
BASE = "Refused"
TAKERS_OF_CODE: dict[str, tuple[int, str]] = {
    "error_ack": (0, "code"),
    "error_text": (0, "code"),
    "refuse": (0, "code"),  # app/sockets/base.py: a refused connection
    "_refusal": (0, "code"),  # the socket guard's answer (app/doors.py `refusals`)
}


@dataclass
class _Source:
    trees: dict[Path, ast.Module]
    functions: dict[str, list[ast.FunctionDef]] = field(default_factory=lambda: defaultdict(list))
    constants: dict[str, ast.expr] = field(default_factory=dict)  # module level, by name
    parents: dict[ast.AST, ast.AST] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for tree in self.trees.values():
            for node in ast.walk(tree):
                for child in ast.iter_child_nodes(node):
                    self.parents[child] = node
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    self.functions[node.name].append(node)  # type: ignore[arg-type]
            for statement in tree.body:
                if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value:
                    targets = (
                        statement.targets
                        if isinstance(statement, ast.Assign)
                        else [statement.target]
                    )
                    for target in targets:
                        if isinstance(target, ast.Name):
                            self.constants[target.id] = statement.value

    def enclosing_function(self, node: ast.AST) -> ast.FunctionDef | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                return node  # type: ignore[return-value]
        return None


def _app_sources() -> _Source:
    paths = [p for p in (ROOT / "app").rglob("*.py") if "migrations" not in p.parts]
    return _Source({p: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(paths)})


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _refusal_classes(source: _Source) -> set[str]:
    found = {BASE}
    grew = True
    while grew:
        grew = False
        for tree in source.trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in found:
                    bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
                    if bases & found:
                        found.add(node.name)
                        grew = True
    return found


def _code_argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    for given in call.keywords:
        if given.arg == keyword:
            return given.value
    return call.args[position] if len(call.args) > position else None


def _parameters(function: ast.FunctionDef) -> list[str]:
    names = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
    return names[1:] if names[:1] in (["self"], ["cls"]) else names


def _takers(source: _Source) -> dict[str, tuple[int, str]]:
    """Every callable that takes a code: the refusals, the seeds, and their relays."""
    takers = dict(TAKERS_OF_CODE)
    for name in _refusal_classes(source):
        takers[name] = (0, "code")
    takers["BadPayload"] = (1, "code")  # BadPayload(what, code="bad_request")
    grew = True
    while grew:
        grew = False
        for call in _calls(source, takers):
            function = source.enclosing_function(call)
            argument = _code_argument(call, *takers[_called_name(call)])  # type: ignore[index]
            if function is None or not isinstance(argument, ast.Name):
                continue
            parameters = _parameters(function)
            if argument.id in parameters and function.name not in takers:
                takers[function.name] = (parameters.index(argument.id), argument.id)
                grew = True
    return takers


def _calls(source: _Source, takers: dict[str, tuple[int, str]]) -> Iterator[ast.Call]:
    for tree in source.trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called_name(node) in takers:
                yield node


def _literals(source: _Source, expr: ast.expr | None, where: ast.AST, depth: int = 0) -> set[str]:
    """The string literals an expression giving a code may hold."""
    if expr is None or depth > 5:
        return set()
    if isinstance(expr, ast.Constant):
        return {expr.value} if isinstance(expr.value, str) else set()
    if isinstance(expr, ast.Dict):  # InvalidAnswers: {(part, field): code}
        return set().union(*(_literals(source, v, where, depth + 1) for v in expr.values))
    if isinstance(expr, ast.IfExp):
        return _literals(source, expr.body, where, depth + 1) | _literals(
            source, expr.orelse, where, depth + 1
        )
    if isinstance(expr, ast.BoolOp):
        return set().union(*(_literals(source, v, where, depth + 1) for v in expr.values))
    if isinstance(expr, ast.Name):
        return _bound_to(source, expr.id, where, depth + 1)
    if isinstance(expr, ast.Attribute | ast.Subscript):
        return set()  # another refusal's code passed on (refused.code), or a lookup
    # Anything else (`next(code for code in REFUSALS if …)`): the constants it names.
    return set().union(
        *(
            _constant(source, n.id)
            for n in ast.walk(expr)
            if isinstance(n, ast.Name) and n.id in source.constants
        )
    )


def _constant(source: _Source, name: str) -> set[str]:
    """The strings of a module-level tuple, list or set (or `frozenset({...})`)."""
    value = source.constants[name]
    if isinstance(value, ast.Call) and value.args:
        value = value.args[0]
    if not isinstance(value, ast.Tuple | ast.List | ast.Set):
        return set()
    return {e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}


def _bound_to(source: _Source, name: str, where: ast.AST, depth: int) -> set[str]:
    """What a name holds where a code is given: the literals assigned to it (or into it,
    `problems[part, name] = "bad_field"`) in the same function, what the function that
    gave it returns, or the module constant it is."""
    function = source.enclosing_function(where)
    found: set[str] = set()
    if function is not None:
        for node in ast.walk(function):
            value = None
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    holder = target.value if isinstance(target, ast.Subscript) else target
                    if isinstance(holder, ast.Name) and holder.id == name:
                        value = node.value
            elif isinstance(node, ast.NamedExpr) and node.target.id == name:
                value = node.value
            if value is None:
                continue
            if isinstance(value, ast.Call) and _called_name(value) in source.functions:
                found |= _returned(source, _called_name(value))  # type: ignore[arg-type]
            else:
                found |= _literals(source, value, node, depth)
    if not found and name in source.constants:
        found = _constant(source, name)
    return found


def _returned(source: _Source, function_name: str) -> set[str]:
    found: set[str] = set()
    for function in source.functions[function_name]:
        for node in ast.walk(function):
            value = node.value if isinstance(node, ast.Return) else None
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.add(value.value)
    return found


def refusal_codes() -> dict[str, set[str]]:
    """Each code the app refuses with, and where (path:line)."""
    source = _app_sources()
    takers = _takers(source)
    where_of = {node: path for path, tree in source.trees.items() for node in ast.walk(tree)}
    codes: dict[str, set[str]] = defaultdict(set)
    for call in _calls(source, takers):
        argument = _code_argument(call, *takers[_called_name(call)])  # type: ignore[index]
        for code in _literals(source, argument, call):
            codes[code].add(f"{where_of[call].relative_to(ROOT)}:{call.lineno}")
    return codes


def test_the_scan_finds_the_codes_it_is_meant_to():
    codes = refusal_codes()
    assert {
        "session_ended",  # IllegalMove("…")
        "too_large",  # BadPayload(what, "too_large")
        "name_required",  # InvalidInput("…")
        "future_date",  # DateRefused(next(code for code in REFUSALS …))
        "in_another_group",  # beyond_the_wall's return, and InvalidAnswers' problems
        "answer_too_long",  # problems[part, name] = "…"
        "too_many_exports",  # a relay: _export_refused("…", 429)
        "too_fast",  # the socket guard: _answer(eio_sid, text, "too_fast")
    } <= set(codes)


def test_every_refusal_code_has_words():
    codes = refusal_codes()
    wordless = {
        code: sorted(where)
        for code, where in codes.items()
        if code not in ERRORS and code not in NEVER_SHOWN
    }
    assert wordless == {}, f"codes without words in app/messages.py ERRORS: {wordless}"


def test_every_code_said_to_be_never_shown_is_still_raised_and_has_no_words():
    codes = refusal_codes()
    assert set(codes) >= NEVER_SHOWN
    assert not NEVER_SHOWN & set(ERRORS)

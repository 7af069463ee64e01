"""The layering holds: imports flow one way, and surfaces reach state only through the one
entrance of each verb (habeas.dispatch.services), never a lower-level writer or the ORM."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Lowest first. An app may import its own layer's code and anything below, never above.
LAYERS = [
    {"lib"},
    {"notifications", "accounts", "guides", "photos"},
    {"stations"},
    {"lawyers"},
    {"cases"},
    {"dispatch"},
    {"timers"},  # an orchestrator beside dispatch: it opens cases through dispatch
    {"callbacks"},  # the hotline's call-back list: reads cases, writes only its own rows
    # The court stage (hearings, decisions, deadlines): beside dispatch like timers; it reads
    # cases, writes its own rows and timeline events, and tells lawyers through dispatch.
    {"court"},
    # Evidence files: sealed uploads of a case; reads cases and writes its own rows and the
    # case's "evidence received" event.
    {"evidence"},
    # Statistics: reads the anonymous envelope and events of cases and court; writes only its
    # own install count.
    {"stats"},
    # The Telegram bot: opens cases through dispatch like a surface, but owns its conversation
    # state; only the API's webhook and its own commands import it.
    {"bot"},
    # Operations: the health check and metrics read every app's counts, and write only the
    # workers' heartbeat, their turns and task rows left behind; nothing but the URLconf
    # imports it. Its worker runs dispatch's watchdog, and its protest-day drill (debug only)
    # sends reports through dispatch's and timers' entrances, so it sits above both.
    {"ops"},
    {"public", "api", "console"},
]
SURFACES = LAYERS[-1]
LAYER = {app: n for n, apps in enumerate(LAYERS) for app in apps}

# Writers that serve the verbs' entrances only.
WRITERS = {
    "habeas.cases.services": {
        "open_case",
        "transition",
        "forget_details",
        "record_event",
        "escalate",
        "purge_due",
        "forget_report",
    },
    "habeas.cases.merging": {"claim", "merge_cases", "split_report"},
    "habeas.dispatch.services": {"open_sos", "offer_next", "expire"},
}
ORM_WRITES = {"create", "update", "delete", "bulk_create", "get_or_create", "update_or_create"}


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if len(parts) < 2 or "tests" in parts or "migrations" in parts:
            continue
        found.append((parts[0], path))
    return found


def imported(tree: ast.AST) -> list[tuple[str, list[str], ast.AST]]:
    """(module, names imported from it, node) for every absolute import of the project."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "habeas":  # from habeas import cases
                out += [(f"habeas.{a.name}", [], node) for a in node.names]
            else:
                out.append((node.module, [a.name for a in node.names], node))
        elif isinstance(node, ast.Import):
            out += [(a.name, [], node) for a in node.names]
    return [(m, names, n) for m, names, n in out if m.startswith("habeas.")]


def upward_imports(app: str, tree: ast.AST) -> list[str]:
    wrong = []
    for module, _names, node in imported(tree):
        other = module.split(".")[1]
        if other == app or other not in LAYER:
            continue
        if LAYER[other] > LAYER[app] or (other in SURFACES and app in SURFACES):
            wrong.append(f"line {node.lineno}: {app} imports {module}")
    return wrong


def _chain(node: ast.AST) -> list[str]:
    """Attribute names along a receiver like Case.objects.filter(...).update."""
    names = []
    while isinstance(node, (ast.Attribute, ast.Call)):
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        else:
            node = node.func
    return names


def writer_calls(tree: ast.AST) -> list[str]:
    aliases: dict[str, str] = {}  # local name -> module it stands for
    wrong = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                aliases[alias.asname or alias.name] = full
                if alias.name in WRITERS.get(node.module, ()):
                    wrong.append(f"line {node.lineno}: imports the writer {full}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            module = aliases.get(node.value.id)
            if node.attr in WRITERS.get(module, ()):
                wrong.append(f"line {node.lineno}: calls the writer {module}.{node.attr}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method, receiver = node.func.attr, _chain(node.func.value)
            if method in ORM_WRITES and "objects" in receiver:
                wrong.append(f"line {node.lineno}: writes with the ORM ({method})")
            if method == "save" and not node.args:
                wrong.append(f"line {node.lineno}: saves a model instance")
    return wrong


@pytest.mark.parametrize(("app", "path"), modules(), ids=lambda v: str(v))
def test_no_module_imports_a_layer_above_its_own(app, path):
    assert app in LAYER, f"{app} is not placed in a layer: add it to LAYERS"
    assert upward_imports(app, ast.parse(path.read_text())) == []


@pytest.mark.parametrize(
    "path", [p for app, p in modules() if app in SURFACES], ids=lambda v: str(v)
)
def test_surfaces_change_state_only_through_the_entrances(path):
    assert writer_calls(ast.parse(path.read_text())) == []


def test_the_contract_catches_what_it_forbids():
    source = """
from habeas.cases import services as cases
from habeas.cases.services import forget_details
from habeas.console import views
from habeas.cases.models import Case

def view(request):
    cases.transition(1, "withdraw")
    Case.objects.filter(pk=1).update(status="closed")
    case.save()
"""
    tree = ast.parse(source)
    assert len(writer_calls(tree)) == 4
    assert upward_imports("dispatch", tree) == ["line 4: dispatch imports habeas.console"]
    assert len(upward_imports("api", tree)) == 1  # a surface importing another surface

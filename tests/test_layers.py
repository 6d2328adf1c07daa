"""The simulator's layers (docs/architecture.md): each module imports only its own layer or those below, with no
import circles, and the two halves of carebench, ``sim`` and ``qa``, never import each other (what both need
lives in ``carebench_shared``, which imports neither)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

LAYERS = {
    0: ["clock", "entities", "distributions", "random", "bounds"],
    1: ["scenario", "scenario.base", "scenario.demand", "scenario.customers", "scenario.workforce",
        "scenario.policy", "scenario.economics", "scenario.model", "ports"],
    2: ["arrivals", "queues", "staffing", "metrics", "tallies", "messages",
        "planning.erlang", "planning.grid", "planning.shifts", "planning.target"],
    3: ["volume", "intake", "customers", "policies", "routing", "planning.demand", "planning.fluid",
        "planning.roster"],
    4: ["assembly", "engine"],
    5: ["intervals", "results", "compare", "replylog", "budget",
        "planning.measure", "planning.requirement", "planning.rostering",
        "planning"],  # the package re-exports the requirement (layer 5)
    6: ["output", "loader", "parallel", "planning.report"],
}
LAYER = {name: layer for layer, names in LAYERS.items() for name in names}


def imports(path: Path, package: str) -> set[str]:
    """Modules imported by ``path`` (relative imports resolved inside ``package``), wherever the import
    statement is (lazy imports in functions count)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                out.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def sim_modules() -> dict[str, set[str]]:
    """Every module of ``sim`` (sub-packages dotted: ``planning.demand``; a sub-package's ``__init__`` by the
    package's name, ``scenario``) and the ``sim`` modules it imports. ``sim/__init__.py`` itself, the facade over
    every layer, is left out."""
    graph = {}
    for path in sorted((ROOT / "sim").rglob("*.py")):
        rel = path.relative_to(ROOT / "sim").with_suffix("")
        package = ".".join(("sim",) + rel.parts[:-1])
        parts = rel.parts[:-1] if path.stem == "__init__" else rel.parts
        if not parts:
            continue
        graph[".".join(parts)] = {m[len("sim."):] for m in imports(path, package) if m.startswith("sim.")}
    return graph


def test_every_sim_module_has_a_layer():
    assert set(sim_modules()) == set(LAYER), "place new modules in LAYERS (and in docs/architecture.md)"


def test_sim_modules_import_only_their_layer_or_below():
    wrong = [f"{mod} (layer {LAYER[mod]}) imports {dep} (layer {LAYER[dep]})"
             for mod, deps in sim_modules().items() for dep in deps if LAYER[dep] > LAYER[mod]]
    assert not wrong, wrong


def test_no_import_circles_in_sim():
    graph = sim_modules()
    state: dict[str, int] = {}

    def visit(mod: str, path: list[str]) -> None:
        state[mod] = 1
        for dep in sorted(graph[mod]):
            assert state.get(dep) != 1, "circle: " + " -> ".join(path + [dep])
            if dep not in state:
                visit(dep, path + [dep])
        state[mod] = 2

    for mod in graph:
        if mod not in state:
            visit(mod, [mod])


def test_scenario_parts_stay_inside_the_scenario_package():
    """``sim.scenario`` is one public module split into parts: sections import only ``base``, and callers
    everywhere else import the package, never a part (so the split can change without them)."""
    graph = sim_modules()
    sections = ["scenario.demand", "scenario.customers", "scenario.workforce", "scenario.policy",
                "scenario.economics"]
    wrong = [f"{mod} imports {dep}" for mod in sections for dep in graph[mod]
             if dep.startswith("scenario") and dep != "scenario.base"]
    for folder in ("sim", "qa", "batch", "carebench", "carebench_app", "tests", "benchmarks", "tools"):
        for path, mods in _imported_modules(folder).items():
            if not path.startswith("sim/scenario/"):
                wrong += [f"{path} imports {m}" for m in mods if m.startswith("sim.scenario.")]
    assert not wrong, wrong


def _imported_modules(folder: str) -> dict[str, set[str]]:
    out = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        pkg = ".".join(path.relative_to(ROOT).parent.parts)
        out[str(path.relative_to(ROOT))] = imports(path, pkg)
    return out


def _imported_packages(folder: str) -> dict[str, set[str]]:
    return {path: {m.split(".")[0] for m in mods} for path, mods in _imported_modules(folder).items()}


def test_sim_and_qa_never_import_each_other():
    sim_to_qa = [f for f, pkgs in _imported_packages("sim").items() if "qa" in pkgs]
    qa_to_sim = [f for f, pkgs in _imported_packages("qa").items() if "sim" in pkgs]
    assert not sim_to_qa and not qa_to_sim, (sim_to_qa, qa_to_sim)


# carebench's packages, bottom up: each imports only packages of a lower level (never its own level's others)
PACKAGE_LEVELS = {
    "carebench_shared": 0,  # reply schema, config loading, atomic outputs, safe text
    "sim": 1, "qa": 1,  # the two halves, side by side
    "batch": 2,  # experiments over the simulator
    "carebench": 3, "carebench_app": 3,  # the edges: CLI and app (the CLI starts the app)
}


def test_packages_import_only_lower_levels():
    wrong = []
    for pkg, level in PACKAGE_LEVELS.items():
        for path, deps in _imported_packages(pkg).items():
            for dep in deps & set(PACKAGE_LEVELS) - {pkg}:
                edges = level == PACKAGE_LEVELS[dep] == 3
                if PACKAGE_LEVELS[dep] >= level and not edges:
                    wrong.append(f"{path} ({pkg}, level {level}) imports {dep} (level {PACKAGE_LEVELS[dep]})")
    assert not wrong, wrong

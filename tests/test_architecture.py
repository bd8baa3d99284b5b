"""The layers import-linter enforces (pyproject.toml) name every module of the apps they split,
so a module added to boards/ or actionplans/ cannot sit outside the contract unnoticed."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _layers() -> list[set[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [contract] = config["tool"]["importlinter"]["contracts"]
    return [{name.strip() for name in layer.split(":")} for layer in contract["layers"]]


def _modules(app: str, nested: str) -> set[str]:
    found = set()
    for path in (ROOT / app).iterdir():
        name = path.stem if path.suffix == ".py" else path.name
        if name in ("__init__", nested, "__pycache__") or path.name.startswith("."):
            continue
        if path.suffix == ".py" or (path / "__init__.py").exists():
            found.add(f"{app}.{name}")
    return found


def test_every_module_of_the_register_and_action_plans_is_in_a_layer():
    named = set().union(*_layers())
    assert _modules("boards", "meetings") <= named
    assert _modules("actionplans", "dashboards") <= named


def test_the_layers_run_from_meetings_down_to_the_project_package():
    layers = _layers()
    assert layers[0] == {"boards.meetings"}
    assert layers[1] == {"actionplans.dashboards"}
    assert layers[2] == {"neighbourhoods"}
    assert "actionplans.quarters" in layers[3] and "actionplans.status" in layers[3]
    assert "boards.models" in layers[4]
    assert layers[-1] == {"leeds_communities"}

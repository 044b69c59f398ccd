"""Where the ontology (``zonekg.ttl``) and the SHACL shapes (``shapes.ttl``) live.

The files sit in the repository's top-level ``ontology/`` directory. An installed
wheel ships that directory as the package ``kg.ontology`` (see pyproject.toml), i.e.
next to this module; a source checkout has it one level up. We look in that order
so an installed package never picks up a stray checkout on the path.
"""
from __future__ import annotations

from pathlib import Path

ONTOLOGY_FILE = "zonekg.ttl"
SHAPES_FILE = "shapes.ttl"

# The ``kg`` package directory. Taken from this module rather than from
# ``kg.__file__`` because it is the same directory and it also works while ``kg``
# is imported as a namespace package (``kg.__file__`` is then None).
_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # kg/


def _candidates() -> list[Path]:
    return [
        _PACKAGE_DIR / "ontology",         # installed wheel: kg/ontology/
        _PACKAGE_DIR.parent / "ontology",  # source checkout: <repo>/ontology/
    ]


def _find(name: str) -> Path:
    for directory in _candidates():
        path = directory / name
        if path.is_file():
            return path
    searched = ", ".join(str(d) for d in _candidates())
    raise FileNotFoundError(
        f"zonekg cannot find {name}; looked in {searched}. "
        "Reinstall the package (the wheel ships it as kg/ontology/) "
        "or run from a checkout that has the ontology/ directory."
    )


def ontology_path() -> Path:
    """Path of the OWL ontology, ``zonekg.ttl``."""
    return _find(ONTOLOGY_FILE)


def shapes_path() -> Path:
    """Path of the SHACL shapes, ``shapes.ttl``."""
    return _find(SHAPES_FILE)

"""environment.yml (conda) and pyproject.toml (pip) name the same dependencies and Python."""
import re
import tomllib

import yaml
from packaging.specifiers import SpecifierSet

from analysis.config import ROOT


def package_name(requirement: str) -> str:
    """Return the normalised package name of a pip or conda requirement, extras and version dropped."""
    name = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement).group(1)
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def conda_requirements() -> list[str]:
    """Return every requirement in environment.yml, conda's and those under `pip:`."""
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    requirements = []
    for entry in environment["dependencies"]:
        requirements.extend(entry["pip"] if isinstance(entry, dict) else [entry])
    return requirements


def pyproject_names() -> set[str]:
    project = pyproject()
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements.extend(extra)
    return {package_name(requirement) for requirement in requirements}


def environment_names() -> set[str]:
    # python and pip are the environment itself, not dependencies of the package.
    return {package_name(requirement) for requirement in conda_requirements()} - {"python", "pip"}


def test_every_pyproject_dependency_is_in_environment_yml():
    assert pyproject_names() - environment_names() == set()


def test_every_environment_yml_dependency_is_in_pyproject():
    assert environment_names() - pyproject_names() == set()


def test_pyproject_requires_python_311_or_later():
    required = SpecifierSet(pyproject()["requires-python"])
    assert "3.11" in required and "3.10" not in required


def test_environment_yml_pins_python_311_or_later():
    (python,) = [r for r in conda_requirements() if package_name(r) == "python"]
    version = re.search(r"(\d+)\.(\d+)", python).groups()
    assert tuple(int(part) for part in version) >= (3, 11)

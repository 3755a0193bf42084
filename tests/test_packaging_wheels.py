"""The desktop app installs from wheels on the laptops managers use: Windows, macOS, Linux.

A dependency without a wheel for a platform means ``pip install keyacct-desktop`` needs a
compiler there (``sqlcipher3-binary`` had Linux wheels only, so installing failed on every
Windows laptop). These tests read PyPI's index the way pip does (the JSON simple API, PEP
691: every file of every release with its sha256) and match wheel tags against each target's
with ``packaging.tags``, as pip would on that machine. One request per package, side by
side: a few seconds, where a ``pip install --dry-run`` per target took minutes. They are
skipped, with the reason, only when PyPI cannot be reached.

They check that:
- every pin of the build lock (``requirements/build.txt``: what build.spec bundles) that
  applies to a target has a wheel for it on PyPI whose sha256 the lock lists;
- the newest release of each desktop dependency that pyproject.toml admits has a wheel for
  each target (pip prefers the newest release: a source-only one is a compiler on a laptop);
- the lock files still agree with ``pyproject.toml`` (``scripts/lock.sh`` writes them).
"""

from __future__ import annotations

import json
import re
import tomllib
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from packaging import tags
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PYPI = "https://pypi.org/simple"
#: The packages of the ``server`` extra: a desktop install must not pull any of them in.
SERVER_PACKAGES = {
    *("fastapi", "starlette", "uvicorn", "httptools", "uvloop", "psycopg", "prometheus-client"),
}
#: Compiled dependencies: their wheel must be built for the target, not ``none-any``.
COMPILED = (
    "sqlcipher3",
    "pyside6-essentials",
    "pyside6-pdf",
    "cryptography",
    "argon2-cffi-bindings",
)


@dataclass(frozen=True)
class Target:
    """A platform a manager's laptop (or the CI) runs: wheel tags and marker values."""

    name: str
    platforms: tuple[str, ...]
    python: str
    sys_platform: str
    machine: str

    def marker_environment(self) -> dict[str, str]:
        system = {"win32": "Windows", "darwin": "Darwin", "linux": "Linux"}[self.sys_platform]
        return {
            "sys_platform": self.sys_platform,
            "platform_system": system,
            "os_name": "nt" if self.sys_platform == "win32" else "posix",
            "platform_machine": self.machine,
            "python_version": self.python,
            "python_full_version": f"{self.python}.0",
            "implementation_name": "cpython",
            "platform_python_implementation": "CPython",
        }

    def python_version(self) -> tuple[int, int]:
        major, minor = self.python.split(".")
        return int(major), int(minor)

    @cache  # noqa: B019 (a handful of frozen targets)
    def supported_tags(self) -> frozenset[tags.Tag]:
        """The wheel tags pip accepts on the target, as ``packaging`` computes them."""
        version = self.python_version()
        interpreter = f"cp{version[0]}{version[1]}"
        platforms = list(self.platforms)
        return frozenset(
            [
                *tags.cpython_tags(version, platforms=platforms),
                *tags.compatible_tags(version, interpreter=interpreter, platforms=platforms),
            ]
        )

    def admits(self, requires_python: str | None) -> bool:
        return not requires_python or SpecifierSet(requires_python).contains(
            f"{self.python}.0", prereleases=True
        )


#: glibc 2.36 (Debian 12, the CI machine; PySide6 6.12 needs 2.34 or newer), down to the
#: legacy manylinux names; macOS versions as pip expands them (universal2 included).
LINUX = (
    *(f"manylinux_2_{minor}_x86_64" for minor in range(36, 16, -1)),
    *("manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"),
)
TARGETS = [
    Target("win_amd64-cp311", ("win_amd64",), "3.11", "win32", "AMD64"),
    Target("win_amd64-cp312", ("win_amd64",), "3.12", "win32", "AMD64"),
    Target("win_amd64-cp313", ("win_amd64",), "3.13", "win32", "AMD64"),
    Target(
        "macos_arm64-cp312", tuple(tags.mac_platforms((14, 0), "arm64")), "3.12", "darwin", "arm64"
    ),
    Target(
        "macos_x86_64-cp313",
        tuple(tags.mac_platforms((14, 0), "x86_64")),
        "3.13",
        "darwin",
        "x86_64",
    ),
    Target("linux_x86_64-cp311", LINUX, "3.11", "linux", "x86_64"),
]


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def desktop_requirements() -> list[Requirement]:
    return [Requirement(line) for line in project()["dependencies"]]


def read_lock(name: str) -> dict[str, tuple[str, Marker | None, set[str]]]:
    """``requirements/<name>.txt`` as {package: (version, marker, sha256 hashes)}."""
    text = (ROOT / "requirements" / f"{name}.txt").read_text(encoding="utf-8")
    pins: dict[str, tuple[str, Marker | None, set[str]]] = {}
    for entry in re.split(r"\n(?=[A-Za-z0-9])", text.replace("\\\n", " ")):
        line = entry.split("#", 1)[0].strip()
        match = re.match(r"([A-Za-z0-9._-]+)==(\S+)\s*(?:;\s*(.*?))?\s*((?:--hash=\S+\s*)*)$", line)
        if not match:
            continue
        package, version, marker, hashes = match.groups()
        digests = set(re.findall(r"--hash=sha256:([0-9a-f]{64})", hashes))
        pins[canonicalize_name(package)] = (version, Marker(marker) if marker else None, digests)
    return pins


def build_lock_pins(target: Target) -> dict[str, tuple[str, set[str]]]:
    """The pins of ``requirements/build.txt`` whose markers hold on ``target``."""
    environment = target.marker_environment()
    return {
        package: (version, hashes)
        for package, (version, marker, hashes) in read_lock("build").items()
        if marker is None or marker.evaluate(environment)
    }


@dataclass(frozen=True)
class Wheel:
    """One wheel file of a package on PyPI."""

    filename: str
    version: Version
    tags: frozenset[tags.Tag]
    sha256: str
    requires_python: str | None

    def installs_on(self, target: Target) -> bool:
        return bool(self.tags & target.supported_tags()) and target.admits(self.requires_python)


@dataclass
class Project:
    """A package's releases on PyPI: its wheels, and the versions that have any file."""

    wheels: list[Wheel]
    versions: set[Version]

    def newest(self, specifier: SpecifierSet, target: Target) -> Version:
        """The release pip would pick on ``target``: the newest final one the specifier
        admits whose files admit the target's Python (a release may be source-only)."""
        candidates = [
            version
            for version in self.versions
            if specifier.contains(version) and not version.is_prerelease
        ]
        admitted = {wheel.version for wheel in self.wheels if target.admits(wheel.requires_python)}
        # A source-only release has no wheel to tell its Python range: it counts.
        source_only = {version for version in candidates if version not in self.wheel_versions()}
        eligible = [version for version in candidates if version in admitted | source_only]
        assert eligible, f"no release admitted by {specifier} for {target.name}"
        return max(eligible)

    def wheel_versions(self) -> set[Version]:
        return {wheel.version for wheel in self.wheels}

    def wheels_for(self, version: Version, target: Target) -> list[Wheel]:
        return [
            wheel for wheel in self.wheels if wheel.version == version and wheel.installs_on(target)
        ]


def fetch_project(name: str) -> Project:
    """PyPI's JSON simple page of ``name`` (PEP 691), yanked files left out."""
    request = urllib.request.Request(
        f"{PYPI}/{name}/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        page = json.load(response)
    wheels: list[Wheel] = []
    versions: set[Version] = set()
    for item in page["files"]:
        if item.get("yanked"):
            continue
        filename = item["filename"]
        if filename.endswith(".whl"):
            try:
                _name, version, _build, wheel_tags = parse_wheel_filename(filename)
            except InvalidWheelFilename:
                continue
            wheels.append(
                Wheel(
                    filename,
                    version,
                    frozenset(wheel_tags),
                    item["hashes"].get("sha256", ""),
                    item.get("requires-python"),
                )
            )
            versions.add(version)
        elif filename.endswith((".tar.gz", ".zip")):
            stem = filename.removesuffix(".tar.gz").removesuffix(".zip")
            try:
                versions.add(Version(stem.rsplit("-", 1)[1]))
            except (IndexError, ValueError):
                continue
    return Project(wheels, versions)


@cache
def pypi_unreachable() -> str | None:
    """Why PyPI cannot be asked, or ``None`` when it can."""
    try:
        with urllib.request.urlopen(f"{PYPI}/sqlcipher3/", timeout=30) as response:
            response.read(1)
    except (urllib.error.URLError, OSError) as error:
        return f"PyPI unreachable ({error}): cannot check the wheels of the other platforms"
    return None


@pytest.fixture(scope="module")
def pypi() -> dict[str, Project]:
    """Every package the checks name, read from PyPI side by side (each waits on the net)."""
    if reason := pypi_unreachable():
        pytest.skip(reason)
    names = {canonicalize_name(requirement.name) for requirement in desktop_requirements()}
    names |= set(read_lock("build"))
    with ThreadPoolExecutor(max_workers=16) as pool:
        return dict(zip(sorted(names), pool.map(fetch_project, sorted(names)), strict=True))


@pytest.mark.parametrize("target", TARGETS, ids=lambda target: target.name)
def test_build_lock_pins_a_hashed_wheel_for_every_platform(
    target: Target, pypi: dict[str, Project]
) -> None:
    """``requirements/build.txt`` (the desktop app and PyInstaller): for ``target``, every
    package that applies there has a wheel on PyPI whose sha256 the lock lists."""
    pins = build_lock_pins(target)
    assert {"pyside6-essentials", "pyside6-pdf", "sqlcipher3", "reportlab", "cryptography"} <= set(
        pins
    )
    assert "pyside6-webengine" not in pins and "pyside6-addons" not in pins  # 438 MB unused
    missing: list[str] = []
    for package, (version, hashes) in pins.items():
        wheels = pypi[package].wheels_for(Version(version), target)
        hashed = [wheel for wheel in wheels if wheel.sha256 in hashes]
        if not hashed:
            missing.append(f"{package}=={version} ({len(wheels)} wheel(s), none hashed)")
        elif package in COMPILED:
            assert all(not w.filename.endswith("-none-any.whl") for w in hashed), hashed
    assert not missing, f"no locked wheel for {target.name}: {missing}"


@pytest.mark.parametrize("target", TARGETS, ids=lambda target: target.name)
def test_newest_admitted_release_of_each_desktop_dependency_has_a_wheel(
    target: Target, pypi: dict[str, Project]
) -> None:
    """pyproject's desktop dependencies, as a fresh ``pip install`` on ``target`` would pick
    them (the newest admitted release): each has a wheel there, compiled ones for it."""
    environment = target.marker_environment()
    source_only: list[str] = []
    for requirement in desktop_requirements():
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        package = canonicalize_name(requirement.name)
        version = pypi[package].newest(requirement.specifier, target)
        wheels = pypi[package].wheels_for(version, target)
        if not wheels:
            source_only.append(f"{package}=={version}")
        elif package in COMPILED:
            assert any(not w.filename.endswith("-none-any.whl") for w in wheels), wheels
    assert not source_only, f"no wheel for {target.name}: {source_only}"
    assert not SERVER_PACKAGES & {canonicalize_name(r.name) for r in desktop_requirements()}


def test_lock_files_agree_with_pyproject() -> None:
    """Every dependency of pyproject.toml is pinned, within its range, in the lock that
    installs it: re-run ``scripts/lock.sh`` after changing one."""
    extras = project()["optional-dependencies"]
    locks = {
        "build": [*desktop_requirements(), *map(Requirement, extras["build"])],
        "ci": [
            *desktop_requirements(),
            *map(Requirement, extras["test"]),
            *map(Requirement, extras["server"]),
            *map(Requirement, extras["build"]),
        ],
    }
    for lock, requirements in locks.items():
        pins = read_lock(lock)
        for requirement in requirements:
            name = canonicalize_name(requirement.name)
            assert name in pins, f"{name} is not in requirements/{lock}.txt: run scripts/lock.sh"
            version, _marker, hashes = pins[name]
            assert requirement.specifier.contains(version, prereleases=True), (lock, name, version)
            assert hashes, f"{name} has no hash in requirements/{lock}.txt"
    build = read_lock("build")
    assert not SERVER_PACKAGES & set(build), "the build lock (the bundle) has server packages"
    assert "sqlcipher3-binary" not in build

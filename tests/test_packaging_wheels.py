"""The desktop app installs from wheels on the laptops managers use: Windows, macOS, Linux.

A dependency without a wheel for a platform means ``pip install keyacct-desktop`` needs a
compiler there (``sqlcipher3-binary`` had Linux wheels only, so installing failed on every
Windows laptop). These tests ask PyPI, the way pip would on that machine, with
``pip install --dry-run --only-binary=:all: --platform P --python-version V``: only the
metadata is fetched, no wheel is downloaded. They are skipped, with the reason, only when
PyPI cannot be reached.

They also check the lock files (``requirements/*.txt``, written by ``scripts/lock.sh``):
that they still agree with ``pyproject.toml``, and that the build lock pins, for each target,
a wheel whose sha256 it lists.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPI = "https://pypi.org/simple"
#: The packages of the ``server`` extra: a desktop install must not pull any of them in.
SERVER_PACKAGES = {
    *("fastapi", "starlette", "uvicorn", "httptools", "uvloop", "psycopg", "prometheus-client"),
}


@dataclass(frozen=True)
class Target:
    """A platform a manager's laptop (or the CI) runs, as pip's options and marker values."""

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


#: glibc 2.36 (Debian 12, the CI machine; PySide6 6.10 needs 2.34 or newer). pip expands
#: macOS versions and manylinux2014 itself, but not manylinux_2_X.
LINUX = (*(f"manylinux_2_{minor}_x86_64" for minor in range(36, 16, -1)), "manylinux2014_x86_64")
TARGETS = [
    Target("win_amd64-cp311", ("win_amd64",), "3.11", "win32", "AMD64"),
    Target("win_amd64-cp312", ("win_amd64",), "3.12", "win32", "AMD64"),
    Target("win_amd64-cp313", ("win_amd64",), "3.13", "win32", "AMD64"),
    Target("macos_arm64-cp312", ("macosx_14_0_arm64",), "3.12", "darwin", "arm64"),
    Target("macos_x86_64-cp313", ("macosx_14_0_x86_64",), "3.13", "darwin", "x86_64"),
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


@cache
def pypi_unreachable() -> str | None:
    """Why PyPI cannot be asked, or ``None`` when it can."""
    try:
        with urllib.request.urlopen(f"{PYPI}/sqlcipher3/", timeout=30) as response:
            response.read(1)
    except (urllib.error.URLError, OSError) as error:
        return f"PyPI unreachable ({error}): cannot check the wheels of the other platforms"
    return None


@dataclass
class DryRun:
    """One ``pip install --dry-run`` against PyPI for a target: pip's answer."""

    target: Target
    returncode: int
    stderr: str
    report: dict | None

    def resolved(self) -> dict:
        """pip's JSON report; fails the test, with pip's reason, when nothing resolved."""
        assert self.returncode == 0, f"no wheels for {self.target.name}:\n{self.stderr[-3000:]}"
        assert self.report is not None
        return self.report


def pip_dry_run(target: Target, folder: Path, *arguments: str) -> DryRun:
    """``pip install --dry-run`` for ``target`` against PyPI alone (metadata only)."""
    # PyPI only: not this machine's pip configuration (extra indexes, local wheels).
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")
    if os.environ.get("PIP_CERT"):
        env["PIP_CERT"] = os.environ["PIP_CERT"]
    platforms = [option for platform in target.platforms for option in ("--platform", platform)]
    report = folder / "report.json"
    command = [
        *(sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet"),
        *("--only-binary=:all:", "--implementation", "cp", "--python-version", target.python),
        *platforms,
        *("--target", str(folder / "target"), "--index-url", PYPI),
        *("--report", str(report), *arguments),
    ]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    answer = json.loads(report.read_text(encoding="utf-8")) if result.returncode == 0 else None
    return DryRun(target, result.returncode, result.stderr, answer)


def build_lock_pins(target: Target) -> dict[str, tuple[str, set[str]]]:
    """The pins of ``requirements/build.txt`` whose markers hold on ``target``."""
    environment = target.marker_environment()
    return {
        package: (version, hashes)
        for package, (version, marker, hashes) in read_lock("build").items()
        if marker is None or marker.evaluate(environment)
    }


@pytest.fixture(scope="module")
def dry_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], DryRun]:
    """Every question to PyPI of this module, asked side by side (each waits on the network).

    Keys: ("fresh", target) resolves pyproject's desktop dependencies; ("lock", target)
    the build lock's pins with their hashes and without resolving.
    """
    if reason := pypi_unreachable():
        pytest.skip(reason)
    requirements = [str(requirement) for requirement in desktop_requirements()]
    jobs: dict[tuple[str, str], tuple[Target, Path, list[str]]] = {}
    for target in TARGETS:
        folder = tmp_path_factory.mktemp(f"fresh-{target.name}")
        jobs["fresh", target.name] = (target, folder, requirements)
        folder = tmp_path_factory.mktemp(f"lock-{target.name}")
        lines = [
            f"{package}=={version} " + " ".join(f"--hash=sha256:{digest}" for digest in hashes)
            for package, (version, hashes) in build_lock_pins(target).items()
        ]
        (folder / "pins.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        pins = ["--no-deps", "--require-hashes", "-r", str(folder / "pins.txt")]
        jobs["lock", target.name] = (target, folder, pins)
    with ThreadPoolExecutor(max_workers=6) as pool:
        futures = {
            key: pool.submit(pip_dry_run, target, folder, *arguments)
            for key, (target, folder, arguments) in jobs.items()
        }
        return {key: future.result() for key, future in futures.items()}


def wheel_names(report: dict) -> dict[str, str]:
    """{package: wheel file name} of what pip chose."""
    return {
        canonicalize_name(item["metadata"]["name"]): item["download_info"]["url"].rsplit("/", 1)[1]
        for item in report["install"]
    }


@pytest.mark.slow
@pytest.mark.parametrize("target", TARGETS, ids=lambda target: target.name)
def test_desktop_dependencies_resolve_to_wheels(
    target: Target, dry_runs: dict[tuple[str, str], DryRun]
) -> None:
    """pyproject's desktop dependencies, resolved fresh: a wheel for every package."""
    wheels = wheel_names(dry_runs["fresh", target.name].resolved())
    assert all(name.endswith(".whl") for name in wheels.values()), wheels
    assert {"pyside6", "sqlcipher3", "sqlalchemy", "reportlab", "cryptography"} <= set(wheels)
    assert not SERVER_PACKAGES & set(wheels), "a desktop install pulls in server packages"
    # The compiled ones are built for this platform, not a source build in disguise.
    for package in ("sqlcipher3", "pyside6-essentials", "cryptography", "argon2-cffi-bindings"):
        assert not wheels[package].endswith("-none-any.whl"), wheels[package]


@pytest.mark.slow
@pytest.mark.parametrize("target", TARGETS, ids=lambda target: target.name)
def test_build_lock_pins_a_hashed_wheel_for_every_platform(
    target: Target, dry_runs: dict[tuple[str, str], DryRun]
) -> None:
    """``requirements/build.txt`` (the desktop app and PyInstaller): for ``target``, every
    package that applies there has a wheel on PyPI whose sha256 the lock lists."""
    pins = build_lock_pins(target)
    report = dry_runs["lock", target.name].resolved()
    chosen = {
        canonicalize_name(item["metadata"]["name"]): item["download_info"]
        for item in report["install"]
    }
    assert set(chosen) == set(pins)
    for package, info in chosen.items():
        assert info["url"].endswith(".whl"), info["url"]
        assert info["archive_info"]["hashes"]["sha256"] in pins[package][1], package


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

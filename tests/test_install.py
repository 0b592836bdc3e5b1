"""A plain (non-editable) install works from any directory: the wheel carries corpus and prompts.

The wheel is built from a copy of the sources without network (`--no-build-isolation`, the
setuptools of this environment) and installed into a fresh venv under tmp_path. The fresh venv
sees the dependencies through a .pth file naming this environment's site-packages; .pth files
inside that directory are not processed, so the editable install of the repository stays out.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT

SOURCES = ("pyproject.toml", "README.md", "assistant", "corpus", "prompts")
PIP = ("-m", "pip", "--disable-pip-version-check", "--no-input")
DATA = {"corpus": "assistant/corpus_data", "prompts": "assistant/prompts_data"}
SITE_PACKAGES = "import sysconfig; print(sysconfig.get_path('purelib'))"
QUERY = "Een partner houdt informatie achter en ik weet niet of ik dat moet aankaarten"


def _run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=580,
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _repository_files(folder: str) -> set[str]:
    root = PROJECT_ROOT / folder
    return {
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel of the project, built from a clean copy of its sources."""
    work = tmp_path_factory.mktemp("build")
    source = work / "src"
    source.mkdir()
    for name in SOURCES:
        if (PROJECT_ROOT / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(PROJECT_ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(PROJECT_ROOT / name, source / name)
    dist = work / "dist"
    _run(
        sys.executable,
        *PIP,
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "--wheel-dir",
        dist,
        source,
        cwd=work,
    )
    (built,) = dist.glob("goedwerk-*.whl")
    return built


def test_the_wheel_carries_every_package_and_all_corpus_and_prompt_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    package = PROJECT_ROOT / "assistant"
    modules = {
        f"assistant/{path.relative_to(package).as_posix()}"
        for path in package.rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert modules <= names, sorted(modules - names)
    for folder, inside in DATA.items():
        wanted = {f"{inside}/{name}" for name in _repository_files(folder)}
        assert wanted and wanted <= names, sorted(wanted - names)


def test_goedwerk_match_works_from_another_directory_after_a_plain_install(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    _run(python, *PIP, "install", "--no-deps", "--no-index", wheel, cwd=tmp_path)

    # Written after the install, so pip does not see (and offer to replace) our goedwerk.
    fresh = Path(_run(python, "-c", SITE_PACKAGES, cwd=tmp_path).strip())
    ours = dict.fromkeys(sysconfig.get_path(key) for key in ("purelib", "platlib"))
    (fresh / "goedwerk_test_dependencies.pth").write_text("\n".join(ours) + "\n")

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GOEDWERK_", "PYTHON", "VIRTUAL_ENV"))
    }
    env.update(HF_HUB_OFFLINE="1", GOEDWERK_DATA_DIR=str(tmp_path / "data"))
    where = _run(python, "-c", "import assistant; print(assistant.__file__)", cwd=tmp_path, env=env)
    assert Path(where.strip()).is_relative_to(fresh)

    # The first match builds the index with the bundled model: about two CPU-minutes.
    out = _run(venv / "bin" / "goedwerk", "match", QUERY, "--k", "1", cwd=tmp_path, env=env)
    assert out.startswith("1. [")
    assert "bron:" in out

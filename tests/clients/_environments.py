"""Build and cache the environments of third-party SLS clients, once per machine.

Each client is installed unmodified from its registry, at a pinned version, into its own directory
under ``$XDG_CACHE_HOME/aliyun-log-sdk-tests/clients/`` (default ``~/.cache/...``): a Node
``node_modules`` tree (``npm install --prefix``) or a Python virtual environment (``pip``). A build
happens in a staging directory that is renamed into place only when it works, under a file lock,
so parallel test runs and several checkouts share one copy and never see half an environment.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
import venv
from pathlib import Path
from typing import Callable

import pytest

#: pinned client versions (the environment directory names carry them, so a new pin is a new build)
NODE_PACKAGES = ("@alicloud/log@1.2.6", "@alicloud/sls20201230@5.9.0")
GENERATED_PYTHON_PACKAGES = ("alibabacloud_sls20201230==5.15.1",)
PRODUCER_PACKAGES = ("aliyun-log-producer==0.1.2",)
CLI_PACKAGE = "aliyun-log-cli==0.2.10"
#: what aliyun-log-cli needs besides the SDK (its declared requirements, plus ``six``, which it
#: imports without declaring it: the official SDK used to bring it along)
CLI_OTHER_REQUIREMENTS = ("jmespath", "docopt", "aliyun-python-sdk-core", "aliyun-python-sdk-sts", "six")

#: the repository root (installed into the CLI's environment)
REPOSITORY = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT = 900
_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


class Unavailable(Exception):
    """The environment cannot be built here (no network, no node, registry error)."""


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/aliyun-log-sdk-tests/clients`` (``~/.cache`` without XDG_CACHE_HOME)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "aliyun-log-sdk-tests" / "clients"


def clean_env(*, keep_proxies: bool = False, **extra: str) -> dict[str, str]:
    """This process's environment without Python or Node settings that would leak into a child.

    Proxy variables are kept only for builds (a registry may need them); a client under test gets
    exactly the proxy setting its test gives it.
    """
    # NODE_EXTRA_CA_CERTS and friends stay: npm may need them to reach its registry.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k not in ("NODE_PATH", "NODE_OPTIONS")}
    if not keep_proxies:
        for name in _PROXY_VARIABLES:
            env.pop(name, None)
            env.pop(name.upper(), None)
    env.update(extra)
    return env


def unavailable(what: str, reason: str) -> None:
    """Skip the test, or fail it under ``CI`` where every client environment is required."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required under CI but unavailable: {reason}", pytrace=False)
    pytest.skip(f"{what} unavailable: {reason}")


def venv_python(directory: Path) -> Path:
    return directory / "bin" / "python"


def _run(command: list[str], what: str, **kwargs: object) -> str:
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT,
            env=clean_env(keep_proxies=True),
            cwd=tempfile.gettempdir(),
            **kwargs,  # type: ignore[call-overload]
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise Unavailable(f"{what}: {exc}") from exc
    if done.returncode != 0:
        raise Unavailable(f"{what} failed (exit {done.returncode}):\n{(done.stderr or done.stdout)[-3000:]}")
    return str(done.stdout)


def _probe(command: list[str], env: dict[str, str]) -> bool:
    try:
        done = subprocess.run(command, capture_output=True, timeout=120, env=env, cwd=tempfile.gettempdir())
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def ensure(name: str, build: Callable[[Path], None], healthy: Callable[[Path], bool]) -> Path:
    """The cached environment ``name``, built by ``build(staging_dir)`` when missing or broken."""
    root = cache_root()
    target = root / name
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise Unavailable(f"cannot create {root}: {exc}") from exc
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if healthy(target):
            return target
        staging = target.with_name(target.name + ".building")
        shutil.rmtree(staging, ignore_errors=True)
        try:
            build(staging)
            if not healthy(staging):
                raise Unavailable(f"the freshly built {name} does not work")
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
        if not healthy(target):  # a venv records its path: it must work where it now lies
            raise Unavailable(f"{name} stopped working after moving it into {target}")
    return target


# ------------------------------------------------------------------------------------ the builders


def node_modules() -> Path:
    """``node_modules`` of the pinned Node SDKs (needs ``node`` and ``npm`` on PATH)."""
    if not shutil.which("node") or not shutil.which("npm"):
        raise Unavailable("node and npm are not on PATH")

    def build(staging: Path) -> None:
        staging.mkdir(parents=True)
        # --prefix makes staging the project; --ignore-scripts: both SDKs are plain JavaScript.
        _run(
            ["npm", "install", "--prefix", str(staging), "--no-audit", "--no-fund", "--ignore-scripts", *NODE_PACKAGES],
            "npm install " + " ".join(NODE_PACKAGES),
        )

    def healthy(directory: Path) -> bool:
        check = "; ".join(
            f"if (require('{spec.rsplit('@', 1)[0]}/package.json').version !== '{spec.rsplit('@', 1)[1]}') "
            "process.exit(3)"
            for spec in NODE_PACKAGES
        )
        env = clean_env(NODE_PATH=str(directory / "node_modules"))
        return (directory / "node_modules").is_dir() and _probe(["node", "-e", check], env)

    return ensure("node-" + "-".join(s.replace("/", "_").replace("@", "") for s in NODE_PACKAGES), build, healthy) / (
        "node_modules"
    )


def _python_venv(name: str, installs: list[list[str]], probe: str) -> Path:
    def build(staging: Path) -> None:
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(staging)
        except (OSError, subprocess.SubprocessError) as exc:
            raise Unavailable(f"python -m venv: {exc}") from exc
        for arguments in installs:
            pip = [str(venv_python(staging)), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
            _run(pip + arguments, "pip install " + " ".join(arguments))

    def healthy(directory: Path) -> bool:
        python = venv_python(directory)
        return python.exists() and _probe([str(python), "-I", "-c", probe], clean_env())

    return venv_python(ensure(name, build, healthy))


def generated_python() -> Path:
    """Interpreter of a venv with the generated OpenAPI SDK ``alibabacloud_sls20201230``."""
    probe = (
        "import importlib.metadata as m, alibabacloud_sls20201230.client, alibabacloud_tea_openapi; "
        "assert m.version('alibabacloud_sls20201230') == '5.15.1'"
    )
    return _python_venv("generated-python-sls20201230-5.15.1", [list(GENERATED_PYTHON_PACKAGES)], probe)


def producer_python() -> Path:
    """Interpreter of a venv with the Rust producer bindings ``aliyun-log-producer``."""
    probe = "import aliyun_log_producer as p; assert p.__version__ == '0.1.2', p.__version__"
    return _python_venv("rust-producer-0.1.2", [list(PRODUCER_PACKAGES)], probe)


def cli_python() -> Path:
    """Interpreter of a venv with ``aliyun-log-cli`` (``--no-deps``) on this repository's package.

    The CLI pins ``aliyun-log-python-sdk>=0.8.11,<0.10.0``; this package is installed beside it
    (pip reports the version conflict and installs anyway), so the CLI imports our ``aliyun.log``.
    Tests put the checkout first on ``PYTHONPATH``, so edits are tested without a rebuild.
    """

    def install_repository(staging: Path) -> None:
        # Build from a copy: an in-tree setuptools build would leave build/ in the checkout.
        with tempfile.TemporaryDirectory(prefix="sls-sdk-src-") as copy:
            for item in ("aliyun", "setup.py", "pyproject.toml", "README.md", "LICENSE"):
                source = REPOSITORY / item
                if source.is_dir():
                    shutil.copytree(source, Path(copy) / item, ignore=shutil.ignore_patterns("__pycache__"))
                elif source.exists():
                    shutil.copy2(source, Path(copy) / item)
            pip = [str(venv_python(staging)), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
            _run([*pip, copy], "pip install <this repository>")

    def build(staging: Path) -> None:
        venv.EnvBuilder(with_pip=True, clear=True).create(staging)
        pip = [str(venv_python(staging)), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        _run([*pip, "--no-deps", CLI_PACKAGE], f"pip install --no-deps {CLI_PACKAGE}")
        _run([*pip, *CLI_OTHER_REQUIREMENTS], "pip install " + " ".join(CLI_OTHER_REQUIREMENTS))
        install_repository(staging)

    probe = (
        "import importlib.metadata as m, aliyunlogcli.cli, aliyun.log; "
        "assert m.version('aliyun-log-cli') == '0.2.10'; assert 'site-packages' in aliyun.log.__file__"
    )

    def healthy(directory: Path) -> bool:
        python = venv_python(directory)
        return python.exists() and _probe([str(python), "-I", "-c", probe], clean_env())

    return venv_python(ensure("aliyun-log-cli-0.2.10", build, healthy))

"""Packaging for aliyun-log-python-sdk: the SDK (core dependencies only) and its emulator (extra)."""

import os
import platform
import re
import sys

from setuptools import Extension, find_packages, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))


def read_version() -> str:
    with open(os.path.join(HERE, "aliyun", "log", "version.py"), encoding="utf-8") as handle:
        match = re.search(r"__version__\s*=\s*['\"]([^'\"]+)['\"]", handle.read())
    if not match:
        raise RuntimeError("version not found")
    return match.group(1)


def read_readme() -> str:
    with open(os.path.join(HERE, "README.md"), encoding="utf-8") as handle:
        return handle.read()


CORE = [
    "requests>=2.25",
    # imported directly by the optional fast transport (aliyun.log.Urllib3Transport)
    "urllib3>=1.26",
    "protobuf>=4.21",
    "lz4>=3.1",
    "python-dateutil>=2.8",
]
# zstandard 0.23 and later need a newer cffi than the one PyPy 3.9 comes with (7.3.11: 1.15), and
# then install without their backend, so that `import zstandard` fails.
ZSTANDARD = [
    "zstandard>=0.18; platform_python_implementation != 'PyPy' or python_version >= '3.10'",
    "zstandard>=0.18,<0.23; platform_python_implementation == 'PyPy' and python_version < '3.10'",
]
EXTRAS = {
    "zstd": ZSTANDARD,
    # JMESPath filters of the ETL engine (aliyun.log.etl_core: JSON(jmes=...), SPLIT(jmes=...))
    "etl": ["jmespath>=0.10"],
    # the Elasticsearch migration (aliyun.log.es_migration)
    "es": ["elasticsearch>=8"],
    # pytz: DuckDB 1.x needs it to hand TIMESTAMP WITH TIME ZONE results to Python (SQL date functions)
    "emulator": ["waitress>=2.1", "duckdb>=1.0", "sqlglot>=25", *ZSTANDARD, "pytz>=2020.1"],
    # the emulator's HTTPS mode generates its certificates with it; 43 is its last release with
    # wheels for PyPy 3.9 (later ones would need a Rust toolchain there)
    "tls": [
        "cryptography>=3.1; platform_python_implementation != 'PyPy' or python_version >= '3.10'",
        "cryptography>=3.1,<44; platform_python_implementation == 'PyPy' and python_version < '3.10'",
    ],
}
# DuckDB has no PyPy build: there the tests run their emulators under CPython (tests/_remote_emulator.py).
NO_PYPY_BUILD = {"duckdb>=1.0"}
EXTRAS["test"] = sorted(
    f'{requirement}; platform_python_implementation == "CPython"' if requirement in NO_PYPY_BUILD else requirement
    for requirement in set(EXTRAS["emulator"])
    | set(EXTRAS["tls"])
    | set(EXTRAS["etl"])
    | set(EXTRAS["es"])
    | {"pytest>=7", "pytest-xdist>=3", "hypothesis>=6", "responses>=0.17", "requests-mock>=1.9", "playwright>=1.40"}
    # tests/unit/test_codec_asan.py builds the extension; virtual environments of Python 3.12+ come without it
    | {"setuptools>=61"}
)


class OptionalBuildExt(build_ext):
    """Build the native codec if possible; a failed compile only means the pure-Python codec is used."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # no compiler, no headers, ...: the package works without it
            self._skip(exc)

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:
            self._skip(exc)

    @staticmethod
    def _skip(exc: Exception) -> None:
        sys.stderr.write(f"warning: native codec not built ({exc}); the pure-Python codec will be used\n")


def native_extensions() -> list:
    """The C codec, on CPython only, unless ``ALIYUN_LOG_NO_EXTENSION=1``."""
    if platform.python_implementation() != "CPython" or os.environ.get("ALIYUN_LOG_NO_EXTENSION") == "1":
        return []
    folder = os.path.join("aliyun", "log", "_codec", "_native_src")
    sources = [os.path.join(folder, name) for name in ("module.c", "encode.c", "decode.c", "lz4.c", "view.c", "view_types.c")]
    return [
        Extension(
            "aliyun.log._codec._speedups",
            sources=sources,
            depends=[os.path.join(folder, name) for name in ("codec.h", "wire.h", "view.h")],
            optional=True,
        )
    ]


setup(
    name="aliyun-log-python-sdk",
    version=read_version(),
    description="Python SDK for Alibaba Cloud Log Service (SLS), with a local SLS emulator",
    long_description=read_readme(),
    long_description_content_type="text/markdown",
    license="MIT",
    python_requires=">=3.9",
    packages=find_packages(include=["aliyun", "aliyun.*"]),
    package_data={
        "aliyun.log": ["py.typed"],
        "aliyun.log._codec": ["_speedups.pyi"],
        "aliyun.log.emulator.console": ["static/*"],
    },
    ext_modules=native_extensions(),
    cmdclass={"build_ext": OptionalBuildExt},
    install_requires=CORE,
    extras_require=EXTRAS,
    entry_points={
        "console_scripts": ["sls-emulator=aliyun.log.emulator.__main__:main"],
        # Loads without the emulator extra too: the fixtures are then simply not defined.
        "pytest11": ["aliyun_log_emulator = aliyun.log.emulator.pytest_plugin"],
    },
    classifiers=[
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: Implementation :: CPython",
        "Programming Language :: Python :: Implementation :: PyPy",
        "License :: OSI Approved :: MIT License",
    ],
)

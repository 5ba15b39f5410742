# Sourced by .ci/run: finds (or installs) every supported interpreter and puts it on PATH for tox.
#
#   CPython 3.9 ... 3.13: a python3.X already on PATH, else the newest pyenv build
#     ($PYENV_ROOT/versions/3.X.*, default ~/.pyenv), linked into a private directory put first
#     on PATH (only python3.X names: python3 and pip keep meaning the main interpreter);
#   PyPy3: pypy3 on PATH, else Debian's pypy3 and pypy3-dev (headers, to build lz4) from apt.
#
# The main interpreter ($PYTHON) is left out: tox's `py` env runs the whole suite on it.
# Sets CI_PYTHON_ENVS (tox envs to run, in order) and CI_MISSING_PYTHONS (what could not be
# found: .ci/run fails then, after running the others). With CI_DRY_RUN=1 nothing is installed.
# shellcheck shell=bash

CI_PYTHON_ENVS=()
CI_MISSING_PYTHONS=()
_ci_main_env="$("$PYTHON" -c 'import sys; print("py%d%d" % sys.version_info[:2])')"
_ci_pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
CI_PYTHONS_BIN="$(mktemp -d "${TMPDIR:-/tmp}/ci-pythons.XXXXXX")"

_ci_is_cpython() {
  "$1" -c 'import platform, sys; sys.exit(platform.python_implementation() != "CPython")' >/dev/null 2>&1
}

for _ci_minor in 9 10 11 12 13; do
  _ci_name="python3.$_ci_minor"
  _ci_env="py3$_ci_minor"
  if [ "$_ci_env" = "$_ci_main_env" ]; then
    echo "ci: $_ci_env is the main interpreter ($PYTHON): covered by tox's py env"
    continue
  fi
  _ci_found=""
  if command -v "$_ci_name" >/dev/null 2>&1 && _ci_is_cpython "$(command -v "$_ci_name")"; then
    _ci_found="$(command -v "$_ci_name")"
  else
    # the newest patch release pyenv has of this minor version
    _ci_found="$(ls -d "$_ci_pyenv_root"/versions/3."$_ci_minor".*/bin/"$_ci_name" 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -n "$_ci_found" ] && _ci_is_cpython "$_ci_found"; then
      ln -s "$_ci_found" "$CI_PYTHONS_BIN/$_ci_name"
    else
      _ci_found=""
    fi
  fi
  if [ -n "$_ci_found" ]; then
    echo "ci: $_ci_env -> $_ci_found"
    CI_PYTHON_ENVS+=("$_ci_env")
  else
    CI_MISSING_PYTHONS+=("$_ci_env (no $_ci_name on PATH or in $_ci_pyenv_root/versions)")
  fi
done

_ci_need_pypy=0
if ! command -v pypy3 >/dev/null 2>&1; then
  _ci_need_pypy=1
elif command -v dpkg >/dev/null 2>&1 && [ "$(command -v pypy3)" = /usr/bin/pypy3 ] && ! dpkg -s pypy3-dev >/dev/null 2>&1; then
  _ci_need_pypy=1 # Debian's pypy3 without its headers: lz4 has no PyPy wheel to install instead
fi
if [ "$_ci_need_pypy" = 1 ]; then
  if [ "${CI_DRY_RUN:-0}" = 1 ]; then
    echo "ci: would install pypy3 pypy3-dev with apt-get"
  elif command -v apt-get >/dev/null 2>&1; then
    _ci_sudo=""
    if [ "$(id -u)" -ne 0 ]; then _ci_sudo="sudo"; fi
    echo "ci: installing Debian's pypy3 and pypy3-dev"
    $_ci_sudo apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive $_ci_sudo apt-get install -y -qq pypy3 pypy3-dev >/dev/null || true
  fi
fi
if command -v pypy3 >/dev/null 2>&1 || { [ "${CI_DRY_RUN:-0}" = 1 ] && [ "$_ci_need_pypy" = 1 ]; }; then
  echo "ci: pypy3 -> $(command -v pypy3 || echo '(to be installed)')"
  CI_PYTHON_ENVS+=("pypy3")
else
  CI_MISSING_PYTHONS+=("pypy3 (not on PATH, and apt-get could not install it)")
fi

export PATH="$CI_PYTHONS_BIN:$PATH"
unset _ci_minor _ci_name _ci_env _ci_found _ci_need_pypy _ci_sudo

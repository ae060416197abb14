#!/usr/bin/env bash
# The cluster bench in one command from a fresh clone (as root: it runs PostgreSQL as the
# postgres user and nginx). Options go to run.py: bench/cluster/run.sh --help
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/pip install -q ".[test,load]"
fi
command -v nginx >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx
exec .venv/bin/python bench/cluster/run.py "$@"

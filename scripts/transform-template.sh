#!/usr/bin/env bash
# Runs the real SAM transform on template.yaml: scripts/transform-template.sh OUT_DIR VARIANT...
# (see transform-template.py for the variants). Uses the Python that has aws-sam-translator and cfn-lint (which
# installs it), and fails, saying so, when there is none: a skipped transform must never look like a pass.
set -euo pipefail
cd "$(dirname "$0")/.."
has_translator() { "$1" -c 'import samtranslator, cfnlint.decode' >/dev/null 2>&1; }
python=""
# pip and pyenv install it outside the default PATH of a non-login shell (as CI runs): look there too.
for candidate in python3 python "$HOME/.pyenv/shims/python3" "$HOME/.local/bin/python3" /usr/local/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && has_translator "$candidate"; then
    python=$candidate
    break
  fi
done
if [ -z "$python" ]; then
  echo "error: no Python with aws-sam-translator and cfn-lint found, so the SAM transform of template.yaml was NOT checked. Install them (pip install cfn-lint, which brings aws-sam-translator) and rerun." >&2
  exit 1
fi
exec "$python" scripts/transform-template.py "$@"

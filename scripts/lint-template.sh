#!/usr/bin/env bash
# Lints template.yaml with cfn-lint (which also expands the SAM transform). Fails on errors and on warnings
# (a justified warning is silenced in the template's Metadata, next to its reason), and fails, saying so,
# when cfn-lint is not installed: a skipped lint must never look like a pass.
set -euo pipefail
cd "$(dirname "$0")/.."
# pip and pyenv install it outside the default PATH of a non-login shell (as CI runs): look there too.
for dir in "$HOME/.pyenv/shims" "$HOME/.local/bin" /usr/local/bin; do
  command -v cfn-lint >/dev/null 2>&1 && break
  [ -x "$dir/cfn-lint" ] && PATH="$PATH:$dir"
done
if ! command -v cfn-lint >/dev/null 2>&1; then
  echo "error: cfn-lint is not installed, so template.yaml was NOT linted. Install it (pip install cfn-lint) and rerun." >&2
  exit 1
fi
echo "lint: $(cfn-lint --version 2>&1) on template.yaml" >&2
if ! cfn-lint --non-zero-exit-code warning template.yaml; then
  echo "error: cfn-lint found problems in template.yaml (listed above)" >&2
  exit 1
fi
echo "lint: template.yaml has no cfn-lint errors or warnings" >&2

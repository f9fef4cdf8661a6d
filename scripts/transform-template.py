"""Runs the real SAM transform (aws-sam-translator) on template.yaml, as CloudFormation would at deploy time.

Usage: transform-template.py OUT_DIR VARIANT...
A VARIANT is NAME or NAME:Key=Value,Key=Value. A Key is a template parameter; @code, whose value stands for a
new build of the jars; @env.VARIABLE, which edits that variable in Globals.Function.Environment as a
change of setting would; or @globals.PROPERTY, which edits that property of Globals.Function. Writes OUT_DIR/NAME.json for each variant: the CloudFormation that a deploy of that
template with those parameter values would create. Parameters not given keep their defaults.
"""
import hashlib
import json
import os
import sys
from pathlib import Path

from cfnlint.decode import cfn_yaml
from samtranslator.translator.transform import transform

ROOT = Path(__file__).resolve().parent.parent
# Where `sam deploy --resolve-s3` would upload; any bucket name serves, the transform never reads it.
BUCKET = "hourly-analytics-artifacts"


class NoPolicies:
    """The template gives its functions explicit roles and no SAM policy templates, so no managed policy is looked up."""

    def load(self):
        return {}


def package(template, code_tag):
    """Replaces each local CodeUri with an s3:// URI named by the jar's MD5, as `sam package` does.

    SAM refuses a local path. A jar that is not built yet is named by its path; code_tag stands for a rebuilt jar.
    """
    for resource in template.get("Resources", {}).values():
        properties = resource.get("Properties", {})
        uri = properties.get("CodeUri")
        if resource.get("Type") != "AWS::Serverless::Function" or not isinstance(uri, str) or uri.startswith("s3://"):
            continue
        jar = ROOT / uri
        digest = hashlib.md5(jar.read_bytes() if jar.is_file() else uri.encode())
        digest.update(code_tag.encode())
        properties["CodeUri"] = f"s3://{BUCKET}/{digest.hexdigest()}"


def variant(spec):
    name, _, settings = spec.partition(":")
    values = dict(pair.split("=", 1) for pair in settings.split(",") if pair)
    edits = {}
    for prefix in ("@env.", "@globals."):
        edits[prefix] = {key.removeprefix(prefix): values.pop(key) for key in list(values) if key.startswith(prefix)}
    return name, values.pop("@code", ""), edits, values


def edit(name, target, changes, where):
    """Sets existing keys only: a misspelt key must fail rather than add a property nothing reads."""
    if set(changes) - set(target):
        sys.exit(f"variant {name}: {where} has no {sorted(set(changes) - set(target))}")
    target.update(changes)


def main(out_dir, specs):
    if not specs:
        sys.exit("usage: transform-template.py OUT_DIR NAME[:Key=Value,...]...")
    # The transform names ARNs by the region's partition.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for spec in specs:
        name, code_tag, edits, parameters = variant(spec)
        # A fresh copy each time: the transform changes the template it is given.
        template = json.loads(json.dumps(cfn_yaml.load(str(ROOT / "template.yaml"))))
        unknown = set(parameters) - set(template.get("Parameters", {}))
        if unknown:
            sys.exit(f"variant {name}: template.yaml has no parameter {sorted(unknown)}")
        globals_function = template["Globals"]["Function"]
        edit(name, globals_function["Environment"]["Variables"], edits["@env."], "Globals.Function.Environment")
        edit(name, globals_function, edits["@globals."], "Globals.Function")
        package(template, code_tag)
        cloudformation = transform(template, parameters, NoPolicies())
        (out / f"{name}.json").write_text(json.dumps(cloudformation, indent=1, sort_keys=True))
        print(f"transform: {name} -> {out / (name + '.json')} ({len(cloudformation['Resources'])} resources)",
              file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])

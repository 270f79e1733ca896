#!/usr/bin/env bash
# Writes the hostile-input shapes (each a folder with a serverless.yml) into DIR, for
# scripts/benchmark.sh: what `validate` must stop early on, in bounded time and memory.
#   scripts/generate-hostile.sh DIR
set -euo pipefail
out="${1:?usage: generate-hostile.sh DIR}"
mkdir -p "$out"
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
service = """service: hostile
provider:
  name: aws
fargate:
  vpc:
    subnetIds: [subnet-0123456789abcdef0]
  tasks:
    worker:
      image: public.ecr.aws/docker/library/busybox:1.36
"""
def case(name, text, extra=None):
    os.makedirs(f"{out}/{name}", exist_ok=True)
    open(f"{out}/{name}/serverless.yml", "w").write(text)
    for file, content in (extra or {}).items():
        open(f"{out}/{name}/{file}", "w").write(content)

case("nesting-30000", service + "      command: " + "[" * 30000 + "]" * 30000 + "\n")
bomb = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10))
case("alias-bomb", bomb + service)
case("map-60000-keys", "custom:\n" + "".join(f"  k{i}: v{i}\n" for i in range(60000)) + service)
case("chain-30000", "custom:\n" + "".join(f"  v{i}: ${{self:custom.v{i + 1}}}\n" for i in range(30000))
     + "  v30000: end\n" + service + "      environment:\n        A: ${self:custom.v0}\n")
case("doubling-30", "custom:\n  b0: " + "x" * 32 + "\n" + "".join(
    f"  b{i + 1}: ${{self:custom.b{i}}}${{self:custom.b{i}}}\n" for i in range(30))
     + service + "      environment:\n        A: ${self:custom.b30}\n")
case("nested-variables-10000", "custom:\n  k: v\n" + service + "      environment:\n        A: "
     + "${self:custom." * 10000 + "k" + "}" * 10000 + "\n")
resources = {f"Topic{i}": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "t" * 100 + str(i)}} for i in range(30000)}
case("merge-template-5mb", service, {"merge-into.json": json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}, indent=2)})
PY

#!/usr/bin/env python3
"""Runs the transaction conformance cases (transaction-cases.json, also run by TransactionConformanceIT) with boto3.

Against moto 5.2.1 in this process by default: a second opinion on the emulator's transactions. Cases that name a
known moto gap ("moto": "gap: ...") are reported, never failed. With --endpoint URL, against that endpoint (the
emulator) instead, where every case must pass; the cases with a step in flight (conflicts) against
--conflict-endpoint, an emulator whose transaction window outlasts IN_FLIGHT_PAUSE by far. Exits 1 if a case that
must pass does not.

    python3 emulator/conformance/moto_check.py [--endpoint http://127.0.0.1:PORT --conflict-endpoint http://127.0.0.1:PORT]
"""
import argparse
import concurrent.futures
import json
import pathlib
import re
import sys
import time
import uuid

CASES = pathlib.Path(__file__).with_name("transaction-cases.json")
# A step marked "inFlight" is sent in the background, and the next step this long after: by then the emulator holds
# the transaction's items, for the rest of its (long) window. "awaitInFlight" waits until it is answered.
IN_FLIGHT_PAUSE = 0.3

try:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError
except ImportError as missing:
    sys.exit(f"error: {missing.name} is not installed; moto_check.py needs python3 with boto3 and moto 5.2.1 "
             "(pip install moto==5.2.1)")


def expand(value, names, index=None):
    """Puts the case's table names in place of $T, $T2, $MISSING; unrolls {"$repeat": n, "item": ...}."""
    if isinstance(value, list):
        out = []
        for element in value:
            if isinstance(element, dict) and "$repeat" in element:
                out.extend(expand(element["item"], names, i) for i in range(element["$repeat"]))
            else:
                out.append(expand(element, names, index))
        return out
    if isinstance(value, dict):
        return {expand(k, names, index): expand(v, names, index) for k, v in value.items()}
    if isinstance(value, str):
        if value in names:
            return names[value]
        return value.replace("${i}", str(index)) if index is not None else value
    return value


def by_key(items):
    return sorted(items, key=lambda item: json.dumps(item["pk"], sort_keys=True))


def run_case(client, case, number):
    run = uuid.uuid4().hex[:8]  # fresh tables, also on an emulator that ran the cases before
    names = {"$T": f"conf-{run}-{number}-a", "$T2": f"conf-{run}-{number}-b", "$MISSING": "no-such-table"}
    for table in ("$T", "$T2"):
        client.create_table(TableName=names[table], BillingMode="PAY_PER_REQUEST",
                            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    for table in ("$T", "$T2"):  # ACTIVE: dynalite answers CREATING for a moment (boto3's waiter would sleep 20 s)
        while client.describe_table(TableName=names[table])["Table"]["TableStatus"] != "ACTIVE":
            time.sleep(0.005)
    for table, items in case.get("given", {}).items():
        for item in items:
            client.put_item(TableName=names[table], Item=item)
    problems = []
    in_flight = []
    with concurrent.futures.ThreadPoolExecutor() as background:
        def settle():
            for number, expect, outcome in in_flight:
                problems.extend(f"step {number}: {p}" for p in compare(expect, outcome.result()))
            in_flight.clear()

        for number, step in enumerate(case["steps"], 1):
            if step.get("awaitInFlight"):
                settle()
                continue
            operation = next(name for name in step if name not in ("expect", "inFlight"))
            call = getattr(client, re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower())
            request = expand(step[operation], names)
            expect = expand(step["expect"], names)
            if step.get("inFlight"):
                in_flight.append((number, expect, background.submit(send, call, request)))
                time.sleep(IN_FLIGHT_PAUSE)
            else:
                problems += [f"step {number}: {p}" for p in compare(expect, send(call, request))]
        settle()
    for table, items in case.get("then", {}).items():
        actual = client.scan(TableName=names[table], ConsistentRead=True)["Items"]
        if by_key(actual) != by_key(items):
            problems.append(f"{table} holds {by_key(actual)}, expected {by_key(items)}")
    for table, count in case.get("thenCount", {}).items():
        actual = client.scan(TableName=names[table], Select="COUNT", ConsistentRead=True)["Count"]
        if actual != count:
            problems.append(f"{table} holds {actual} items, expected {count}")
    return problems


def send(call, request):
    try:
        return {"ok": True, "response": call(**request)}
    except ClientError as error:
        return {"error": error.response["Error"]["Code"], "message": error.response["Error"].get("Message"),
                "reasons": error.response.get("CancellationReasons")}


def compare(expect, outcome):
    if "error" in expect:
        if "error" not in outcome:
            return [f"succeeded, expected {expect['error']}"]
        problems = []
        if outcome["error"] != expect["error"]:
            problems.append(f"{outcome['error']} ({outcome['message']}), expected {expect['error']}")
        if "message" in expect and outcome["message"] != expect["message"]:
            problems.append(f"message {outcome['message']!r}, expected {expect['message']!r}")
        if "messageContains" in expect and expect["messageContains"] not in (outcome["message"] or ""):
            problems.append(f"message {outcome['message']!r} lacks {expect['messageContains']!r}")
        if "CancellationReasons" in expect and outcome["reasons"] != expect["CancellationReasons"]:
            problems.append(f"reasons {outcome['reasons']}, expected {expect['CancellationReasons']}")
        return problems
    if "error" in outcome:
        return [f"{outcome['error']} ({outcome['message']}), expected success"]
    response = outcome["response"]
    problems = []
    for field in (name for name in expect if name != "ok"):
        if response.get(field) != expect[field]:
            problems.append(f"{field} {response.get(field)}, expected {expect[field]}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", help="run against this endpoint (the emulator) instead of moto")
    parser.add_argument("--conflict-endpoint", help="with --endpoint: the emulator, with a long transaction window, "
                                                    "for the cases with a step in flight")
    args = parser.parse_args()
    if bool(args.endpoint) != bool(args.conflict_endpoint):
        parser.error("--endpoint and --conflict-endpoint go together")
    cases = json.loads(CASES.read_text())
    # No client-side validation: the store under test must reject bad requests itself. No retries: a retry would
    # hide what one call did (boto3 retries TransactionInProgressException as throttling).
    settings = dict(region_name="us-east-1", aws_access_key_id="local", aws_secret_access_key="local",
                    config=Config(parameter_validation=False, retries={"total_max_attempts": 1}))
    if args.endpoint:
        return report(boto3.client("dynamodb", endpoint_url=args.endpoint, **settings),
                      boto3.client("dynamodb", endpoint_url=args.conflict_endpoint, **settings), cases, strict=True)
    try:
        import moto
        from moto import mock_aws
    except ImportError:
        sys.exit("error: moto is not installed; the second opinion needs moto 5.2.1 (pip install moto==5.2.1)")
    if moto.__version__ != "5.2.1":
        print(f"warning: moto {moto.__version__}, the cases' known gaps were recorded with 5.2.1", file=sys.stderr)
    with mock_aws():
        client = boto3.client("dynamodb", **settings)
        return report(client, client, cases, strict=False)


def report(client, conflict_client, cases, strict):
    agreed, gaps, failed = 0, 0, 0
    for number, case in enumerate(cases, 1):
        in_flight = any(step.get("inFlight") for step in case["steps"])
        problems = run_case(conflict_client if in_flight else client, case, number)
        gap = None if strict else case.get("moto")
        if not problems:
            agreed += 1
            print(f"agrees    {case['name']}" + (" (listed as a moto gap: no longer one?)" if gap else ""))
        elif gap:
            gaps += 1
            print(f"known gap {case['name']}: {gap}")
        else:
            failed += 1
            print(f"DIFFERS   {case['name']}: " + "; ".join(problems))
    print(f"{agreed} of {len(cases)} cases agree, {gaps} known gaps, {failed} differ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

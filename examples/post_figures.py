"""Post a month of measurements for your municipality through Skaleringsportalen's API and
read back the progress they produce (standard library only).

    export PORTAL_URL=https://portal.example.dk PORTAL_TOKEN=skp_…
    python examples/post_figures.py --month 2026-11 --value screen_visits=152.5 --value km_driven=900

Without --participation it takes the token's first participation (``--round SLUG`` to
choose). The same month posted again corrects the figures, never duplicates them; the
Idempotency-Key makes a retried request safe.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import urllib.error
import urllib.request


def call(base: str, token: str, method: str, path: str, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base.rstrip("/") + path,
        data=data,
        method=method,
        headers={
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            **({"Content-Type": "application/json"} if data else {}),
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("PORTAL_URL", "http://127.0.0.1:5000"))
    parser.add_argument("--token", default=os.environ.get("PORTAL_TOKEN", ""))
    parser.add_argument("--month", required=True, help="YYYY-MM")
    parser.add_argument("--value", action="append", default=[], help="indicator=value")
    parser.add_argument("--participation", type=int)
    parser.add_argument("--round")
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("a token: --token or PORTAL_TOKEN")
    participation = args.participation
    if participation is None:
        query = f"?round={args.round}" if args.round else ""
        status, page = call(args.url, args.token, "GET", f"/api/v1/participations{query}")
        if status != 200 or not page["items"]:
            print(f"no participation ({status}): {page}", file=sys.stderr)
            return 1
        participation = page["items"][0]["id"]
    items = []
    for pair in args.value:
        key, _, value = pair.partition("=")
        items.append(
            {"kind": "measurement", "indicator": key, "date": f"{args.month}-01", "value": value}
        )
    # the same month and figures sent again (a retry) get the first answer back
    digest = hashlib.sha256(json.dumps(items, sort_keys=True).encode()).hexdigest()[:16]
    status, answer = call(
        args.url,
        args.token,
        "POST",
        f"/api/v1/participations/{participation}/figures",
        {"items": items},
        {"Idempotency-Key": f"post-figures-{participation}-{args.month}-{digest}"},
    )
    if status != 200:
        for error in (answer or {}).get("errors") or []:
            if "index" in error:  # a bad figure: its place in the list and why
                print(f"item {error['index']}: {error['reason']}", file=sys.stderr)
            else:
                where = error.get("pointer") or error.get("parameter") or ""
                print(f"{where}: {error['detail']}", file=sys.stderr)
        print(f"refused ({status}): {answer.get('title')}", file=sys.stderr)
        return 1
    print(
        f"stored: {answer['created']} new, {answer['updated']} changed, "
        f"{answer['unchanged']} unchanged"
    )
    status, progress = call(
        args.url, args.token, "GET", f"/api/v1/participations/{participation}/progress"
    )
    for row in progress["indicators"]:
        share = "–" if row["progress"] is None else f"{row['progress']:.0%}"
        print(
            f"{row['indicator']}: latest {row['latest']} ({row['latest_date']}), "
            f"progress {share}, {row['status'] or 'no status'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Grade answer pairs with Hugging Face math-verify, for agreement with Distillery's checker.

Usage: python bench/verify-mathverify.py IN.jsonl OUT.jsonl
IN lines:  {"id": int, "gold": str, "answer": str}
OUT lines: {"id": int, "verdict": true|false|null, "error": str|null}
Run with the project's environment (.venv/bin/python). Exit 3 when math_verify is missing.
"""
import json
import sys

try:
    from math_verify import parse, verify
except Exception as e:  # pragma: no cover - reported to the bench
    print(f"math_verify is not importable: {e}", file=sys.stderr)
    sys.exit(3)


def wrap(s: str) -> str:
    """math-verify extracts LaTeX from a math environment: give it exactly one.

    References such as "$69$,$84$" hold several inline-math pieces; math-verify would read only
    one of them, so the pieces are joined into a single environment first.
    """
    t = s.strip().replace("\\$", "").replace("$", "").strip()
    return "$" + t + "$"


def grade(gold: str, answer: str):
    try:
        g = parse(wrap(gold), parsing_timeout=5)
        a = parse(wrap(answer), parsing_timeout=5)
        if not g or not a:
            return None, "parse returned nothing"
        return bool(verify(g, a, timeout_seconds=5)), None
    except Exception as e:  # one bad pair must not stop the run
        return None, f"{type(e).__name__}: {e}"[:200]


def main() -> None:
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            verdict, err = grade(row["gold"], row["answer"])
            out.write(json.dumps({"id": row["id"], "verdict": verdict, "error": err}) + "\n")


if __name__ == "__main__":
    main()

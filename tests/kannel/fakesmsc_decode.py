#!/usr/bin/env python3
"""Turn a fakesmsc log into one JSON line per message Kannel delivered:
{"from": .., "to": .., "text": <UTF-8>, "parts": N} (plus "incomplete": true when a
concatenated message lacks parts), in the order the messages completed.

What fakesmsc (Kannel 1.4.5) prints for each message bearerbox sends it:
    Got message N: <FROM TO text LITERAL>            GSM/8-bit, all bytes printable
    Got message N: <FROM TO data URLENC>             8-bit with other bytes
    Got message N: <FROM TO ucs-2 URLENC>            UCS-2: URL-encoded UTF-16BE
    Got message N: <FROM TO udh URLENC-UDH data URLENC>   one part of a concatenated message
URL encoding writes a space as '+' and a '+' as %2B. A "text" message holding a newline is
cut into two lines by the fake protocol; the second is printed as "Got message N+1: <rest>"
and is joined back here. A "udh" part does not say its coding: with --udh-coding auto
(default) a concatenated message whose bytes are all printable ASCII (or any of whose parts
has an odd length) is read as 8-bit text, anything else as UTF-16BE.

usage: fakesmsc_decode.py [--udh-coding auto|ucs2|8bit] FAKESMSC_LOG  (- for stdin)
"""
import argparse
import json
import re
import sys
import urllib.parse

GOT = re.compile(r"Got message \d+: <(.*)>\s*$")
HEAD = re.compile(r"^(\S+) (\S+) (text|data|ucs-2|udh) (.*)$", re.S)


def unquote(s):
    return urllib.parse.unquote_to_bytes(s.replace("+", "%20"))


def eight_bit(b):
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return b.decode("latin-1")


def concat_info(udh):
    """(ref, total, seq) from a concatenation UDH (IEI 0 or 8), else None."""
    i, end = 1, 1 + (udh[0] if udh else 0)
    while i + 1 < len(udh) and i < end:
        iei, n = udh[i], udh[i + 1]
        ie = udh[i + 2:i + 2 + n]
        if iei == 0 and n == 3:
            return ie[0], ie[1], ie[2]
        if iei == 8 and n == 4:
            return ie[0] << 8 | ie[1], ie[2], ie[3]
        i += 2 + n
    return None


def decode_parts(parts, coding):
    data = b"".join(parts)
    if coding == "auto":
        printable = all(32 <= c < 127 or c in (10, 13) for c in data)
        coding = "8bit" if printable or any(len(p) % 2 for p in parts) else "ucs2"
    return data.decode("utf-16-be", "replace") if coding == "ucs2" else eight_bit(data)


def decode(lines, coding="auto"):
    out = []          # messages in completion order
    pending = {}      # (from, to, ref, total) -> {seq: bytes}
    last_text = None  # the last "text" message, for newline continuations
    for line in lines:
        m = GOT.search(line)
        if not m:
            continue
        body = m.group(1)
        h = HEAD.match(body)
        if not h:
            if last_text is not None:
                last_text["text"] += "\n" + body
            continue
        sender, receiver, kind, rest = h.groups()
        last_text = None
        msg = {"from": sender, "to": receiver, "parts": 1}
        if kind == "text":
            msg["text"] = rest
            last_text = msg
        elif kind == "data":
            msg["text"] = eight_bit(unquote(rest))
        elif kind == "ucs-2":
            msg["text"] = unquote(rest).decode("utf-16-be", "replace")
        else:
            udh_enc, _, data_enc = rest.partition(" data ")
            udh, data = unquote(udh_enc), unquote(data_enc)
            info = concat_info(udh)
            if info is None:
                msg["text"] = decode_parts([data], coding)
            else:
                ref, total, seq = info
                key = (sender, receiver, ref, total)
                got = pending.setdefault(key, {})
                got[seq] = data
                if len(got) < total:
                    continue
                del pending[key]
                msg["parts"] = total
                msg["text"] = decode_parts([got[i] for i in sorted(got)], coding)
        out.append(msg)
    for (sender, receiver, _ref, total), got in pending.items():
        out.append({"from": sender, "to": receiver, "parts": len(got), "incomplete": True,
                    "text": decode_parts([got[i] for i in sorted(got)], coding)})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--udh-coding", choices=("auto", "ucs2", "8bit"), default="auto")
    ap.add_argument("log")
    a = ap.parse_args()
    f = sys.stdin if a.log == "-" else open(a.log, encoding="utf-8", errors="replace")
    for msg in decode(f, a.udh_coding):
        print(json.dumps(msg, ensure_ascii=False))


if __name__ == "__main__":
    main()

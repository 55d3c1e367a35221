#!/usr/bin/env python3
"""Lists C functions longer than a limit (default 80 lines) in the given files:
FILE:LINE: NAME is N lines. Exit 1 when there is one (scripts/check-source.sh runs it).
A function is a line at column 0 that opens a definition, through its closing '}' at
column 0."""
import re, sys

def main(argv):
    limit = 80
    files = []
    for a in argv:
        if a.startswith('--max='):
            limit = int(a[6:])
        else:
            files.append(a)
    bad = 0
    head = re.compile(r'^[A-Za-z_][^;(]*\b([A-Za-z_][A-Za-z0-9_]*)\s*\(')
    for path in files:
        with open(path, encoding='utf-8') as fp:
            lines = fp.read().split('\n')
        i = 0
        while i < len(lines):
            m = head.match(lines[i])
            if m and not lines[i].startswith('typedef'):
                j = i
                while j < len(lines) and lines[j] != '{' and not lines[j].rstrip().endswith(';'):
                    j += 1
                if j < len(lines) and lines[j] == '{':
                    k = j + 1
                    while k < len(lines) and lines[k] != '}':
                        k += 1
                    n = k - i + 1
                    if n > limit:
                        print(f'{path}:{i + 1}: {m.group(1)} is {n} lines (at most {limit})')
                        bad = 1
                    i = k
            i += 1
    return bad

if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))

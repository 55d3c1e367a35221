#!/usr/bin/env python3
"""Style checks of C files (scripts/check-source.sh runs it on the product code):
  - functions longer than a limit (default 80 lines): FILE:LINE: NAME is N lines; a
    function is a line at column 0 that opens a definition, through its closing '}' at
    column 0;
  - positional initialisers of five or more fields for a *_t struct or compound literal
    (use designated ones: {.name = ...}).
Exit 1 when there is one."""
import re, sys

INIT = re.compile(r'(\b[a-z_]+_t\s+[a-z_]\w*\s*=\s*|\(\s*[a-z_]+_t\s*\)\s*)\{')


def positional_inits(path, s):
    bad = 0
    for m in INIT.finditer(s):
        i = m.end()
        depth, j = 1, i
        while j < len(s) and depth > 0:
            depth += {'{': 1, '}': -1}.get(s[j], 0)
            j += 1
        body = s[i:j - 1]
        d = commas = 0
        for ch in body:
            if ch in '({[':
                d += 1
            elif ch in ')}]':
                d -= 1
            elif ch == ',' and d == 0:
                commas += 1
        if commas >= 4 and not re.search(r'(^|[,{\s])\.[a-z_]+\s*=', body) \
                and not body.strip().startswith('{'):
            line = s[:m.start()].count('\n') + 1
            print(f'{path}:{line}: a positional initialiser of {commas + 1} fields '
                  '(use designated ones)')
            bad = 1
    return bad

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
            text = fp.read()
        bad |= positional_inits(path, text)
        lines = text.split('\n')
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

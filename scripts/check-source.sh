#!/usr/bin/env bash
# Static checks of the source tree, run by scripts/test.sh (and so by CI):
#  1. layering: each library folder includes only its own headers and those of the
#     folders its cb_layer(... USES ...) line in FOLDER/CMakeLists.txt names (the table
#     in docs/architecture.md); third-party headers only where their library belongs;
#  2. banned functions: unbounded or unchecked C library calls (use snprintf, the
#     checked parsers of core/num.h, core/date.h, core/clock.h instead);
#  3. style (scripts/check-style.py): functions over 80 lines, positional initialisers
#     of five or more fields.
# Prints every violation as FILE:LINE: why, and exits 1 when there is one.
set -euo pipefail
cd "$(dirname "$0")/.."
bad=0
say() { echo "$1"; bad=1; }

# Third-party headers and the folders that may include them (tests, bench, fuzz: any).
declare -A lib_home=(
  [sqlite3.h]="store" [curl/curl.h]="net channels" [microhttpd.h]="net" [mosquitto.h]="channels"
  [csv.h]="import jobs app" [check.h]="" [systemd/sd-daemon.h]="app"
)

for cm in */CMakeLists.txt; do
  folder=${cm%%/*}
  line=$(grep -E "^cb_layer\(cb_[a-z_]+ $folder( |\))" "$cm" | head -1 || true)
  [ -n "$line" ] || continue
  uses=$(sed -E 's/^cb_layer\([^ ]+ [^ )]+ ?(USES )?//; s/\)$//' <<<"$line")
  allowed=" $folder $uses "
  while IFS=: read -r file lineno inc; do
    dir=${inc%%/*}
    if [ "$dir" != "$inc" ] && [ -d "$dir" ] && [[ "$allowed" != *" $dir "* ]]; then
      say "$file:$lineno: $folder/ may not include $inc (it uses:${uses:+ $uses})"
    fi
  done < <(grep -HnoE '^#include "[^"]+"' "$folder"/*.c "$folder"/*.h 2>/dev/null |
           sed -E 's/#include "([^"]+)"/\1/')
  while IFS=: read -r file lineno inc; do
    home=${lib_home[$inc]-none}
    if [ "$home" != "none" ] && [[ " $home " != *" $folder "* ]]; then
      say "$file:$lineno: <$inc> belongs to ${home:-the tests}/, not $folder/"
    fi
  done < <(grep -HnoE '^#include <[^>]+>' "$folder"/*.c "$folder"/*.h 2>/dev/null |
           sed -E 's/#include <([^>]+)>/\1/')
done

# Banned calls in the library and the program (tests may use what they like).
banned='sprintf|vsprintf|strcpy|strcat|gets|atoi|atol|atoll|atof|sscanf|strtok|tmpnam|mktemp|rand|srand|system'
while IFS= read -r hit; do
  say "$hit: banned function (see scripts/check-source.sh)"
done < <(grep -HnE "(^|[^a-z_0-9.>])($banned)[[:space:]]*\(" \
           core/*.[ch] store/*.[ch] templates/*.[ch] net/*.[ch] channels/*.[ch] jobs/*.[ch] \
           bot/*.[ch] import/*.[ch] sim/*.[ch] app/*.[ch] | grep -vE '^[^:]+:[0-9]+:\s*(/?\*|//)' || true)

# Functions over 80 lines and positional initialisers of five or more fields.
python3 scripts/check-style.py core/*.c store/*.c templates/*.c net/*.c channels/*.c \
    jobs/*.c bot/*.c import/*.c sim/*.c app/*.c || bad=1

if [ "$bad" -ne 0 ]; then
  echo "check-source: violations found" >&2
  exit 1
fi
echo "check-source: layering, banned functions, style: clean"

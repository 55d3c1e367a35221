#!/usr/bin/env bash
# Kannel harness smoke test: 20 Chinese MT messages (one of 100 characters, so 2 parts) through
# sendsms reach fakesmsc exactly once each with their exact text; one UCS-2 MO from fakesmsc
# reaches the get-url (cb_test_gateway /mo) as UTF-8; the harness stops every pid it started.
# usage: kannel_smoke.sh CB_TEST_GATEWAY SOURCE_DIR
set -u
bin=$1
src=$2
kannel=$src/tests/kannel/kannel.sh
decode=$src/tests/kannel/fakesmsc_decode.py
. "$src/tests/lib.sh"
. "$src/tests/gateway/gateway.sh"
dir=$(mktemp -d)
started=0
cleanup() {
    [ $started = 1 ] && "$kannel" stop "$dir/k" >/dev/null 2>&1
    gateway_stop
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# The decoder on a hand-written log: newline continuation, 8-bit parts, an unfinished message.
cat >"$dir/sample.log" <<'EOF'
2026-01-01 00:00:00 [1] [0] DEBUG: Got message 1: <10690000 13800000001 text line one>
2026-01-01 00:00:00 [1] [0] DEBUG: Got message 2: <and two>
2026-01-01 00:00:00 [1] [0] DEBUG: Got message 3: <10690000 13800000002 udh %05%00%03%07%02%02 data ghi>
2026-01-01 00:00:00 [1] [0] DEBUG: Got message 4: <10690000 13800000002 udh %05%00%03%07%02%01 data abc+def+>
2026-01-01 00:00:00 [1] [0] DEBUG: Got message 5: <10690000 13800000003 ucs-2 N%24N%BA%00+%00%2B>
2026-01-01 00:00:00 [1] [0] DEBUG: Got message 6: <10690000 13800000004 udh %05%00%03%08%02%01 data N%24N%BA>
EOF
check "decoder" '[["13800000001","line one\nand two",1],["13800000002","abc def ghi",2],["13800000003","两人 +",1],["13800000004","两人",1,true]]' \
    "$(python3 "$decode" "$dir/sample.log" | python3 -c '
import json,sys
print(json.dumps([[m["to"],m["text"],m["parts"]]+([True] if m.get("incomplete") else []) for m in map(json.loads,sys.stdin)],ensure_ascii=False,separators=(",",":")))')"

gateway_start "$bin" "$dir" --log "$dir/gateway.log" || exit 1
started=1
"$kannel" start "$dir/k" "$GW_URL/mo" >/dev/null || { echo "FAIL: harness did not start"; exit 1; }
. "$dir/k/env"
check "env names live pids" 1 "$(kill -0 "$BEARERBOX_PID" "$SMSBOX_PID" "$FAKESMSC_PID" "$FIFO_HOLDER_PID" && echo 1)"

# 20 reminders to 20 residents, one with a newline and runs of spaces; the last is 100
# characters, so Kannel sends 2 parts. Each text goes to curl from a file, byte for byte.
python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
villages = ["南华村", "冷市村", "石桥村", "龙泉村", "白沙村"]
texts = []
for i in range(19):
    t = f"【冷市医保】{villages[i % 5]}第{i + 1}号：您家2025年度城乡居民医保还有{i % 4 + 1}人未缴费，请于12月31日前缴纳。"
    texts.append(t + ("\n回复1查询 +  两个空格" if i == 3 else ""))
texts.append(("【冷市医保】" + "尊敬的参保居民，2025年度城乡居民基本医疗保险集中缴费期即将结束，请尽快通过微信或税务APP缴费。" * 3)[:100])
with open(f"{d}/expected.jsonl", "w", encoding="utf-8") as f, open(f"{d}/to.txt", "w") as tos:
    for i, t in enumerate(texts):
        to = f"138001380{i:02d}"
        open(f"{d}/text-{i}.txt", "w", encoding="utf-8").write(t)
        tos.write(f"{i} {to}\n")
        f.write(json.dumps({"to": to, "text": t, "parts": 2 if len(t) > 70 else 1}, ensure_ascii=False) + "\n")
PY
check "long text is 100 characters" 100 "$(python3 -c 'import sys; print(len(open(sys.argv[1], encoding="utf-8").read()))' "$dir/text-19.txt")"
accepted=0
while read -r i to; do
    r=$(curl -s -G "$KANNEL_SENDSMS_URL" --data-urlencode "username=$KANNEL_USER" \
        --data-urlencode "password=$KANNEL_PASS" --data-urlencode "to=$to" -d coding=2 \
        -d charset=UTF-8 --data-urlencode "text@$dir/text-$i.txt")
    [ "$r" = "0: Accepted for delivery" ] && accepted=$((accepted + 1))
done <"$dir/to.txt"
check "sendsms accepted all 20" 20 "$accepted"
got_all() { [ "$(grep -c 'Got message' "$FAKESMSC_LOG")" -ge 21 ]; }
until_ok 20 got_all
check "fakesmsc got 21 SMS (19 + 2 parts)" 21 "$(grep -c 'Got message' "$FAKESMSC_LOG")"

# MO: a resident answers in Chinese (UCS-2); the get-url gets it in UTF-8 (mo-recode).
"$kannel" mo "$dir/k" 13800138001 "$KANNEL_SENDER" "已缴费  谢谢 a+b&c" >/dev/null
mo_logged() { grep -q '"endpoint":"mo"' "$dir/gateway.log"; }
until_ok 15 mo_logged
check "MO reached get-url as UTF-8, exact" "13800138001 10690000 已缴费  谢谢 a+b&c 0 UTF-8 FAKE" \
    "$(grep '"endpoint":"mo"' "$dir/gateway.log" | python3 -c '
import json,sys
for l in sys.stdin:
    q = json.loads(l)["query"]; print(q["from"], q["to"], q["text"], q["coding"], q["charset"], q["smsc"])')"

pids="$BEARERBOX_PID $SMSBOX_PID $FAKESMSC_PID $FIFO_HOLDER_PID"
"$kannel" stop "$dir/k"
check "stop exits 0" 0 $?
started=0
left=""
for p in $pids; do [ -d /proc/$p ] && ! grep -q ') Z' /proc/$p/stat && left="$left $p"; done
check "stop ended every pid" "" "$left"

gateway_stop
check "gateway exits 0" 0 $?

# Every recipient got its text exactly once, long texts in 2 parts.
python3 "$decode" "$FAKESMSC_LOG" >"$dir/got.jsonl"
check "each recipient got exactly its text, once" "ok" "$(python3 - "$dir/expected.jsonl" "$dir/got.jsonl" <<'PY'
import json, sys
want = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
got = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
key = lambda m: (m["to"], m["text"], m["parts"])
problems = []
if sorted(map(key, got)) != sorted(map(key, want)):
    problems.append(f"missing {sorted(set(map(key, want)) - set(map(key, got)))}")
    problems.append(f"unexpected {sorted(set(map(key, got)) - set(map(key, want)))}")
if len(got) != len(want):
    problems.append(f"{len(got)} messages for {len(want)}")
if any(m.get("incomplete") or m["from"] != "10690000" for m in got):
    problems.append("incomplete or wrong sender")
print("; ".join(problems) or "ok")
PY
)"
bad=$(grep -hE 'PANIC:|ERROR:' "$dir"/k/bearerbox.log "$dir"/k/smsbox.log | head -3)
check "no PANIC or ERROR in Kannel's logs" "" "$bad"

echo "kannel_smoke: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/usr/bin/env bash
# The daemon end to end: signed, replayed, expired, tampered, malformed and hostile
# payment confirmations (CR LF, NUL, invalid UTF-8, trailing bytes: 400, nothing
# stored), hostile Kannel and WeChat values; the API and its token; /metrics; delivery reports from a real Kannel
# (fakesmsc reports 8 then 1) move outbox rows to delivered; SIGTERM stops cleanly.
# usage: serve_test.sh CANBAO SOURCE_DIR
set -u
canbao=$1
src=$2
. "$src/tests/lib.sh"
kannel=$src/tests/kannel/kannel.sh
dir=$(mktemp -d)
spid= kstarted=0
cleanup() {
    [ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
    [ $kstarted = 1 ] && "$kannel" stop "$dir/k" >/dev/null 2>&1
    [ -n "${KEEP:-}" ] && echo "kept $dir" || rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cb() { "$canbao" --db "$dir/t.db" "$@"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
db() { sqlite3 "$dir/t.db" "$1"; }

cb init --policy "$src/examples/lengshi-2024.json" >/dev/null
cb import roster "$src/examples/roster-lengshi-sample.csv" --report "$dir/rej.csv" >/dev/null
# Two unpaid residents from the roster: a 低保 one (owes 190) and a plain one (380).
read -r low plain other < <(python3 - "$src/examples/roster-lengshi-sample.csv" "$dir/rej.csv" <<'PY'
import csv, sys
bad = {int(r["line"]) for r in csv.DictReader(open(sys.argv[2]))}
low = plain = other = None
lines = open(sys.argv[1], "rb").read().decode("utf-8", "replace").split("\n")
head = next(csv.reader([lines[0]]))
for i, line in enumerate(lines[1:], start=2):
    if i in bad or not line:
        continue
    r = dict(zip(head, next(csv.reader([line]))))
    if r["status"] != "unpaid" or not r["phone"]:
        continue
    if r["category"] == "低保" and low is None:
        low = r["person_id"]
    if r["category"] == "" and plain is not None and other is None:
        other = r["person_id"]
    if r["category"] == "" and plain is None:
        plain = r["person_id"]
print(low, plain, other)
PY
)

start_serve() { # start_serve CONFIG
    rm -f "$dir/serve.out" # not the last daemon's "listening" line, before this one truncates it
    "$canbao" --db "$dir/t.db" serve --config "$1" >"$dir/serve.out" 2>"$dir/serve.err" &
    spid=$!
    until_ok 10 grep -q listening "$dir/serve.out" || { echo "FAIL: serve did not start"; cat "$dir/serve.err"; exit 1; }
    url=http://127.0.0.1:$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$dir/serve.out")
}
stop_serve() {
    kill -TERM "$spid"
    wait "$spid"
    local rc=$?
    spid=
    return $rc
}
cat >"$dir/cfg.json" <<EOF
{"channels": [{"name": "file", "type": "file", "path": "$dir/msgs.jsonl"}],
 "dispatch": {"quiet_hours": "off"},
 "serve": {"listen": "127.0.0.1:0", "payment_secret_env": "CB_TEST_PAY_SECRET",
           "api_token": "t0ken", "kannel_secret": "ks", "wechat_secret": "wx-secret",
           "max_body": 4096}}
EOF
export CB_TEST_PAY_SECRET=pay-secret
start_serve "$dir/cfg.json"

# post.py BODY [--ts T] [--secret S] [--sig X]: prints "STATUS BODY".
cat >"$dir/post.py" <<'PY'
import hashlib, hmac, sys, time, urllib.request
url, body = sys.argv[1], sys.argv[2]
opts = dict(zip(sys.argv[3::2], sys.argv[4::2]))
ts = opts.get("--ts", str(int(time.time())))
signed = opts.get("--signed", body)  # sign another body than the one sent: tampering
sig = opts.get("--sig") or "v1=" + hmac.new(opts.get("--secret", "pay-secret").encode(),
                                             (ts + "." + signed).encode(), hashlib.sha256).hexdigest()
headers = {"Content-Type": "application/json"}
if "--nosig" not in sys.argv:
    headers.update({"X-Canbao-Timestamp": ts, "X-Canbao-Signature": sig})
req = urllib.request.Request(url + "/hooks/payments", data=body.encode(), method="POST", headers=headers)
try:
    r = urllib.request.urlopen(req)
    print(r.status, r.read().decode())
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode())
PY
pay() { python3 "$dir/post.py" "$url" "$@"; }
code() { pay "$@" | cut -d' ' -f1; }
# raw.py URL SECRET [BODY] signs BODY (or the raw bytes on stdin: NUL bytes, invalid
# UTF-8) like the payment and WeChat hooks want and posts it, printing "STATUS BODY".
cat >"$dir/raw.py" <<'PY'
import hashlib, hmac, sys, time, urllib.request
url, secret = sys.argv[1], sys.argv[2]
body = sys.argv[3].encode() if len(sys.argv) > 3 else sys.stdin.buffer.read()
ts = str(int(time.time()))
sig = "v1=" + hmac.new(secret.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
req = urllib.request.Request(url, data=body, method="POST",
                             headers={"X-Canbao-Timestamp": ts, "X-Canbao-Signature": sig})
try:
    r = urllib.request.urlopen(req)
    print(r.status, r.read().decode())
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode())
PY
wechat() { python3 "$dir/raw.py" "$url/hooks/wechat" "$@"; } # wechat SECRET BODY

check "healthz" '{"status":"ok"}' "$(curl -s "$url/healthz")"
ok='{"receipt":"R1","id_number":"'$low'","amount_fen":19000,"channel":"wechat","paid_at":"2023-11-02 10:15:00"}'
check "a matched payment" '200 {"status":"matched"}' "$(pay "$ok")"
check "the person is paid" paid "$(cb resident show "$low" --json | json 'd["status"]')"
check "a replay answers 200 and changes nothing" '200 {"status":"replay"}' "$(pay "$ok")"
check "one payment row, one audit row" "1 1" \
    "$(db "SELECT count(*) FROM payment WHERE receipt='R1'") $(db "SELECT count(*) FROM audit WHERE source='hook:payments'")"
check "expired timestamp" 401 "$(code "$ok" --ts $(( $(date +%s) - 400 )))"
check "timestamp from the future" 401 "$(code "$ok" --ts $(( $(date +%s) + 400 )))"
check "wrong secret" 401 "$(code "$ok" --secret other)"
check "tampered body" 401 "$(code "${ok/19000/38000}" --signed "$ok")"
check "no signature" 401 "$(code "$ok" --nosig 1)"
check "not JSON" '400 {"error":"the body must be a JSON object"}' "$(pay '{"receipt":')"
check "missing receipt names the field" '400 {"error":"receipt: missing"}' \
    "$(pay '{"id_number":"'$low'","amount_fen":19000}')"
check "bad ID names the field" 400 "$(code '{"receipt":"R9","id_number":"430923197211247870","amount_fen":38000}')"
check "amount must be positive fen" 400 "$(code '{"receipt":"R9","id_number":"'$plain'","amount_fen":0}')"
big=$(python3 -c "print('{\"receipt\":\"' + 'x' * 5000 + '\"}')")
check "a body over max_body" 413 "$(code "$big")"
check "nothing stored for bad requests" 1 "$(db "SELECT count(*) FROM payment")"
# Hostile bodies, correctly signed: refused with the field named, nothing stored.
rawpay() { python3 "$dir/raw.py" "$url/hooks/payments" pay-secret; }
outbox0=$(db "SELECT count(*) FROM outbox")
hp() { printf '{"receipt":"%s","id_number":"%s","amount_fen":38000}' "$1" "$plain"; } # JSON escapes stay text
check "CRLF in a receipt (header injection)" '400 {"error":"receipt: contains a control character"}' \
    "$(hp 'R5\r\nX-Evil: 1' | rawpay)"
check "\\u0000 in a receipt" '400 {"error":"receipt: contains a NUL character"}' "$(hp 'R5\u0000a' | rawpay)"
check "a raw NUL in a receipt" '400 {"error":"receipt: contains a NUL character"}' \
    "$(printf '{"receipt":"R5\0a","id_number":"%s","amount_fen":38000}' "$plain" | rawpay)"
check "invalid UTF-8 in the channel" '400 {"error":"channel: not valid UTF-8"}' \
    "$(printf '{"receipt":"R5","id_number":"%s","amount_fen":38000,"channel":"\xff\xfe"}' "$plain" | rawpay)"
check "a control character in a receipt" '400 {"error":"receipt: contains a control character"}' \
    "$(hp 'R5\u001b' | rawpay)"
check "bytes after the object" '400 {"error":"the body has bytes after the JSON object"}' \
    "$( (hp R5; printf ' {"receipt":"R6"}') | rawpay)"
check "a receipt given twice" '400 {"error":"receipt: given more than once"}' \
    "$(printf '{"receipt":"R5","receipt":"R6","id_number":"%s","amount_fen":38000}' "$plain" | rawpay)"
check "no payment and no outbox row from hostile bodies" "1 $outbox0" \
    "$(db "SELECT count(*) FROM payment") $(db "SELECT count(*) FROM outbox")"
# Kannel's query values: an MO id with CR LF, a delivery report id beyond int64.
kget() { curl -s -w ' %{http_code}' "$url/kannel/$1"; }
inbound0=$(db "SELECT count(*) FROM inbound")
check "a Kannel MO id with CR LF" '{"error":"id: contains a control character"} 400' \
    "$(kget "mo?secret=ks&from=13800138000&text=hi&id=k1%0D%0AX-Evil:%201")"
check "a Kannel MO text with a BEL" '{"error":"text: contains a control character"} 400' \
    "$(kget "mo?secret=ks&from=13800138000&text=hi%07&id=k1")"
check "a NUL in a Kannel MO id (two ids would collide)" '{"error":"a query value contains a NUL character"} 400' \
    "$(kget "mo?secret=ks&from=13800138000&text=hi&id=k1%00x")"
check "a DLR id overflowing int64" '{"error":"id: too large"} 400' \
    "$(kget "dlr?secret=ks&id=99999999999999999999&status=1")"
check "a DLR reply with CR LF" '{"error":"reply: contains a control character"} 400' \
    "$(kget "dlr?secret=ks&id=1&status=2&reply=NACK%0D%0AX-Evil:%201")"
check "nothing recorded from hostile Kannel calls" "$inbound0 $outbox0" \
    "$(db "SELECT count(*) FROM inbound") $(db "SELECT count(*) FROM outbox")"
check "wrong amount: 422, kept" 422 "$(code '{"receipt":"R2","id_number":"'$plain'","amount_fen":19000,"paid_at":"2023-11-02"}')"
check "unknown ID: 422, kept" 422 "$(code '{"receipt":"R3","id_number":"11010519491231002X","amount_fen":38000}')"
check "kept for reconciliation" 2 "$(db "SELECT count(*) FROM payment WHERE problem IS NOT NULL AND receipt IN ('R2','R3')")"
check "the same receipt with another amount conflicts" 409 \
    "$(code '{"receipt":"R1","id_number":"'$low'","amount_fen":38000}')"
# Payment dates (Lengshi closed 2023-12-31): a date that is no date, or in the future,
# is refused naming paid_at and nothing is stored; one after the window is a late
# enrolment at the funding standard (1020 yuan, covered 30 days after), never "matched".
check "paid_at not a date: 422 naming paid_at" \
    '422 {"error":"paid_at: \"not a date\" is not a date and time (YYYY-MM-DD[ HH:MM])"}' \
    "$(pay '{"receipt":"R4","id_number":"'$plain'","amount_fen":38000,"paid_at":"not a date"}')"
check "paid_at in the future: 422" 422 \
    "$(code '{"receipt":"R5","id_number":"'$plain'","amount_fen":38000,"paid_at":"2099-01-01"}')"
check "nothing stored for refused dates" 0 "$(db "SELECT count(*) FROM payment WHERE receipt IN ('R4','R5')")"
check "after the window at the personal fee: 422 late, kept" \
    '422 {"status":"unmatched","problem":"amount 380.00 yuan, expected 1020.00 for this person"}' \
    "$(pay '{"receipt":"R6","id_number":"'$other'","amount_fen":38000,"paid_at":"2024-10-05"}')"
check "after the window at the funding standard: 200 late" \
    '200 {"status":"late","rule":"late_enrolment","cover_from":"2024-11-04"}' \
    "$(pay '{"receipt":"R7","id_number":"'$other'","amount_fen":102000,"paid_at":"2024-10-05T09:00:00+08:00"}')"
check "recorded as late" "2024-10-05 late_enrolment 2024-11-04" \
    "$(db "SELECT paid_on || ' ' || late || ' ' || cover_from FROM payment WHERE receipt='R7'")"
until_ok 10 grep -q '"key":"thanks:R1"' "$dir/msgs.jsonl"
check "a thank-you went out through the outbox" 1 "$(grep -c '"key":"thanks:R1"' "$dir/msgs.jsonl")"

# The API and its token; figures match the CLI's.
check "API without a token" 401 "$(curl -s -o /dev/null -w '%{http_code}' "$url/api/progress")"
check "API with a wrong token" 401 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer nope' "$url/api/progress")"
check "API progress equals status --json" \
    "$(cb status --by village --json | json '[a["paid"] for a in d["areas"]]')" \
    "$(curl -s -H 'Authorization: Bearer t0ken' "$url/api/progress?by=village" | json '[a["paid"] for a in d["areas"]]')"
check "API resident, ID masked" "paid 1" \
    "$(curl -s -H 'Authorization: Bearer t0ken' "$url/api/residents/$low" | json 'd["status"], d["id_number"].count("*") > 0' | tr -d "(),'" | sed 's/True/1/')"
check "unknown endpoint" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$url/nope")"
m=$(curl -s "$url/metrics")
check "metrics count payments" 1 "$(echo "$m" | grep -c '^canbao_payments_total{outcome="matched"} 1$')"
check "metrics count late payments" 1 "$(echo "$m" | grep -c '^canbao_payments_total{outcome="late"} 1$')"
check "metrics have latency histograms" 1 \
    "$(echo "$m" | grep -c '^canbao_http_request_seconds_count{route="payments"} [1-9][0-9]$')"
# A WeChat-style reply, signed with its own secret; idempotent by message id.
pphone=$(db "SELECT phone FROM person WHERE id_number = '$plain'")
wx='{"msg_id":"w1","from":"'$pphone'","text":"放弃，买了商业保险"}'
check "a WeChat reply understood" '200 {"intent":"waiver","replay":false,"answered":true}' \
    "$(wechat wx-secret "$wx")"
check "the same message id again is a replay" '200 {"intent":"waiver","replay":true,"answered":false}' \
    "$(wechat wx-secret "$wx")"
check "a pending waiver with reason 1" "pending 1" \
    "$(db "SELECT state, reason FROM waiver w JOIN person p ON p.id = w.person_id WHERE p.id_number = '$plain'" | tr '|' ' ')"
check "WeChat with the payment secret is refused" 401 "$(wechat pay-secret "$wx" | cut -d' ' -f1)"
check "a sender that is no mobile number" 400 \
    "$(wechat wx-secret '{"msg_id":"w2","from":"12","text":"hi"}' | cut -d' ' -f1)"
inbound0=$(db "SELECT count(*) FROM inbound")
check "a WeChat msg_id with CR LF" '400 {"error":"msg_id: contains a control character"}' \
    "$(wechat wx-secret '{"msg_id":"w3\r\nX-Evil: 1","from":"'$pphone'","text":"hi"}')"
check "a WeChat text with \\u0000" '400 {"error":"text: contains a NUL character"}' \
    "$(wechat wx-secret '{"msg_id":"w3","from":"'$pphone'","text":"放弃\u0000"}')"
check "nothing recorded from hostile WeChat bodies" "$inbound0" "$(db "SELECT count(*) FROM inbound")"
# A waiver conversation through the daemon: 放弃 without a reason gets the question,
# the bare number completes it.
wphone=$(db "SELECT p.phone FROM person p JOIN enrolment e ON e.person_id = p.id WHERE e.status = 'unpaid' AND e.categories = '' AND p.phone IS NOT NULL AND p.phone NOT IN (SELECT phone FROM person WHERE id_number = '$plain') GROUP BY p.phone HAVING count(*) = 1 LIMIT 1")
check "放弃 without a reason is a waiver asking why" '200 {"intent":"waiver","replay":false,"answered":true}' \
    "$(wechat wx-secret '{"msg_id":"c1","from":"'$wphone'","text":"我们不想参加了"}')"
check "the bare number is the reason" 200 \
    "$(wechat wx-secret '{"msg_id":"c2","from":"'$wphone'","text":"2"}' | cut -d' ' -f1)"
check "a pending waiver with reason 2" "pending 2" \
    "$(db "SELECT w.state, w.reason FROM waiver w JOIN person p ON p.id = w.person_id WHERE p.phone = '$wphone'" | tr '|' ' ')"

# A survey to 100 people, answered through the daemon, tallied exactly.
cb survey start "$src/examples/survey-why-unpaid.json" --to unpaid --config "$dir/cfg.json" >/dev/null
db "SELECT recipient FROM outbox WHERE key LIKE 'survey:why-unpaid:%' ORDER BY recipient LIMIT 100" >"$dir/survey-phones"
check "the survey reached at least 100 phones" 100 "$(wc -l < "$dir/survey-phones")"
python3 - "$url" "$dir/survey-phones" >"$dir/survey-codes" <<'PY'
import hashlib, hmac, json, sys, time, urllib.request
url, phones = sys.argv[1], open(sys.argv[2]).read().split()
codes = []
for i, p in enumerate(phones):
    body = json.dumps({"msg_id": f"sv{i}", "from": p, "text": str(i % 6 + 1)})
    ts = str(int(time.time()))
    sig = "v1=" + hmac.new(b"wx-secret", (ts + "." + body).encode(), hashlib.sha256).hexdigest()
    req = urllib.request.Request(url + "/hooks/wechat", data=body.encode(), method="POST",
                                 headers={"X-Canbao-Timestamp": ts, "X-Canbao-Signature": sig})
    codes.append(json.loads(urllib.request.urlopen(req).read())["intent"])
print(" ".join(sorted(set(codes))), len(codes))
PY
check "every answer understood as a survey answer" "survey_answer 100" "$(cat "$dir/survey-codes")"
res=$(cb survey results why-unpaid --json)
check "100 answers tallied" 100 "$(echo "$res" | json 'd["questions"][0]["total"]["answers"]')"
check "tallied per choice" "[17, 17, 17, 17, 16, 16]" "$(echo "$res" | json 'd["questions"][0]["total"]["choices"]')"
# Reloads swap the templates without piling them up: twenty in a row, then an answer.
for i in $(seq 20); do kill -HUP "$spid"; sleep 0.05; done
reloads() { [ "$(grep -c 'reloading' "$dir/serve.err")" -ge 20 ]; }
until_ok 10 reloads
check "twenty reloads, still answering" '200 {"intent":"question","replay":false,"answered":true}' \
    "$(wechat wx-secret '{"msg_id":"h1","from":"'$wphone'","text":"要交多少钱"}')"
stop_serve
check "SIGTERM stops cleanly" 0 $?

# Kannel both ways. The daemon starts with the file channel only; Kannel starts with
# its MO URL on the daemon's port; SIGHUP then loads a config whose SMS route is that
# Kannel. Reminders come back as delivery reports (8, then 1: 'delivered'); a
# resident's SMS injected through fakesmsc reaches the bot, whose answer goes out
# through the outbox and Kannel back to fakesmsc.
if command -v bearerbox >/dev/null; then
    cat >"$dir/k0.json" <<EOF
{"channels": [{"name": "file", "type": "file", "path": "$dir/msgs0.jsonl"}],
 "dispatch": {"quiet_hours": "off", "cap_day": 0, "cap_week": 0},
 "serve": {"listen": "127.0.0.1:0", "kannel_secret": "ks"}}
EOF
    start_serve "$dir/k0.json"
    port=${url##*:}
    "$kannel" start "$dir/k" "$url/kannel/mo?secret=ks" >/dev/null || { echo "FAIL: Kannel"; exit 1; }
    kstarted=1
    . "$dir/k/env"
    python3 - "$dir/k0.json" "$dir/kcfg.json" "$KANNEL_SENDSMS_URL" "$KANNEL_USER" "$KANNEL_PASS" "$port" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["channels"] = [{"name": "kannel", "type": "kannel", "url": sys.argv[3], "username": sys.argv[4],
                  "password": sys.argv[5], "max_parts": 3, "signature": "【冷市医保】",
                  "optout_suffix": "回T退订", "rate": 500, "burst": 50,
                  "dlr_url": f"http://127.0.0.1:{sys.argv[6]}/kannel/dlr?secret=ks&id={{id}}&status=%d&reply=%A"}]
json.dump(c, open(sys.argv[2], "w"), ensure_ascii=False)
PY
    cp "$dir/kcfg.json" "$dir/k0.json"
    kill -HUP "$spid"
    until_ok 10 grep -q 'reloading' "$dir/serve.err"
    sleep 0.5
    n=$(cb send --template remind_periodic --to unpaid:village=冷市镇/南华村 --config "$dir/kcfg.json" \
        | sed -n 's/.*new in the outbox \([0-9]*\).*/\1/p')
    delivered() { test "$(db "SELECT count(*) FROM outbox WHERE status = 'delivered'")" = "$n"; }
    until_ok 60 delivered || { echo "serve's log:"; cat "$dir/serve.err"; }
    check "after SIGHUP every reminder went through Kannel and was delivered" "$n" \
        "$(db "SELECT count(*) FROM outbox WHERE status = 'delivered'")"
    check "a DLR without the secret is refused" 401 \
        "$(curl -s -o /dev/null -w '%{http_code}' "$url/kannel/dlr?id=1&status=1")"
    # The plain resident asks how much; the bot answers with their own 380 yuan.
    phone=$(db "SELECT phone FROM person WHERE id_number = '$plain'")
    "$kannel" mo "$dir/k" "$phone" "$KANNEL_SENDER" "请问我要交多少钱？" >/dev/null
    answer() { db "SELECT text FROM outbox WHERE key LIKE 'reply:%' AND recipient = '$phone' AND template = 'answer_amount'"; }
    answers() { python3 "$src/tests/kannel/fakesmsc_decode.py" "$FAKESMSC_LOG" |
        python3 -c "import json,sys; t=sys.argv[1]; print(sum(1 for l in sys.stdin if (m:=json.loads(l))['to']=='$phone' and m['text']=='【冷市医保】'+t+'回T退订'))" "$(answer)"; }
    answered() { [ -n "$(answer)" ] && [ "$(answers)" -ge 1 ]; }
    until_ok 30 answered
    check "a resident's SMS reached the bot and its answer came back to fakesmsc, once" 1 "$(answers)"
    check "the answer names the resident's own amount" 1 "$(answer | grep -c 380)"
    check "the reply was recorded once as a question" "question" \
        "$(db "SELECT intent FROM inbound WHERE channel = 'kannel'")"
    stop_serve
    check "SIGTERM after sending" 0 $?
fi

echo "serve: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

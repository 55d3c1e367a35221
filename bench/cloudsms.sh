#!/usr/bin/env bash
# bench/cloudsms: N queued reminders (default 50,000) through the real dispatcher to the
# loopback cloud SMS double (tests/gateway/cloudsms_double.py, every request's signature
# checked), once as aliyun_sms (SendBatchSms, 100 numbers a call) and once as
# tencent_sms (SendSms, 200 numbers a call), every result recorded in SQLite. In the same
# run wrk replays one signed 200-number Tencent request against the same double: its
# requests/s x 200 is what the double can take, and the ratio says who is the bottleneck.
# Target (issue 14): >= 20,000 recipients/s.
#   MESSAGES=50000 CONNECTIONS=8 WRK_DURATION=5s
set -euo pipefail
cd "$(dirname "$0")/.."
n=${MESSAGES:-50000}
conns=${CONNECTIONS:-8}
out=bench/out
mkdir -p "$out"
command -v wrk >/dev/null || { echo "bench/cloudsms: wrk missing (apt-get install wrk)" >&2; exit 1; }
cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DCB_BUILD_TESTS=ON >/dev/null
cmake --build build/bench -j2 --target cb_bench_dispatch >/dev/null

. tests/gateway/gateway.sh
dir=$(mktemp -d)
trap 'gateway_stop; rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM
gateway_start tests/gateway/cloudsms_double.py "$dir" --fast
stats() { curl -s "$GW_URL/stats" | python3 -c "import json,sys; d=json.load(sys.stdin); print(sum(d['requests'].values()))"; }

# chan TYPE FILE: the channel, rate-unlimited, one template with the same values for all.
chan() {
    python3 - "$1" "$2" "$GW_URL" <<'PY'
import json, sys
typ, out, url = sys.argv[1:]
if typ == "aliyun_sms":
    c = {"url": url + "/aliyun/", "access_key_id": "LTAItest", "access_key_secret": "aliyun-test-secret",
         "templates": {"remind_periodic": {"code": "SMS_1", "content": "${county}医保：截止${deadline}。",
                                           "params": {"county": "county", "deadline": "deadline"}}}}
else:
    c = {"url": url + "/tencent/", "secret_id": "AKIDtest", "secret_key": "tencent-test-key",
         "sdk_app_id": "1400006666",
         "templates": {"remind_periodic": {"code": "1101", "content": "{1}医保：截止{2}。",
                                           "params": ["county", "deadline"]}}}
c.update({"name": "hook", "type": typ, "sign_name": "冷市医保", "rate": 1000000, "burst": 1000000})
json.dump(c, open(out, "w"), ensure_ascii=False)
PY
}

declare -A rate reqs
for p in aliyun_sms:100 tencent_sms:200; do
    typ=${p%%:*} size=${p##*:}
    chan "$typ" "$dir/$typ.json"
    before=$(stats)
    line=$(build/bench/bench/cb_bench_dispatch "$out/cloudsms.db" "$GW_URL" "$n" "$conns" \
        "$dir/$typ.json" $((conns * size)))
    echo "$typ: $line"
    rate[$typ]=$(echo "$line" | sed -n 's/.*msgs_per_s=\([0-9]*\).*/\1/p')
    reqs[$typ]=$(( $(stats) - before ))
done

# One signed SendSms of 200 numbers, replayed by wrk (TC3 has no nonce; 5 min validity).
python3 - "$GW_URL" "$dir/tc.lua" <<'PY'
import importlib.util, json, sys, time
url, out = sys.argv[1:]
spec = importlib.util.spec_from_file_location("double", "tests/gateway/cloudsms_double.py")
d = importlib.util.module_from_spec(spec); spec.loader.exec_module(d)
host, ct, ts = url.split("://")[1], "application/json; charset=utf-8", int(time.time())
body = json.dumps({"PhoneNumberSet": ["+86138%08d" % i for i in range(200)], "SmsSdkAppId": "1400006666",
                   "SignName": "冷市医保", "TemplateId": "1101", "TemplateParamSet": ["冷市", "12月31日"],
                   "SessionContext": "1"}, ensure_ascii=False, separators=(",", ":")).encode()
sig, scope = d.tc3("tencent-test-key", "sms", host, ct, ts, body)
auth = "TC3-HMAC-SHA256 Credential=AKIDtest/%s, SignedHeaders=content-type;host, Signature=%s" % (scope, sig)
lua = 'wrk.method = "POST"\nwrk.body = %s\n' % json.dumps(body.decode("utf-8"), ensure_ascii=False)
for k, v in (("Content-Type", ct), ("Authorization", auth), ("X-TC-Action", "SendSms"),
             ("X-TC-Version", "2021-01-11"), ("X-TC-Timestamp", str(ts)), ("X-TC-Region", "ap-guangzhou")):
    lua += 'wrk.headers["%s"] = "%s"\n' % (k, v)
open(out, "w", encoding="utf-8").write(lua)
PY
wrk -t2 -c"$conns" -d"${WRK_DURATION:-5s}" -s "$dir/tc.lua" "$GW_URL/tencent/" >"$dir/wrk"
cat "$dir/wrk" >&2
wrk_rps=$(awk '/^Requests\/sec:/ {print $2}' "$dir/wrk")
python3 - "$n" "${rate[aliyun_sms]}" "${reqs[aliyun_sms]}" "${rate[tencent_sms]}" \
    "${reqs[tencent_sms]}" "$wrk_rps" <<'PY'
import sys
n = int(sys.argv[1]); ar, aq, tr, tq, w = map(float, sys.argv[2:])
print(f"aliyun_sms  : {ar:9.0f} recipients/s  ({n} in {aq:.0f} requests, {n / aq:.0f} a request)")
print(f"tencent_sms : {tr:9.0f} recipients/s  ({n} in {tq:.0f} requests, {n / tq:.0f} a request)")
print(f"wrk, 200-number SendSms on the double: {w:.0f} requests/s = {w * 200:.0f} recipients/s")
print(f"ratio tencent_sms/wrk (recipients): {tr / (w * 200):.2f}  (target >= 20000 recipients/s)")
PY

#!/usr/bin/env bash
# cb_test_gateway against curl + openssl: each endpoint's accepted and rejected shapes and
# signatures, the --log lines, duplicates, the robot limit, fault modes via /control, /stats,
# and a clean stop by pid.
# usage: gateway_test.sh CB_TEST_GATEWAY SOURCE_DIR
set -u
bin=$1
src=$2
. "$src/tests/lib.sh"
. "$src/tests/gateway/gateway.sh"
dir=$(mktemp -d)
trap 'gateway_stop; rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
secret='s3cret+/='
log=$dir/messages.log

# post PATH BODY [CURL ARGS...]: prints "HTTP_CODE BODY"
post() {
    local path=$1 body=$2
    shift 2
    local code
    code=$(curl -s -o "$dir/resp" -w '%{http_code}' -H 'Content-Type: application/json' \
        --data-binary "$body" "$@" "$GW_URL$path")
    echo "$code $(cat "$dir/resp")"
}
control() { post /control "$1" >/dev/null; }
count() { curl -s "$GW_URL/stats" | json "d['endpoints']['$1']['$2']"; }
logged() { # logged ENDPOINT PYTHON-EXPR-over-l: how many log lines of ENDPOINT match
    python3 -c "
import json,sys
n=0
for line in open(sys.argv[1], encoding='utf-8'):
    l=json.loads(line)
    if l['endpoint']==sys.argv[2] and ($2): n+=1
print(n)" "$log" "$1"
}
urlenc() { python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
hmac_hex() { printf '%s' "$2" | openssl dgst -sha256 -hmac "$1" -hex | sed 's/^.*= //'; }
hmac_b64() { printf '%s' "$2" | openssl dgst -sha256 -hmac "$1" -binary | base64; }

gateway_start "$bin" "$dir" --secret "$secret" --log "$log" --robot-limit --sms-auth || exit 1
check "pidfile names the process" "$GW_PID" "$(cat "$dir/gateway.pid")"

# --- WeCom robot
k=robot-A
check "wecom text" '200 {"errcode":0,"errmsg":"ok"}' \
    "$(post "/wecom/send?key=$k" '{"msgtype":"text","text":{"content":"冷市镇 缴费提醒","mentioned_mobile_list":["13800138000","@all"]}}')"
check "wecom markdown" '200 {"errcode":0,"errmsg":"ok"}' \
    "$(post "/wecom/send?key=$k" '{"msgtype":"markdown","markdown":{"content":"## 进度\n> 已缴 124/200"}}')"
check "wecom text logged with mentions" 1 \
    "$(logged wecom "l['text']=='冷市镇 缴费提醒' and l['to']==['13800138000','@all'] and l['key']=='$k' and l['msgtype']=='text'")"
check "wecom markdown logged" 1 "$(logged wecom "l['text']=='## 进度\n> 已缴 124/200' and l['to']==[]")"
check "wecom without key" 93000 "$(post /wecom/send '{"msgtype":"text","text":{"content":"x"}}' | cut -d' ' -f2- | json "d['errcode']")"
check "wecom unknown msgtype" 93000 "$(post "/wecom/send?key=$k" '{"msgtype":"image","image":{}}' | cut -d' ' -f2- | json "d['errcode']")"
check "wecom empty content" 93000 "$(post "/wecom/send?key=$k" '{"msgtype":"text","text":{"content":""}}' | cut -d' ' -f2- | json "d['errcode']")"
check "wecom mentions not strings" 93000 "$(post "/wecom/send?key=$k" '{"msgtype":"text","text":{"content":"x","mentioned_mobile_list":[138]}}' | cut -d' ' -f2- | json "d['errcode']")"
big=$(python3 -c 'print("x"*2049)')
check "wecom text over 2048 bytes" 93000 "$(post "/wecom/send?key=$k" "{\"msgtype\":\"text\",\"text\":{\"content\":\"$big\"}}" | cut -d' ' -f2- | json "d['errcode']")"
check "wecom not JSON" 93000 "$(post "/wecom/send?key=$k" 'msgtype=text' | cut -d' ' -f2- | json "d['errcode']")"
codes=""
for i in $(seq 1 21); do
    codes="$codes $(post "/wecom/send?key=robot-B" "{\"msgtype\":\"text\",\"text\":{\"content\":\"n$i\"}}" | cut -d' ' -f2- | json "d['errcode']")"
done
check "wecom robot limit: 20 a minute, then 45009" "$(printf ' 0%.0s' $(seq 20)) 45009" "$codes"
check "wecom limit is per key" 0 "$(post "/wecom/send?key=robot-C" '{"msgtype":"text","text":{"content":"c"}}' | cut -d' ' -f2- | json "d['errcode']")"

# --- DingTalk robot (加签)
check "dingtalk signer matches PROTOCOLS 3's vector" "figG6qqCA/lRh0hsGCW2zNtNV5znkAFut5BI0zKhqnQ=" \
    "$(hmac_b64 SECexample0123456789 "$(printf '1700000000000\nSECexample0123456789')")"
ding() { # ding TIMESTAMP_MS BODY [SECRET]
    local s=${3:-$secret}
    post "/dingtalk/send?access_token=tok1&timestamp=$1&sign=$(urlenc "$(hmac_b64 "$s" "$(printf '%s\n%s' "$1" "$s")")")" "$2" |
        cut -d' ' -f2- | json "d['errcode'], d['errmsg']"
}
now_ms=$(date +%s%3N)
check "dingtalk text" "0 ok" "$(ding "$now_ms" '{"msgtype":"text","text":{"content":"缴费提醒 @13800001111"},"at":{"atMobiles":["13800001111"],"isAtAll":false}}')"
check "dingtalk markdown" "0 ok" "$(ding "$now_ms" '{"msgtype":"markdown","markdown":{"title":"缴费进度","text":"#### 某某村\n> 已缴 124/200 户"}}')"
check "dingtalk text logged" 1 "$(logged dingtalk "l['text']=='缴费提醒 @13800001111' and l['to']==['13800001111'] and l['key']=='tok1'")"
check "dingtalk markdown logged with title" 1 "$(logged dingtalk "l.get('title')=='缴费进度'")"
check "dingtalk wrong secret" "310000 sign not match" "$(ding "$now_ms" '{"msgtype":"text","text":{"content":"x"}}' wrong)"
old=$((now_ms - 3700000))
check "dingtalk timestamp over an hour old" "310000 invalid timestamp" "$(ding "$old" '{"msgtype":"text","text":{"content":"x"}}')"
check "dingtalk markdown without title" 40035 "$(ding "$now_ms" '{"msgtype":"markdown","markdown":{"text":"x"}}' | cut -d' ' -f1)"
# A timestamp whose signature holds a '+', which must be sent as %2B.
t=$now_ms
until sig=$(hmac_b64 "$secret" "$(printf '%s\n%s' "$t" "$secret")") && [ "${sig#*+}" != "$sig" ]; do t=$((t - 1)); done
check "dingtalk sign not URL-escaped" 310000 \
    "$(post "/dingtalk/send?access_token=tok1&timestamp=$t&sign=$sig" '{"msgtype":"text","text":{"content":"x"}}' | cut -d' ' -f2- | json "d['errcode']")"
check "dingtalk without token" 300005 "$(post "/dingtalk/send?timestamp=$now_ms&sign=x" '{}' | cut -d' ' -f2- | json "d['errcode']")"

# --- signed webhook
check "webhook signer matches PROTOCOLS 9's vector" c7619dfedb7e9cb5d05a06f6aaa1748583295549da6c20fcf3ca9263f0b55c9c \
    "$(hmac_hex whsec_test_secret '1700000000.{"event":"payment.succeeded","order":"A1"}')"
hook() { # hook TIMESTAMP BODY IDEMPOTENCY-KEY [SIGNATURE-HEADER]
    local sig=${4:-v1=$(hmac_hex "$secret" "$1.$2")}
    post /webhook "$2" -H "X-Canbao-Timestamp: $1" -H "X-Canbao-Signature: $sig" ${3:+-H "Idempotency-Key: $3"}
}
now=$(date +%s)
body='{"id":"m-1","key":"reminder","to":"13800138000","text":"请于12月31日前缴费"}'
check "webhook signed" '200 {"ok":true}' "$(hook "$now" "$body" idem-1)"
check "webhook logged" 1 "$(logged webhook "l['id']=='m-1' and l['to']=='13800138000' and l['text']=='请于12月31日前缴费' and l['idempotency_key']=='idem-1' and 'duplicate' not in l")"
check "webhook bad signature" 401 "$(hook "$now" "$body" idem-2 "v1=$(hmac_hex wrong "$now.$body")" | cut -d' ' -f1)"
check "webhook body changed after signing" 401 "$(hook "$now" "$body" idem-2 "v1=$(hmac_hex "$secret" "$now.$body ")" | cut -d' ' -f1)"
check "webhook one of two signatures matches" 200 "$(hook "$now" "$body" idem-3 "v1=$(hmac_hex wrong x),v1=$(hmac_hex "$secret" "$now.$body")" | cut -d' ' -f1)"
now=$(date +%s)
check "webhook timestamp 302 s old" 401 "$(hook $((now - 302)) "$body" idem-4 | cut -d' ' -f1)"
check "webhook timestamp 302 s ahead" 401 "$(hook $((now + 302)) "$body" idem-4 | cut -d' ' -f1)"
check "webhook timestamp 290 s old" 200 "$(hook $((now - 290)) "$body" idem-4 | cut -d' ' -f1)"
check "webhook without Idempotency-Key" 400 "$(hook "$now" "$body" "" | cut -d' ' -f1)"
check "webhook without text" 400 "$(hook "$now" '{"id":1,"to":"13800138000"}' idem-5 | cut -d' ' -f1)"
check "webhook replay answered" 200 "$(hook "$now" "$body" idem-1 | cut -d' ' -f1)"
check "webhook replay logged as duplicate" 1 "$(logged webhook "l['idempotency_key']=='idem-1' and l.get('duplicate') is True")"
check "webhook duplicates counted" 1 "$(count webhook duplicates)"

# --- generic JSON SMS
auth="Authorization: Bearer $secret"
out=$(post /sms '{"to":"13800138000","text":"【冷市医保】您家还有1人未缴费","out_id":"o-1"}' -H "$auth")
check "sms accepted" 200 "${out%% *}"
mid=$(echo "${out#* }" | json "d['code'] + ' ' + d['message_id']")
check "sms answer" "OK gw-" "${mid%gw-*}gw-"
check "sms logged with its message id" 1 "$(logged sms "l['out_id']=='o-1' and l['to']=='13800138000' and l['text']=='【冷市医保】您家还有1人未缴费' and 'OK '+l['message_id']=='$mid'")"
check "sms without auth" 401 "$(post /sms '{"to":"13800138000","text":"x","out_id":"o-2"}' | cut -d' ' -f1)"
check "sms wrong auth" 401 "$(post /sms '{"to":"13800138000","text":"x","out_id":"o-2"}' -H 'Authorization: Bearer nope' | cut -d' ' -f1)"
check "sms bad number" 400 "$(post /sms '{"to":"138-0013","text":"x","out_id":"o-2"}' -H "$auth" | cut -d' ' -f1)"
check "sms without out_id" 400 "$(post /sms '{"to":"13800138000","text":"x"}' -H "$auth" | cut -d' ' -f1)"
t500=$(python3 -c 'print("缴"*500)')
check "sms 500 characters" 200 "$(post /sms "{\"to\":\"13800138000\",\"text\":\"$t500\",\"out_id\":\"o-3\"}" -H "$auth" | cut -d' ' -f1)"
check "sms 501 characters" 400 "$(post /sms "{\"to\":\"13800138000\",\"text\":\"${t500}缴\",\"out_id\":\"o-4\"}" -H "$auth" | cut -d' ' -f1)"

# --- sink, Kannel callbacks, unknown paths, big bodies
check "sink GET" '200 {"errcode":0}' "$(curl -s -w '%{http_code} ' -o "$dir/resp" "$GW_URL/sink"; cat "$dir/resp")"
check "sink POST" '200 {"errcode":0}' "$(post /sink '{"anything":1}')"
check "mo answered" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$GW_URL/mo?from=13800138001&to=10690000&text=%E5%B7%B2%E7%BC%B4%E8%B4%B9++%E8%B0%A2%E8%B0%A2&id=abc")"
check "mo logged in UTF-8, spaces kept" 1 "$(logged mo "l['from']=='13800138001' and l['text']=='已缴费  谢谢' and l['query']['id']=='abc'")"
curl -s -o /dev/null "$GW_URL/dlr?id=m1&status=8&raw=%00N"
check "dlr logged; bytes that are not UTF-8 as hex" 1 "$(logged dlr "l['query']=={'id':'m1','status':'8','raw':'hex:004e'}")"
check "unknown path" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$GW_URL/nope")"
check "wrong method" 405 "$(curl -s -o /dev/null -w '%{http_code}' "$GW_URL/sms")"
check "body over 64 KiB" 413 "$(python3 -c 'print("x"*70000)' | curl -s -o /dev/null -w '%{http_code}' --data-binary @- "$GW_URL/sms")"

# --- fault modes
sms() { post /sms "{\"to\":\"13800138000\",\"text\":\"f\",\"out_id\":\"$1\"}" -H "$auth" | cut -d' ' -f1; }
before=$(logged sms True)
control '{"mode":"5xx"}'
check "5xx mode" 503 "$(sms f-1)"
check "control shows the mode" 5xx "$(curl -s "$GW_URL/control" | json "d['mode']")"
control '{"mode":"429","retry_after":7}'
check "429 mode with Retry-After" "429 7" "$(curl -s -D - -o /dev/null -H "$auth" --data-binary '{}' "$GW_URL/sms" | tr -d '\r' | awk '/^HTTP/{c=$2} /^Retry-After:/{r=$2} END{print c, r}')"
control '{"mode":"drop"}'
curl -s -o /dev/null -H "$auth" --data-binary '{"to":"13800138000","text":"f","out_id":"f-2"}' "$GW_URL/sms"
check "drop mode closes without an answer (curl 52)" 52 $?
check "faults are not logged" "$before" "$(logged sms True)"
check "faults counted" 3 "$(count sms faulted)"
control '{"mode":"flaky","fail_every":3}'
codes=""
for i in 1 2 3 4 5 6; do codes="$codes $(sms "fl-$i")"; done
check "flaky: every 3rd fails" " 200 200 503 200 200 503" "$codes"
control '{"mode":"slow","delay_ms":400}'
t0=$(date +%s%N)
pids=""
for i in 1 2 3 4 5 6; do sms "sl-$i" >"$dir/slow-$i" & pids="$pids $!"; done
wait $pids
ms=$((($(date +%s%N) - t0) / 1000000))
check "slow: 6 parallel requests answered" "200 200 200 200 200 200" "$(cat "$dir"/slow-* | tr '\n' ' ' | sed 's/ $//')"
check "slow: delayed, concurrently (400 ms <= t < 1200 ms)" 1 "$((ms >= 400 && ms < 1200))"
check "bad control mode" 400 "$(post /control '{"mode":"sometimes"}' | cut -d' ' -f1)"
control '{"mode":"ok"}'
check "ok again" 200 "$(sms ok-1)"

# --- every accepted message is logged once; stats add up
for ep in wecom dingtalk webhook sms mo dlr; do
    check "$ep: log lines = accepted" "$(count $ep accepted)" "$(logged $ep True)"
    check "$ep: requests = accepted + rejected + faulted" "$(count $ep requests)" \
        "$(($(count $ep accepted) + $(count $ep rejected) + $(count $ep faulted)))"
done
check "keep-alive reuses connections" 1 "$(c0=$(curl -s "$GW_URL/stats" | json "d['connections']");
    curl -s -o /dev/null -o /dev/null "$GW_URL/sink" "$GW_URL/sink"; c1=$(curl -s "$GW_URL/stats" | json "d['connections']");
    echo $((c1 - c0 == 2)))"

# --- stop by pid: exits, removes its pidfile; --mode at start
pid=$GW_PID
gateway_stop
check "gateway exits 0 on SIGTERM" 0 $?
check "gateway wrote nothing on stderr" "" "$(head -c 2000 "$dir/gateway.err")"
check "stopped" 1 "$(kill -0 "$pid" 2>/dev/null && echo 0 || echo 1)"
check "pidfile removed" 1 "$([ -e "$dir/gateway.pid" ] && echo 0 || echo 1)"
gateway_start "$bin" "$dir" --mode flaky --fail-every 1 || exit 1
check "--mode at start" 503 "$(curl -s -o /dev/null -w '%{http_code}' "$GW_URL/sink")"
check "stats and control are never faulted" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$GW_URL/stats")"
control '{"mode":"slow","delay_ms":60000}'
curl -s -o /dev/null --max-time 10 "$GW_URL/sink" &
curl_pid=$!
until [ "$(curl -s "$GW_URL/stats" | json "d['endpoints']['sink']['requests']")" = 2 ]; do sleep 0.05; done
gateway_stop
check "stops with a request held by slow mode" 0 $?
wait $curl_pid

echo "gateway_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

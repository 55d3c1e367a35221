#!/usr/bin/env bash
# Messages in the apps the county uses, end to end against tests/apps_double.py (real
# HTTP on 127.0.0.1): grid workers' to-do lists to their WeCom userids (one gettoken
# for every message; a token the provider expires mid-run is fetched again once; an
# invaliduser fails that row), to a DingTalk userid (task id kept); residents' openids
# imported, template messages through 'canbao serve', the double's signed
# TEMPLATESENDJOBFINISH push -> outbox 'delivered'; 43004 -> failed and an opt-out; the
# URL check (echostr) and an unsigned push refused. DingTalk rows polled with getsendresult
# (delivered; an invalid userid failed). A resident binds their openid by replying with
# the end of their ID number; a bound openid's text reaches the bot as their phone's;
# unsubscribe opts out; every push answered "success".
# usage: workmsg_test.sh CANBAO SOURCE_DIR
set -u
. "$2/tests/lib.sh"
cli_env "$1" "$2"
dpid= spid=
trap '[ -n "$spid" ] && kill "$spid" 2>/dev/null; [ -n "$dpid" ] && kill "$dpid" 2>/dev/null; [ -n "${KEEP:-}" ] && echo "kept $dir" || rm -rf "$dir"' EXIT
db() { sqlite3 "$dir/t.db" "$1"; }

python3 "$src/tests/apps_double.py" "$dir/double.log" --mp-token mptoken >"$dir/double.out" 2>"$dir/double.err" &
dpid=$!
until_ok 10 grep -q listening "$dir/double.out" || { echo "FAIL: the double did not start"; exit 1; }
base=http://127.0.0.1:$(awk '{print $2}' "$dir/double.out")
stat() { curl -s "$base/stats" | json "$1"; }

export T_WECOM=wc-secret T_DT=dt-secret T_MP=mp-secret T_MP_TOKEN=mptoken
cat >"$dir/config.json" <<EOF
{"channels": [
  {"name": "wecom", "type": "wecom_app", "base_url": "$base", "corpid": "ww-corp",
   "corpsecret_env": "T_WECOM", "agentid": 1000002, "enable_duplicate_check": true},
  {"name": "ding", "type": "dingtalk_work", "base_url": "$base/", "appkey": "dt-key",
   "appsecret_env": "T_DT", "agent_id": 2000001},
  {"name": "wechat", "type": "wechat_mp", "base_url": "$base", "appid": "wx-app",
   "appsecret_env": "T_MP", "template_id": "TPL-remind", "text_field": "thing1",
   "data": {"thing2": "城乡居民医保"}},
  {"name": "dryrun", "type": "file", "path": "$dir/dry.jsonl"}],
 "serve": {"listen": "127.0.0.1:0", "wechat_mp_token_env": "T_MP_TOKEN"},
 "dispatch": {"backoff_base_s": 1, "poll_first_s": 2},
 "jobs": {"todo_route": "wecom", "out_dir": "$dir/out"}}
EOF

cb init --policy "$src/examples/lengshi-2024.json" >/dev/null
cb import roster "$src/examples/roster-lengshi-sample.csv" --report "$dir/rej.csv" >/dev/null
{
    echo "工号,姓名,手机,乡镇,村,组,户号,渠道,企业微信账号,dingtalk_userid"
    echo "W01,甲,13800001001,冷市镇,南华村,1组,,,zhang01,"
    echo "W02,乙,13800001002,冷市镇,南华村,2组,,,li02,"
    echo "W03,丙,,冷市镇,文昌村,,,,wang03,"
    echo "W04,丁,13800001004,冷市镇,南华村,3组,,,nobody4,"
    echo "W05,戊,13800001005,冷市镇,南华村,4组,,ding,,dt-zhao05"
    echo "W06,己,13800001006,冷市镇,南华村,5组,,,bad|two,"
    echo "W07,庚,13800001007,冷市镇,南华村,6组,,ding,,nobody7"
} >"$dir/workers.csv"
cb import workers "$dir/workers.csv" --report "$dir/wrej.csv" >/dev/null
check "a userid with '|' is rejected" "1" "$(grep -c 'wecom_userid.*contains' "$dir/wrej.csv")"
check "userids stored" "zhang01|dt-zhao05" "$(db "SELECT group_concat(ifnull(wecom_userid, dingtalk_userid), '|') FROM worker WHERE code IN ('W01','W05')")"

cb --today 2024-11-20 todo --config "$dir/config.json" >/dev/null
check "to-do lists queued to the userids" "li02 nobody4 wang03 zhang01 dt-zhao05 nobody7" \
    "$(db "SELECT group_concat(recipient, ' ') FROM (SELECT recipient FROM outbox WHERE route = 'wecom' ORDER BY recipient)") $(db "SELECT group_concat(recipient, ' ') FROM (SELECT recipient FROM outbox WHERE route = 'ding' ORDER BY id)")"
cb dispatch --once --config "$dir/config.json" >/dev/null 2>"$dir/d1.err"
check "WeCom: three sent" "3" "$(db "SELECT count(*) FROM outbox WHERE route = 'wecom' AND status = 'sent'")"
check "WeCom: one token for four messages" "1" "$(stat 'd["gettoken"]["wecom"]')"
check "WeCom: invaliduser fails its row" "failed|invaliduser: nobody4" \
    "$(db "SELECT status, error FROM outbox WHERE recipient = 'nobody4'")"
check "WeCom: the double got agentid and duplicate check" "3 1" \
    "$(python3 -c 'import json,sys; l=[json.loads(x) for x in open(sys.argv[1]) if "\"wecom\"" in x]; print(len(l), l[0]["dup"])' "$dir/double.log")"
check "DingTalk: sent with the task id, a poll due" "sent|256271667|1" \
    "$(db "SELECT status, substr(gateway_id, 1, 9), poll_at > sent_at FROM outbox WHERE route = 'ding' AND recipient = 'dt-zhao05'")"
check "DingTalk: agent_id and userid_list" "2000001 dt-zhao05" \
    "$(python3 -c 'import json,sys; l=[json.loads(x) for x in open(sys.argv[1]) if "\"dingtalk\"" in x]; l=[x for x in l if x["to"] == "dt-zhao05"]; print(l[0]["agent_id"], l[0]["to"])' "$dir/double.log")"

# The provider expires the token mid-run: the next messages get 42001, one fetch.
curl -s -X POST "$base/control?expire=wecom" >/dev/null
cb --today 2024-11-21 todo --config "$dir/config.json" >/dev/null
cb dispatch --once --config "$dir/config.json" >/dev/null 2>"$dir/d2.err"
check "WeCom: expired token refreshed once" "2" "$(stat 'd["gettoken"]["wecom"]')"
check "WeCom: the day's lists sent after the refresh" "6" \
    "$(db "SELECT count(*) FROM outbox WHERE route = 'wecom' AND status = 'sent'")"
# DingTalk answers getsendresult: the sent rows are asked about once their poll is due.
sleep 2
cb dispatch --once --config "$dir/config.json" >/dev/null 2>"$dir/d3.err"
check "DingTalk: polled, delivered (unread_user_id_list)" "delivered delivered||0" \
    "$(db "SELECT group_concat(status, ' '), ifnull(max(error), ''), count(poll_at) FROM outbox WHERE route = 'ding' AND recipient = 'dt-zhao05'")"
check "DingTalk: polled, an invalid userid failed" "failed failed|DingTalk: invalid_user_id_list|0" \
    "$(db "SELECT group_concat(status, ' '), max(error), count(poll_at) FROM outbox WHERE route = 'ding' AND recipient = 'nobody7'")"
check "DingTalk: one getsendresult a row" "4" "$(stat 'd["polled"]')"

# Residents in WeChat: two bound by import, one of them unsubscribed.
read -r p1 p2 village < <(python3 - "$src/examples/roster-lengshi-sample.csv" "$dir/rej.csv" <<'PY'
import csv, sys
bad = {int(r["line"]) for r in csv.DictReader(open(sys.argv[2]))}
lines = open(sys.argv[1], "rb").read().decode("utf-8", "replace").split("\n")
head = next(csv.reader([lines[0]]))
by = {}
for i, line in enumerate(lines[1:], start=2):
    r = dict(zip(head, next(csv.reader([line])))) if line else {}
    if line and i not in bad and r["status"] == "unpaid" and r["phone"]:
        by.setdefault((r["township"], r["village"]), {}).setdefault(r["phone"], r["person_id"])
# the smallest village with two phones: its reminders are few
(t, v), ids = min(((k, list(p.values())) for k, p in by.items() if len(p) >= 2), key=lambda kl: len(kl[1]))
print(ids[0], ids[1], t + "/" + v)
PY
)
printf '身份证号,openid\n%s,oAbc_resident-1\n%s,unsub_resident2\n430923000000000000,oNobody\n' "$p1" "$p2" >"$dir/openids.csv"
cb import openids "$dir/openids.csv" --report "$dir/orej.csv" >/dev/null
check "openids imported, a bad ID rejected" "2 1" "$(db "SELECT count(*) FROM wechat_bind") $(($(wc -l <"$dir/orej.csv") - 1))"
cb --now "2024-11-21 10:00" send --template remind_periodic --to "unpaid:village=$village" --route wechat --config "$dir/config.json" >/dev/null

"$canbao" --db "$dir/t.db" --now "2024-11-21 10:00" serve --config "$dir/config.json" >"$dir/serve.out" 2>"$dir/serve.err" &
spid=$!
until_ok 10 grep -q listening "$dir/serve.out" || { echo "FAIL: serve did not start"; cat "$dir/serve.err"; exit 1; }
url=http://127.0.0.1:$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$dir/serve.out")
curl -s -X POST "$base/control?push=$url/wechat/mp" >/dev/null
sig=$(python3 -c 'import hashlib; print(hashlib.sha1("".join(sorted(["mptoken","1700000000","42"])).encode()).hexdigest())')
check "URL check answers echostr" "e12345" "$(curl -s "$url/wechat/mp?signature=$sig&timestamp=1700000000&nonce=42&echostr=e12345")"
check "a wrong signature is 401" "401" "$(curl -s -o /dev/null -w '%{http_code}' "$url/wechat/mp?signature=${sig/a/b}x&timestamp=1700000000&nonce=42&echostr=e1")"
check "an unsigned push is 401" "401" "$(curl -s -o /dev/null -w '%{http_code}' -d '<xml></xml>' "$url/wechat/mp")"
check "a malformed push is 400" "400" "$(curl -s -o /dev/null -w '%{http_code}' -d '<xml><A><B>1</B></A></xml>' "$url/wechat/mp?signature=$sig&timestamp=1700000000&nonce=42")"
pid1=$(db "SELECT id FROM person WHERE key = substr('$p1', 1, 17)")
pid2=$(db "SELECT id FROM person WHERE key = substr('$p2', 1, 17)")
until_ok 15 test "$(db "SELECT status FROM outbox WHERE route = 'wechat' AND person_id = $pid1")" = delivered
check "WeChat: sent, pushed, delivered" "delivered" "$(db "SELECT status FROM outbox WHERE route = 'wechat' AND person_id = $pid1")"
check "WeChat: the 19-digit msgid kept" "19" "$(db "SELECT length(gateway_id) FROM outbox WHERE route = 'wechat' AND person_id = $pid1")"
check "WeChat: sent to the openid with the template's fields" "oAbc_resident-1 城乡居民医保" \
    "$(python3 -c 'import json,sys; l=[json.loads(x) for x in open(sys.argv[1]) if "\"wechat\"" in x]; print(l[0]["to"], l[0]["data"]["thing2"]["value"])' "$dir/double.log")"
check "WeChat: 43004 fails and opts out" "failed|errcode 43004: require subscribe|1" \
    "$(db "SELECT status, error, (SELECT count(*) FROM optout WHERE kind = 'wechat') FROM outbox WHERE route = 'wechat' AND person_id = $pid2")"
check "WeChat: unbound residents fail without a request" "1" \
    "$(db "SELECT count(*) > 0 FROM outbox WHERE route = 'wechat' AND error = 'no WeChat account bound to the recipient'")"
check "WeChat: one token" "1" "$(stat 'd["gettoken"]["wechat"]')"
# A resident binds their account by replying with the end of their ID number.
wxpush() { curl -s -d "$1" "$url/wechat/mp?signature=$sig&timestamp=1700000000&nonce=42"; }
wxtext() { wxpush "<xml><ToUserName>gh_test</ToUserName><FromUserName>$1</FromUserName><CreateTime>1700000000</CreateTime><MsgType>text</MsgType><Content><![CDATA[$2]]></Content><MsgId>$3</MsgId></xml>"; }
read -r p3 p4 nomatch < <(python3 - "$src/examples/roster-lengshi-sample.csv" "$dir/rej.csv" "$p1" "$p2" <<'PY'
import csv, sys, collections
bad = {int(r["line"]) for r in csv.DictReader(open(sys.argv[2]))}
rows = [r for i, r in enumerate(csv.DictReader(open(sys.argv[1], encoding="utf-8", errors="replace")), start=2) if i not in bad]
tail = collections.Counter(r["person_id"][-6:].upper() for r in rows if r["status"] in ("unpaid", "paid"))
p3, p4 = [r["person_id"] for r in rows if r["status"] == "unpaid" and tail[r["person_id"][-6:].upper()] == 1 and r["person_id"] not in sys.argv[3:]][:2]
print(p3, p4, next("%06d" % n for n in range(1000000) if "%06d" % n not in {r["person_id"][-6:] for r in rows}))
PY
)
pid3=$(db "SELECT id FROM person WHERE key = substr('$p3', 1, 17)")
check "WeChat text answered success" "success" "$(wxtext oNew_three " ${p3: -6}" 9001)"
check "the end of a unique ID binds the openid" "oNew_three|reply" "$(db "SELECT openid, source FROM wechat_bind WHERE person_id = $pid3")"
check "a retried push queues one answer" "success 1" "$(wxtext oNew_three "${p3: -6}" 9001) $(db "SELECT count(*) FROM outbox WHERE key = 'wx:9001' AND person_id = $pid3")"
wxtext oStranger "$nomatch" 9002 >/dev/null
wxtext oStranger "${p3: -6}" 9003 >/dev/null
check "no match, or a person bound already: asked for more digits, nothing bound" "2 0" \
    "$(db "SELECT count(*) FROM outbox WHERE key IN ('wx:9002', 'wx:9003') AND recipient = 'oStranger' AND person_id IS NULL AND text LIKE '%后8位%'") $(db "SELECT count(*) FROM wechat_bind WHERE openid = 'oStranger'")"
until_ok 15 test "$(db "SELECT count(*) FROM outbox WHERE key LIKE 'wx:900%' AND status = 'sent'")" = 3
check "the answers went to the openids" "oNew_three oStranger oStranger" \
    "$(python3 -c 'import json,sys; l=[json.loads(x)["to"] for x in open(sys.argv[1]) if "\"wechat\"" in x]; print(" ".join(sorted(t for t in l if t.startswith(("oNew", "oStr")))))' "$dir/double.log")"
for m in 9005 9006 9007; do wxtext oStranger "你好" $m >/dev/null; done
wxtext oStranger "${p4: -6}" 9008 >/dev/null
check "after 5 attempts in a day an openid is ignored" "0 0" \
    "$(db "SELECT count(*) FROM outbox WHERE key = 'wx:9008'") $(db "SELECT count(*) FROM wechat_bind WHERE openid = 'oStranger'")"
phone1=$(db "SELECT phone FROM person WHERE id = $pid1")
wxtext oAbc_resident-1 "要交多少钱" 9004 >/dev/null
check "a bound openid's text reaches the bot from the person's phone" "$phone1" "$(db "SELECT sender FROM inbound WHERE msg_id = 'wx:9004' AND channel = 'wechat_mp'")"
check "unsubscribe answered success" "success" "$(wxpush "<xml><ToUserName>gh_test</ToUserName><FromUserName>oAbc_resident-1</FromUserName><CreateTime>1700000000</CreateTime><MsgType>event</MsgType><Event>unsubscribe</Event></xml>")"
check "unsubscribe opts the person out of WeChat" "1" "$(db "SELECT count(*) FROM optout WHERE kind = 'wechat' AND recipient = '$phone1' AND source = 'unsubscribe'")"
gw1=$(db "SELECT gateway_id FROM outbox WHERE route = 'wechat' AND person_id = $pid1 AND template = 'remind_periodic'")
check "a delivery push is answered success" "success" "$(wxpush "<xml><ToUserName>gh_test</ToUserName><FromUserName>oAbc_resident-1</FromUserName><CreateTime>1700000000</CreateTime><MsgType>event</MsgType><Event>TEMPLATESENDJOBFINISH</Event><MsgID>$gw1</MsgID><Status>success</Status></xml>")"
kill -TERM "$spid"; wait "$spid"; spid=
echo "workmsg: $pass passed, $fail failed"
[ "$fail" = 0 ]

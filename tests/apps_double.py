#!/usr/bin/env python3
"""A test double of the WeCom application, DingTalk work-notification and WeChat
Official Account APIs, on 127.0.0.1 (ephemeral port, printed as "listening PORT").

Token endpoints issue expiring tokens ("wc-N", "dt-N", "mp-N"); a message endpoint
answers 42001 for an expired token, 40014 for an unknown one (WeChat: 40001 for any
token but the latest: a fetch invalidates the previous one). Errors as the providers
spell them: WeCom invaliduser for userids starting "nobody", DingTalk getsendresult
lists them in invalid_user_id_list, WeChat 43004 for openids starting "unsub". After a
template message the double pushes TEMPLATESENDJOBFINISH to the push URL, signed as
WeChat signs (sha1 of sorted token, timestamp, nonce), retrying 3 times like WeChat.

GET /stats: counts; POST /control?expire=wecom|dingtalk|wechat: the current token
expires now; POST /control?push=URL: where pushes go.
usage: apps_double.py LOG [--expires S] [--mp-token TOKEN]
"""
import hashlib, json, sys, threading, time, urllib.parse, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CREDS = {"wecom": ("corpid", "ww-corp", "corpsecret", "wc-secret"),
         "dingtalk": ("appkey", "dt-key", "appsecret", "dt-secret"),
         "wechat": ("appid", "wx-app", "secret", "mp-secret")}
PREFIX = {"wecom": "wc", "dingtalk": "dt", "wechat": "mp"}
lock = threading.Lock()
state = {"tokens": {}, "n": 0, "stats": {"gettoken": {k: 0 for k in CREDS}, "sent": {k: 0 for k in CREDS},
         "refused_token": 0, "polled": 0, "pushed": 0, "push_failed": 0}, "tasks": {}, "push": None}
args = {"expires": 7200, "mp_token": "mptoken"}


def log(line):
    with lock, open(sys.argv[1], "a") as f:
        f.write(json.dumps(line, ensure_ascii=False) + "\n")


def issue(api, q):
    idk, idv, sk, sv = CREDS[api]
    if q.get(idk) != idv or q.get(sk) != sv:
        return {"errcode": 40013 if api == "wechat" else 40001, "errmsg": "invalid credential"}
    with lock:
        state["n"] += 1
        tok = "%s-%d" % (PREFIX[api], state["n"])
        if api == "wechat":  # a new token invalidates the previous ones
            for t, (a, _) in list(state["tokens"].items()):
                if a == "wechat":
                    state["tokens"][t] = (a, -1)
        state["tokens"][tok] = (api, time.time() + args["expires"])
        state["stats"]["gettoken"][api] += 1
    return {"errcode": 0, "errmsg": "ok", "access_token": tok, "expires_in": args["expires"]}


def token_error(api, tok):
    with lock:
        t = state["tokens"].get(tok)
        if t is None or t[0] != api:
            state["stats"]["refused_token"] += 1
            return {"errcode": 40014, "errmsg": "invalid access_token"}
        if t[1] == -1:
            state["stats"]["refused_token"] += 1
            return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest"}
        if time.time() >= t[1]:
            state["stats"]["refused_token"] += 1
            return {"errcode": 42001, "errmsg": "access_token expired"}
    return None


def sign(token, ts, nonce):
    return hashlib.sha1("".join(sorted([token, ts, nonce])).encode()).hexdigest()


def push_finish(openid, msgid):
    time.sleep(0.3)
    ts, nonce = str(int(time.time())), str(msgid % 1000000007)
    q = urllib.parse.urlencode({"signature": sign(args["mp_token"], ts, nonce), "timestamp": ts,
                                "nonce": nonce, "openid": openid})
    body = ("<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[%s]]>"
            "</FromUserName><CreateTime>%s</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            "<Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event><MsgID>%d</MsgID>"
            "<Status><![CDATA[success]]></Status></xml>" % (openid, ts, msgid)).encode()
    for _ in range(4):  # WeChat: the first try and three retries
        try:
            req = urllib.request.Request(state["push"] + "?" + q, data=body,
                                         headers={"Content-Type": "text/xml"})
            with urllib.request.urlopen(req, timeout=5) as r:
                if r.status == 200:
                    with lock:
                        state["stats"]["pushed"] += 1
                    return
        except Exception:
            pass
        time.sleep(1)
    with lock:
        state["stats"]["push_failed"] += 1


def wecom_send(b):
    if not b.get("touser") or not isinstance(b.get("agentid"), int) or b.get("msgtype") not in ("text", "markdown"):
        return {"errcode": 40008, "errmsg": "invalid message type"}
    if b["touser"].startswith("nobody"):
        return {"errcode": 0, "errmsg": "ok", "invaliduser": b["touser"], "msgid": "m-invalid"}
    with lock:
        state["stats"]["sent"]["wecom"] += 1
    log({"api": "wecom", "to": b["touser"], "text": b[b["msgtype"]]["content"],
         "dup": b.get("enable_duplicate_check")})
    return {"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": "msg-%s" % time.time()}


def dingtalk(path, b):
    if path.endswith("asyncsend_v2"):
        with lock:
            state["n"] += 1
            task = 256271667526 + state["n"]
            state["tasks"][task] = b["userid_list"]
            state["stats"]["sent"]["dingtalk"] += 1
        log({"api": "dingtalk", "to": b["userid_list"], "agent_id": b["agent_id"], "msg": b["msg"]})
        return {"errcode": 0, "task_id": task, "request_id": "req%d" % task}
    with lock:
        state["stats"]["polled"] += 1
        user = state["tasks"].get(b.get("task_id"))
    if user is None:
        return {"errcode": 40000, "errmsg": "no such task"}
    bad = user.startswith("nobody")
    return {"errcode": 0, "send_result": {"invalid_user_id_list": [user] if bad else [],
            "forbidden_user_id_list": [], "failed_user_id_list": [], "read_user_id_list": [],
            "unread_user_id_list": [] if bad else [user], "forbidden_list": []}}


def wechat_send(b):
    if b.get("touser", "").startswith("unsub"):
        return {"errcode": 43004, "errmsg": "require subscribe"}
    if not b.get("template_id") or not isinstance(b.get("data"), dict):
        return {"errcode": 40037, "errmsg": "invalid template_id"}
    with lock:
        state["n"] += 1
        msgid = 2754987845364170000 + state["n"]  # 19 digits: more than a double keeps
        state["stats"]["sent"]["wechat"] += 1
    log({"api": "wechat", "to": b["touser"], "data": b["data"], "client_msg_id": b.get("client_msg_id")})
    if state["push"]:
        threading.Thread(target=push_finish, args=(b["touser"], msgid), daemon=True).start()
    return {"errcode": 0, "errmsg": "ok", "msgid": msgid}


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def answer(self, obj, status=200):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(u.query))
        if u.path == "/stats":
            with lock:
                return self.answer(state["stats"])
        api = {"/cgi-bin/gettoken": "wecom", "/gettoken": "dingtalk", "/cgi-bin/token": "wechat"}.get(u.path)
        if api is None:
            return self.answer({"errcode": 404}, 404)
        self.answer(issue(api, q))

    def do_POST(self):
        u = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(u.query))
        n = int(self.headers.get("Content-Length", 0))
        raw = self.rfile.read(n)
        if u.path == "/control":
            with lock:
                if "push" in q:
                    state["push"] = q["push"]
                if "expire" in q:
                    for t, (a, e) in state["tokens"].items():
                        if a == q["expire"] and e != -1:
                            state["tokens"][t] = (a, time.time() - 1)
            return self.answer({"ok": True})
        api = ("wecom" if u.path == "/cgi-bin/message/send" else
               "wechat" if u.path == "/cgi-bin/message/template/send" else
               "dingtalk" if u.path.startswith("/topapi/message/corpconversation/") else None)
        if api is None:
            return self.answer({"errcode": 404}, 404)
        err = token_error(api, q.get("access_token", ""))
        if err:
            return self.answer(err)
        b = json.loads(raw)
        self.answer(wecom_send(b) if api == "wecom" else wechat_send(b) if api == "wechat" else dingtalk(u.path, b))


if __name__ == "__main__":
    a = sys.argv[2:]
    for i in range(0, len(a) - 1, 2):
        if a[i] == "--expires":
            args["expires"] = int(a[i + 1])
        elif a[i] == "--mp-token":
            args["mp_token"] = a[i + 1]
    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    print("listening %d" % srv.server_address[1], flush=True)
    srv.serve_forever()

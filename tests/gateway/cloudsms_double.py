#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""cloudsms_double: a loopback stand-in for Aliyun SMS (dysmsapi SendSms, ACS3-HMAC-SHA256)
and Tencent Cloud SMS (SendSms 2021-01-11, TC3-HMAC-SHA256) that behaves like them:

* every request's signature is recomputed from what arrived (an implementation of the
  providers' documented algorithms independent of canbao's C code; --selftest checks it
  against both providers' published examples) and a mismatch, a timestamp more than
  15 min (Aliyun) / 5 min (Tencent) off, or a reused Aliyun nonce is refused with the
  provider's own code (SignatureDoesNotMatch, InvalidTimeStamp.Expired,
  SignatureNonceUsed; AuthFailure.SignatureFailure, AuthFailure.SignatureExpire);
* POST /control {"aliyun": MODE, "tencent": MODE, "aliyun_report": URL, ...} with MODE ok | down (HTTP 503) |
  throttle (isv.BUSINESS_LIMIT_CONTROL / LimitExceeded.PhoneNumberThirtySecondLimit) |
  expired (InvalidSecurityToken.Expired / AuthFailure.TokenFailure);
  numbers starting 1990000 are invalid (isv.MOBILE_NUMBER_ILLEGAL /
  InvalidParameterValue.IncorrectPhoneNumber);
* accepted messages get a delivery report pushed to --aliyun-report / --tencent-status
  (a JSON array, as the providers push) after --push-delay seconds; POST /reply
  {"provider":..,"from":..,"text":..} pushes a resident's reply to --aliyun-mo /
  --tencent-reply. Pushes expect the providers' answer ({"code":0} / {"result":0}).
* Aliyun SendBatchSms (PhoneNumberJson, SignNameJson, TemplateParamJson, <= 100) has one
  Code for the call; a bad number in it is accepted and reported failed on its own
  (biz_id + phone_number, no out_id). Tencent answers each number of a PhoneNumberSet
  (<= 200) with its own SendStatusSet entry;
* one JSON line per accepted message in --log; GET /stats counts (per number, and
  "requests" per action); --fast (bench/cloudsms.sh) writes no log lines and pushes no
  reports, signatures are still checked.

usage: cloudsms_double.py --port 0 --pidfile F --log F [--aliyun-id ID --aliyun-secret S]
       [--tencent-id ID --tencent-key K] [--aliyun-report URL ...] | --selftest
"""
import argparse, hashlib, hmac, json, os, sys, threading, time, urllib.parse, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

def sha(b): return hashlib.sha256(b).hexdigest()

def acs3(secret, method, uri, query, headers, body):
    """headers: {lower-name: value} of the signed headers."""
    names = sorted(headers)
    cr = "\n".join([method, uri, query, "".join("%s:%s\n" % (n, headers[n].strip()) for n in names),
                    ";".join(names), sha(body)])
    sts = "ACS3-HMAC-SHA256\n" + sha(cr.encode())
    return hmac.new(secret.encode(), sts.encode(), hashlib.sha256).hexdigest(), ";".join(names)

def tc3(key, service, host, ctype, ts, body):
    date = time.strftime("%Y-%m-%d", time.gmtime(ts))
    cr = "POST\n/\n\ncontent-type:%s\nhost:%s\n\ncontent-type;host\n%s" % (ctype, host, sha(body))
    scope = "%s/%s/tc3_request" % (date, service)
    sts = "TC3-HMAC-SHA256\n%d\n%s\n%s" % (ts, scope, sha(cr.encode()))
    k = hmac.new(("TC3" + key).encode(), date.encode(), hashlib.sha256).digest()
    k = hmac.new(k, service.encode(), hashlib.sha256).digest()
    k = hmac.new(k, b"tc3_request", hashlib.sha256).digest()
    return hmac.new(k, sts.encode(), hashlib.sha256).hexdigest(), scope

def selftest():
    # Aliyun "V3 请求体&签名机制", ECS RunInstances example.
    s, names = acs3("YourAccessKeySecret", "POST", "/",
                    "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
                    {"host": "ecs.cn-shanghai.aliyuncs.com", "x-acs-action": "RunInstances",
                     "x-acs-content-sha256": sha(b""), "x-acs-date": "2023-10-26T10:22:32Z",
                     "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
                     "x-acs-version": "2014-05-26"}, b"")
    assert s == "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0", s
    # Tencent "签名方法 v3", CVM DescribeInstances example.
    body = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
    s, _ = tc3("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "cvm", "cvm.tencentcloudapi.com",
               "application/json; charset=utf-8", 1551113065, body)
    assert s == "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168", s
    print("selftest ok")

class State:
    def __init__(self, a):
        self.a = a
        self.mode = {"aliyun": "ok", "tencent": "ok"}
        self.nonces = set()
        self.lock = threading.Lock()
        self.stats = {"aliyun": {}, "tencent": {}, "pushes": {}, "requests": {}}
        self.seq = 0
        self.log = open(a.log, "a") if a.log else None

    def count(self, who, what, n=1):
        with self.lock:
            self.stats[who][what] = self.stats[who].get(what, 0) + n

    def write(self, line):
        if self.log:
            with self.lock:
                self.log.write(json.dumps(line, ensure_ascii=False) + "\n")
                self.log.flush()

    def next_id(self, n=1):
        """The first of 'n' new ids."""
        with self.lock:
            self.seq += n
            return self.seq - n + 1

    def tally(self, who, codes):
        """count() of each code in 'codes', under one lock (a batch's numbers)."""
        with self.lock:
            for c in codes:
                self.stats[who][c] = self.stats[who].get(c, 0) + 1

def push(st, url, payload, delay):
    def run():
        time.sleep(delay)
        data = json.dumps(payload, ensure_ascii=False).encode()
        for _ in range(3):  # the providers retry a push that is not acknowledged
            try:
                req = urllib.request.Request(url, data, {"Content-Type": "application/json"})
                with urllib.request.urlopen(req, timeout=5) as r:
                    ans = json.loads(r.read() or b"{}")
                    if ans.get("code") == 0 or ans.get("result") == 0:
                        st.count("pushes", "acked")
                        return
            except Exception:
                pass
            time.sleep(0.5)
        st.count("pushes", "failed")
    if url:
        threading.Thread(target=run, daemon=True).start()

def bad_number(n):
    d = n[3:] if n.startswith("+86") else n
    return not (len(d) == 11 and d.isdigit() and d[0] == "1") or d.startswith("1990000")

class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall
    wbufsize = 1 << 16               # ... and buffered into one (flushed after each request)
    def log_message(self, *a): pass

    def answer(self, status, obj):
        b = json.dumps(obj, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)

    def do_GET(self):
        if self.path == "/stats":
            with self.server.st.lock:
                return self.answer(200, self.server.st.stats)
        self.answer(404, {"error": "no such endpoint"})

    def do_POST(self):
        st = self.server.st
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/control":
            c = json.loads(body)
            for k in ("aliyun_report", "aliyun_mo", "tencent_status", "tencent_reply"):
                if k in c:  # where pushes go (known once canbao serve has a port)
                    setattr(st.a, k, c.pop(k))
            st.mode.update(c)
            return self.answer(200, st.mode)
        if self.path == "/reply":
            r = json.loads(body)
            if r["provider"] == "aliyun":
                push(st, st.a.aliyun_mo, [{"phone_number": r["from"], "content": r["text"],
                                           "send_time": time.strftime("%Y-%m-%d %H:%M:%S"),
                                           "sign_name": "冷市医保", "dest_code": "1234",
                                           "sequence_id": st.next_id()}], 0)
            else:
                push(st, st.a.tencent_reply, {"extend": "", "mobile": r["from"], "nationcode": "86",
                                              "sign": "冷市医保", "text": r["text"],
                                              "time": int(time.time()) + st.next_id()}, 0)
            return self.answer(200, {"pushed": True})
        if self.path.startswith("/aliyun"):
            return self.aliyun(st, body)
        if self.path.startswith("/tencent"):
            return self.tencent(st, body)
        self.answer(404, {"error": "no such endpoint"})

    def aliyun_err(self, st, status, code, msg):
        st.count("aliyun", code)
        self.answer(status, {"Code": code, "Message": msg, "RequestId": "req-%d" % st.next_id()})

    def aliyun(self, st, body):
        a, h = st.a, {k.lower(): v for k, v in self.headers.items()}
        if st.mode["aliyun"] == "down":
            st.count("aliyun", "down")
            return self.answer(503, {"Code": "ServiceUnavailable", "Message": "down"})
        auth = h.get("authorization", "")
        parts = dict(p.split("=", 1) for p in auth[len("ACS3-HMAC-SHA256 "):].split(",") if "=" in p)
        names = parts.get("SignedHeaders", "").split(";")
        if not auth.startswith("ACS3-HMAC-SHA256 ") or parts.get("Credential") != a.aliyun_id \
                or not {"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date",
                        "x-acs-signature-nonce", "x-acs-version"} <= set(names):
            return self.aliyun_err(st, 401, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        if h.get("x-acs-content-sha256") != sha(body):
            return self.aliyun_err(st, 400, "ContentSHA256NotMatched", "x-acs-content-sha256 does not match")
        want, _ = acs3(a.aliyun_secret, "POST", "/", "", {n: h.get(n, "") for n in names}, body)
        if not hmac.compare_digest(want, parts.get("Signature", "")):
            return self.aliyun_err(st, 400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.")
        try:
            t = time.mktime(time.strptime(h["x-acs-date"], "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
        except ValueError:
            t = 0
        if abs(time.time() - t) > 900:
            return self.aliyun_err(st, 400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
        with st.lock:
            reused = h["x-acs-signature-nonce"] in st.nonces
            st.nonces.add(h["x-acs-signature-nonce"])
        if reused:
            return self.aliyun_err(st, 400, "SignatureNonceUsed", "Specified signature nonce was used already.")
        action = h.get("x-acs-action")
        if action not in ("SendSms", "SendBatchSms") or h.get("x-acs-version") != "2017-05-25":
            return self.aliyun_err(st, 400, "InvalidAction.NotFound", "Specified api is not found")
        st.count("requests", action)
        f = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode(), keep_blank_values=True).items()}
        if st.mode["aliyun"] == "expired":
            return self.aliyun_err(st, 200, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.")
        if st.mode["aliyun"] == "throttle":
            return self.aliyun_err(st, 200, "isv.BUSINESS_LIMIT_CONTROL", "触发号码天级流控Permits:40")
        if action == "SendBatchSms":
            return self.aliyun_batch(st, f)
        if bad_number(f.get("PhoneNumbers", "")):
            return self.aliyun_err(st, 200, "isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
        try:
            params = json.loads(f["TemplateParam"])
            assert all(isinstance(v, str) for v in params.values())
        except Exception:
            return self.aliyun_err(st, 200, "isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值")
        biz = "%d^0" % (900000000 + st.next_id())
        st.count("aliyun", "OK")
        self.aliyun_sent(st, biz, f["PhoneNumbers"], f["SignName"], f["TemplateCode"], params,
                         f.get("OutId", ""))
        self.answer(200, {"Code": "OK", "Message": "OK", "BizId": biz, "RequestId": "req-%s" % biz})

    def aliyun_sent(self, st, biz, to, sign, tpl, params, out_id, ok=True):
        a = st.a
        if ok:
            st.write({"provider": "aliyun", "to": to, "sign": sign, "template": tpl,
                      "params": params, "out_id": out_id, "biz_id": biz})
        now = time.strftime("%Y-%m-%d %H:%M:%S")
        push(st, a.aliyun_report, [{"phone_number": to, "send_time": now, "report_time": now,
                                    "success": ok, "err_code": "DELIVERED" if ok else "MOBILE_NUMBER_ILLEGAL",
                                    "err_msg": "用户接收成功" if ok else "号码格式错误",
                                    "sms_size": "1", "biz_id": biz, "out_id": out_id}],
             a.push_delay)

    def aliyun_batch(self, st, f):
        """SendBatchSms: one Code for the call; a bad number among good ones is accepted
        and comes back as a failed report for that number alone (as Aliyun does)."""
        try:
            to, signs = json.loads(f["PhoneNumberJson"]), json.loads(f["SignNameJson"])
            params = json.loads(f["TemplateParamJson"])
            assert 1 <= len(to) <= 100 and len(signs) == len(to) and len(params) == len(to)
            assert all(isinstance(v, str) for p in params for v in p.values())
        except Exception:
            return self.aliyun_err(st, 200, "isv.INVALID_JSON_PARAM", "JSON参数不合法")
        if all(bad_number(n) for n in to):
            return self.aliyun_err(st, 200, "isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
        biz = "%d^0" % (900000000 + st.next_id())
        ok = [not bad_number(n) for n in to]
        st.tally("aliyun", ["OK" if k else "bad_number" for k in ok])
        if not st.a.fast:
            for n, sg, p, k in zip(to, signs, params, ok):
                self.aliyun_sent(st, biz, n, sg, f["TemplateCode"], p, "", k)
        self.answer(200, {"Code": "OK", "Message": "OK", "BizId": biz, "RequestId": "req-%s" % biz})

    def tencent_err(self, st, code, msg):
        st.count("tencent", code)
        self.answer(200, {"Response": {"Error": {"Code": code, "Message": msg}, "RequestId": "r%d" % st.next_id()}})

    def tencent(self, st, body):
        a, h = st.a, {k.lower(): v for k, v in self.headers.items()}
        if st.mode["tencent"] == "down":
            st.count("tencent", "down")
            return self.answer(503, {"error": "down"})
        try:
            ts = int(h.get("x-tc-timestamp", ""))
        except ValueError:
            return self.tencent_err(st, "MissingParameter", "X-TC-Timestamp")
        want, scope = tc3(a.tencent_key, "sms", h.get("host", ""), h.get("content-type", ""), ts, body)
        expect = "TC3-HMAC-SHA256 Credential=%s/%s, SignedHeaders=content-type;host, Signature=%s" % (
            a.tencent_id, scope, want)
        if abs(time.time() - ts) > 300:
            return self.tencent_err(st, "AuthFailure.SignatureExpire", "signature expired")
        if not hmac.compare_digest(expect, h.get("authorization", "")):
            return self.tencent_err(st, "AuthFailure.SignatureFailure", "signature verification failed")
        if h.get("x-tc-action") != "SendSms" or h.get("x-tc-version") != "2021-01-11":
            return self.tencent_err(st, "InvalidAction", "action or version")
        if st.mode["tencent"] == "expired":
            return self.tencent_err(st, "AuthFailure.TokenFailure", "token expired")
        st.count("requests", "SendSms")
        r = json.loads(body)
        if not 1 <= len(r.get("PhoneNumberSet", [])) <= 200:
            return self.tencent_err(st, "InvalidParameterValue", "PhoneNumberSet")
        out, codes = [], []
        first = st.next_id(len(r["PhoneNumberSet"]))
        for i, n in enumerate(r["PhoneNumberSet"]):
            if not n.startswith("+86") or bad_number(n):
                code = "InvalidParameterValue.IncorrectPhoneNumber"
            elif st.mode["tencent"] == "throttle":
                code = "LimitExceeded.PhoneNumberThirtySecondLimit"
            else:
                code = "Ok"
            codes.append(code)
            sn = "2019:%d" % (6115583017127395 + first + i) if code == "Ok" else ""
            out.append({"SerialNo": sn, "PhoneNumber": n, "Fee": 1 if code == "Ok" else 0,
                        "SessionContext": r.get("SessionContext", ""), "Code": code,
                        "Message": "send success" if code == "Ok" else code, "IsoCode": "CN"})
            if code == "Ok" and not a.fast:
                st.write({"provider": "tencent", "to": n, "sign": r["SignName"], "template": r["TemplateId"],
                          "params": r["TemplateParamSet"], "session": r.get("SessionContext")})
                push(st, a.tencent_status, [{"user_receive_time": time.strftime("%Y-%m-%d %H:%M:%S"),
                                             "nationcode": "86", "mobile": n[3:], "report_status": "SUCCESS",
                                             "errmsg": "DELIVRD", "description": "用户短信送达成功",
                                             "sid": sn}], a.push_delay)
        st.tally("tencent", codes)
        self.answer(200, {"Response": {"SendStatusSet": out, "RequestId": "r%d" % st.next_id()}})

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--pidfile")
    p.add_argument("--log")
    p.add_argument("--selftest", action="store_true")
    p.add_argument("--aliyun-id", default="LTAItest")
    p.add_argument("--aliyun-secret", default="aliyun-test-secret")
    p.add_argument("--tencent-id", default="AKIDtest")
    p.add_argument("--tencent-key", default="tencent-test-key")
    for u in ("aliyun-report", "aliyun-mo", "tencent-status", "tencent-reply"):
        p.add_argument("--" + u)
    p.add_argument("--push-delay", type=float, default=1.0)
    p.add_argument("--fast", action="store_true",
                   help="benchmarks: no per-number log lines or delivery reports")
    a = p.parse_args()
    if a.selftest:
        return selftest()
    ThreadingHTTPServer.request_queue_size = 256  # many keep-alive connections at once
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), H)
    srv.daemon_threads = True
    srv.st = State(a)
    if a.pidfile:
        with open(a.pidfile, "w") as f:
            f.write("%d\n" % os.getpid())
    print("port=%d" % srv.server_address[1], flush=True)
    import signal
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=srv.shutdown).start())
    srv.serve_forever()

if __name__ == "__main__":
    main()

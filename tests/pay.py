# pay.py URL SECRET ID_NUMBER... : one signed payment confirmation of 380 yuan per ID
# number (receipt "M-<id>"), as a tax-bureau callback sends it; prints one HTTP status
# per line. Used by tests/mqtt_serve_test.sh.
import hashlib, hmac, json, sys, time, urllib.error, urllib.request

url, secret = sys.argv[1], sys.argv[2]
for pid in sys.argv[3:]:
    body = json.dumps({"receipt": "M-" + pid, "id_number": pid, "amount_fen": 38000,
                       "channel": "wechat"})
    ts = str(int(time.time()))
    sig = hmac.new(secret.encode(), (ts + "." + body).encode(), hashlib.sha256).hexdigest()
    req = urllib.request.Request(url + "/hooks/payments", data=body.encode(), method="POST",
                                 headers={"Content-Type": "application/json",
                                          "X-Canbao-Timestamp": ts,
                                          "X-Canbao-Signature": "v1=" + sig})
    try:
        print(urllib.request.urlopen(req).status, flush=True)
    except urllib.error.HTTPError as e:
        print(e.code, flush=True)

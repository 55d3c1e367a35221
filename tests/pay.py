# pay.py URL SECRET ID_NUMBER... : one signed payment confirmation of 380 yuan per ID
# number (receipt "M-<id>"), as a tax-bureau callback sends it; prints one HTTP status
# per line. Used by tests/mqtt_serve_test.sh, tests/diskfull_test.sh and, through
# confirm(), tests/overload.py.
import hashlib, hmac, json, sys, time, urllib.error, urllib.request


def confirm(url, secret, pid, timeout=None):
    """POST the signed confirmation for 'pid'; its HTTP status (0: no answer)."""
    body = json.dumps({"receipt": "M-" + pid, "id_number": pid, "amount_fen": 38000,
                       "channel": "wechat"})
    ts = str(int(time.time()))
    sig = hmac.new(secret.encode(), (ts + "." + body).encode(), hashlib.sha256).hexdigest()
    req = urllib.request.Request(url + "/hooks/payments", data=body.encode(), method="POST",
                                 headers={"Content-Type": "application/json",
                                          "X-Canbao-Timestamp": ts,
                                          "X-Canbao-Signature": "v1=" + sig})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return 0


if __name__ == "__main__":
    url, secret = sys.argv[1], sys.argv[2]
    for pid in sys.argv[3:]:
        print(confirm(url, secret, pid), flush=True)

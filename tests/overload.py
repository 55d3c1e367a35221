#!/usr/bin/env python3
"""Overload clients for tests/overload_test.sh: they only ever talk to 127.0.0.0/8.

usage: overload.py MODE PORT [options]; prints one JSON object when done.

  dribble  slow-header clients (slowloris): each socket sends one byte of a header that
           never ends every --interval seconds; a socket the server closes is counted,
           with how long it lived, and opened again with --reconnect.
  idle     connections that send nothing.
  busy     keep-alive clients sending GET /healthz back to back.
  probe    every 0.3 s from 127.0.0.1, GET /healthz on a new connection and, with
           --ids FILE (ID numbers, one a line) and --secret S, the next signed payment
           confirmation (tests/pay.py); prints the tries, how many were answered 200
           within 1 s, the slowest in ms and the IDs whose confirmation got 200.

Options: --sockets N (100), --addrs K (1): the sockets are spread over the source
addresses 127.0.0.2 .. 127.0.0.(K+1) (Linux accepts any 127/8 source address);
--first A (2): the last byte of the first address; --interval S (2);
--duration S (5); --reconnect: a socket the server closed is opened again at the next
interval, as a slowloris client does.
"""
import os
import json
import selectors
import socket
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pay import confirm  # noqa: E402

HEADER = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
REQUEST = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def options(argv):
    o = {"sockets": 100, "addrs": 1, "first": 2, "interval": 2.0, "duration": 5.0,
         "reconnect": False, "ids": "", "secret": ""}
    i = 0
    while i < len(argv):
        key = argv[i].lstrip("-")
        if key == "reconnect":
            o["reconnect"] = True
        else:
            i += 1
            o[key] = type(o[key])(argv[i])
        i += 1
    return o


class Load:
    def __init__(self, mode, port, o):
        self.mode, self.port, self.o = mode, port, o
        self.sel = selectors.DefaultSelector()
        self.opened = self.closed = self.refused = self.requests = 0
        self.lifetimes = []
        self.next_addr = 0
        self.reopen = 0

    def open(self):
        addr = "127.0.0.%d" % (self.o["first"] + self.next_addr % self.o["addrs"])
        self.next_addr += 1
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((addr, 0))
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", self.port))
        st = {"sock": s, "born": time.monotonic(), "sent": 0, "buf": b"", "wait": False}
        self.sel.register(s, selectors.EVENT_READ, st)
        self.opened += 1
        return st

    def lost(self, st):
        life = time.monotonic() - st["born"]
        self.sel.unregister(st["sock"])
        st["sock"].close()
        self.closed += 1
        self.lifetimes.append(life)
        if life < 0.2 and st["sent"] <= 1 and self.requests_of(st) == 0:
            self.refused += 1
        if self.o["reconnect"] and self.mode == "dribble":
            self.reopen += 1
        elif self.o["reconnect"]:
            self.start(self.open())

    @staticmethod
    def requests_of(st):
        return st.get("answers", 0)

    def start(self, st):
        if self.mode == "busy":
            self.send(st, REQUEST)
            st["wait"] = True

    def send(self, st, data):
        try:
            st["sock"].send(data)
            st["sent"] += 1
        except (BlockingIOError, InterruptedError):
            pass  # not connected yet: the next round sends
        except OSError:
            pass  # closed: the read side finds out

    def readable(self, st):
        try:
            data = st["sock"].recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self.lost(st)
            return
        st["buf"] += data
        while self.mode == "busy" and b"\r\n\r\n" in st["buf"]:
            head, _, rest = st["buf"].partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if len(rest) < length:
                break
            st["buf"] = rest[length:]
            st["answers"] = st.get("answers", 0) + 1
            self.requests += 1
            self.send(st, REQUEST)

    def run(self):
        socks = [self.open() for _ in range(self.o["sockets"])]
        for st in socks:
            self.start(st)
        t0 = time.monotonic()
        tick = t0
        while time.monotonic() - t0 < self.o["duration"]:
            for key, _ in self.sel.select(timeout=0.05):
                self.readable(key.data)
            now = time.monotonic()
            if self.mode == "dribble" and now - tick >= self.o["interval"]:
                tick = now
                for _ in range(self.reopen):
                    self.open()
                self.reopen = 0
                for key in list(self.sel.get_map().values()):
                    st = key.data
                    n = st["sent"]
                    byte = HEADER[n:n + 1] if n < len(HEADER) else b"X-a: b\r\n"[(n - len(HEADER)) % 8:][:1]
                    self.send(st, byte)
        alive = [time.monotonic() - k.data["born"] for k in self.sel.get_map().values()]
        life = sorted(self.lifetimes)
        out = {"opened": self.opened, "closed": self.closed, "refused_at_once": self.refused,
               "alive": len(alive), "oldest_alive": round(max(alive), 2) if alive else 0,
               "requests": self.requests,
               "lifetime_min": round(life[0], 2) if life else None,
               "lifetime_median": round(life[len(life) // 2], 2) if life else None,
               "lifetime_max": round(life[-1], 2) if life else None}
        for key in list(self.sel.get_map().values()):
            key.data["sock"].close()
        print(json.dumps(out), flush=True)


def probe(port, o):
    url = "http://127.0.0.1:%d" % port
    ids = open(o["ids"]).read().split() if o["ids"] else []
    tries = answered = worst = 0
    paid = []
    end = time.monotonic() + o["duration"]

    def timed(call):
        nonlocal tries, answered, worst
        t0 = time.monotonic()
        status = call()
        ms = int((time.monotonic() - t0) * 1000)
        tries += 1
        answered += status == 200 and ms < 1000
        worst = max(worst, ms)
        return status

    def healthz():
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as r:
                return r.status
        except OSError:
            return 0

    while time.monotonic() < end:
        timed(healthz)
        if ids:
            pid = ids.pop(0)
            if timed(lambda: confirm(url, o["secret"], pid, timeout=2)) == 200:
                paid.append(pid)
        time.sleep(0.3)
    print(json.dumps({"tries": tries, "answered": answered, "worst_ms": worst,
                      "paid": paid}), flush=True)


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    if mode == "probe":
        probe(port, options(sys.argv[3:]))
    elif mode in ("dribble", "idle", "busy"):
        Load(mode, port, options(sys.argv[3:])).run()
    else:
        sys.exit("overload.py: MODE is dribble, idle, busy or probe")


if __name__ == "__main__":
    main()

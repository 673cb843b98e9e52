# Sourced by the test and benchmark scripts: free loopback ports.
#   free_port [N]: the first of N consecutive TCP ports on 127.0.0.1 that
#   nothing uses now, from 10000-32767.  That range is below Linux's
#   ephemeral ports (32768-60999), which clients' own connections take:
#   a port picked there can be in use as the source of a connection and
#   fail to bind a moment later.
free_port() {
	python3 - "${1:-1}" <<'PY'
import random, socket, sys
n = int(sys.argv[1])
for _ in range(200):
    base = random.randint(10000, 32767 - n)
    socks = []
    try:
        for p in range(base, base + n):
            s = socket.socket()
            socks.append(s)
            s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        for s in socks:
            s.close()
    print(base)
    sys.exit(0)
sys.exit("no free port")
PY
}

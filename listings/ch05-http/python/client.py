# client.py [PORT]: the standard library's HTTP clients against http_server.
import http.client
import sys
import urllib.error
import urllib.request

port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080

# http.client: one connection, several requests (keep-alive).
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
for method, path in [("GET", "/hello.txt"), ("HEAD", "/hello.txt"), ("GET", "/nope")]:
    conn.request(method, path)
    response = conn.getresponse()
    body = response.read()  # must be read before the next request
    print(method, path, response.status, response.reason,
          response.getheader("Content-Length"), repr(body))
conn.close()

# urllib.request: one call per URL; errors are exceptions.
with urllib.request.urlopen(f"http://127.0.0.1:{port}/hello.txt", timeout=10) as response:
    print("urlopen", response.status, response.headers["Content-Type"])
try:
    urllib.request.urlopen(f"http://127.0.0.1:{port}/nope", timeout=10)
except urllib.error.HTTPError as err:
    print("urlopen", err.code, err.reason)

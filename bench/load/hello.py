"""The baseline for the load benchmark: a bare WSGI "hello", served by the same gunicorn
settings as the site, so each page's throughput can be given as a share of it."""


def application(environ, start_response):
    body = b"hello"
    start_response("200 OK", [("Content-Type", "text/plain"),
                              ("Content-Length", str(len(body)))])
    return [body]

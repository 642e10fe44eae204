#!/bin/bash
# One-machine OpenStack Swift + s3api for the tests: start|stop DIR.
# Ports come from the environment (SWIFT_PORT, MEMCACHED_PORT, SWIFT_BASE_PORT for the object,
# container and account servers) so several test runs can share a machine.
# Needs Debian's python3-swift swift memcached (scripts/install-test-deps.sh installs them).
set -e
R=${2:?usage: swift-s3api.sh start|stop DIR}
PORT=${SWIFT_PORT:-8089}; MPORT=${MEMCACHED_PORT:-11211}; BASE=${SWIFT_BASE_PORT:-6200}
PY=/usr/bin/python3 # Swift's own Python; another python3 on PATH may lack the swift module.
if [ "$1" = stop ]; then
  for f in "$R"/run/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; rm -f "$f"; done
  exit 0
fi
for cmd in swift-ring-builder memcached; do
  command -v $cmd >/dev/null || { echo "swift-s3api: '$cmd' is missing; run: sudo bash scripts/install-test-deps.sh" >&2; exit 3; }
done
$PY -c 'import swift' 2>/dev/null || { echo "swift-s3api: python3-swift is missing; run: sudo bash scripts/install-test-deps.sh" >&2; exit 3; }
mkdir -p "$R"/etc "$R"/srv/d1 "$R"/run "$R"/log "$R"/py
cat > "$R"/etc/swift.conf <<EOF
[swift-hash]
swift_hash_path_prefix = local
swift_hash_path_suffix = local
[storage-policy:0]
name = Policy-0
default = yes
EOF
i=0
for n in object container account; do p=$((BASE + i)); i=$((i + 1))
  if [ ! -f "$R"/etc/$n.ring.gz ]; then
    swift-ring-builder "$R"/etc/$n.builder create 6 1 1 >/dev/null
    swift-ring-builder "$R"/etc/$n.builder add r1z1-127.0.0.1:$p/d1 1 >/dev/null
    swift-ring-builder "$R"/etc/$n.builder rebalance >/dev/null || true
  fi
  printf '[DEFAULT]\nbind_ip = 127.0.0.1\nbind_port = %s\ndevices = %s/srv\nmount_check = false\nworkers = 0\nswift_dir = %s/etc\nlog_level = WARNING\n[pipeline:main]\npipeline = %s-server\n[app:%s-server]\nuse = egg:swift#%s\n' \
    $p "$R" "$R" $n $n $n > "$R"/etc/$n-server.conf
done
# s3api error responses carry no CORS headers, so a browser would see a 403/400 only as
# "Failed to fetch"; this filter, first in the pipeline, adds them where missing.
cat > "$R"/py/cors_all.py <<'EOF'
def filter_factory(global_conf, **local_conf):
    def make(app):
        def mw(env, start_response):
            origin = env.get('HTTP_ORIGIN')
            def sr(status, headers, exc_info=None):
                if origin and not any(k.lower() == 'access-control-allow-origin' for k, _ in headers):
                    headers = list(headers) + [('Access-Control-Allow-Origin', origin),
                        ('Access-Control-Expose-Headers', 'ETag, x-amz-request-id'), ('Vary', 'Origin')]
                return start_response(status, headers, exc_info)
            return app(env, sr)
        return mw
    return make
EOF
cat > "$R"/etc/proxy-server.conf <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $PORT
workers = 0
swift_dir = $R/etc
log_level = WARNING
[pipeline:main]
pipeline = corsall catch_errors gatekeeper proxy-logging cache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
cors_allow_origin = *
cors_expose_headers = ETag
[filter:s3api]
use = egg:swift#s3api
location = us-east-1
cors_preflight_allow_origin = *
# s3api's default is 1000; S3 allows 10,000 parts.
max_upload_part_num = 10000
[filter:tempauth]
use = egg:swift#tempauth
# S3 access key "test:tester", secret "testing"
user_test_tester = testing .admin
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$MPORT
[filter:corsall]
paste.filter_factory = cors_all:filter_factory
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
EOF
U=$(id -un)
memcached -l 127.0.0.1 -p $MPORT -U 0 -u "$U" -m 64 > "$R"/log/memcached.log 2>&1 & echo $! > "$R"/run/memcached.pid
for s in account container object proxy; do
  PYTHONPATH="$R"/py $PY -c "import sys; from swift.common.wsgi import run_wsgi; sys.exit(run_wsgi('$R/etc/$s-server.conf', '$s-server'))" > "$R"/log/$s.log 2>&1 &
  echo $! > "$R"/run/$s.pid
done
for _ in $(seq 1 1200); do curl -s -m 2 -o /dev/null "http://127.0.0.1:$PORT/healthcheck" && exit 0; sleep 0.1; done
echo "swift-s3api did not come up on 127.0.0.1:$PORT; see $R/log" >&2; exit 1

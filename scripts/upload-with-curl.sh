#!/usr/bin/env bash
# Uploads one file through the upload handler's protocol with plain HTTP requests (curl), the way the
# browser engine does: create -> sign-parts -> PUT each part to its presigned URL -> complete.
# It shows the protocol by hand and lets anyone check a deployment without a browser.
#
#   scripts/upload-with-curl.sh FILE [ENDPOINT]      ENDPOINT defaults to http://127.0.0.1:8080/api/upload
#
# A header for the handler's calls (what your authorize hook reads) goes in UPLOAD_AUTH_HEADER, e.g.
#   UPLOAD_AUTH_HEADER='authorization: Bearer abc123' scripts/upload-with-curl.sh photo.jpg
# Prints the complete call's JSON answer on stdout; exits non-zero with the server's error otherwise.
# Needs curl, dd, and node (for JSON and base64 MD5s; any machine running the backend has it).
set -euo pipefail

file=${1:?usage: upload-with-curl.sh FILE [ENDPOINT]}
endpoint=${2:-http://127.0.0.1:8080/api/upload}
[ -f "$file" ] || { echo "upload-with-curl: no such file: $file" >&2; exit 2; }
auth=()
[ -z "${UPLOAD_AUTH_HEADER:-}" ] || auth=(-H "$UPLOAD_AUTH_HEADER")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Prints a field of the JSON file $1 by a dotted path ($2, e.g. "parts.0"); objects as JSON.
json() { node -e '
  const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const v = process.argv[2].split(".").filter(Boolean).reduce((o, k) => o?.[k], j);
  process.stdout.write(typeof v === "object" ? JSON.stringify(v) : String(v ?? ""));' "$1" "$2"; }
md5b64() { node -e '
  const h = require("crypto").createHash("md5");
  require("fs").createReadStream(process.argv[1]).on("data", (c) => h.update(c)).on("end", () => process.stdout.write(h.digest("base64")));' "$1"; }

# POSTs JSON ($2) to a route ($1), answer into $work/$1.json; stops with the error on a non-2xx status.
call() {
  local status
  status=$(curl -sS -o "$work/$1.json" -w '%{http_code}' -X POST "${auth[@]}" \
    -H 'content-type: application/json' --data-binary "$2" "$endpoint/$1")
  if [ "${status:0:1}" != 2 ]; then
    echo "upload-with-curl: $1 answered $status: $(cat "$work/$1.json")" >&2
    exit 1
  fi
}

# PUTs file $1 to the signed request in JSON $2 (url + headers), prints the ETag without quotes.
put_part() {
  local url headers=()
  url=$(node -e 'process.stdout.write(JSON.parse(process.argv[1]).url)' "$2")
  while IFS= read -r line; do headers+=(-H "$line"); done < <(node -e '
    for (const [k, v] of Object.entries(JSON.parse(process.argv[1]).headers)) console.log(`${k}: ${v}`);' "$2")
  local status
  status=$(curl -sS -o "$work/put.xml" -D "$work/put.headers" -w '%{http_code}' -X PUT \
    "${headers[@]}" --data-binary "@$1" "$url")
  if [ "$status" != 200 ]; then
    echo "upload-with-curl: PUT answered $status: $(cat "$work/put.xml")" >&2
    exit 1
  fi
  tr -d '\r' < "$work/put.headers" | sed -n 's/^[Ee][Tt][Aa][Gg]: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p'
}

size=$(wc -c < "$file" | tr -d ' ')
name=$(basename "$file")
request=$(node -e 'process.stdout.write(JSON.stringify({ fileName: process.argv[1], size: Number(process.argv[2]), contentType: "application/octet-stream" }))' "$name" "$size")
call create "$request"
# In single mode (a file of at most one part) the same steps apply: part 1 is the whole object.
token=$(json "$work/create.json" token)
part_size=$(json "$work/create.json" partSize)
part_count=$(json "$work/create.json" partCount)

parts=()
for ((n = 1; n <= part_count; n++)); do
  # dd with 1 MiB blocks when the part size allows it (fast), else bytes.
  if ((part_size % 1048576 == 0)); then
    dd if="$file" of="$work/part" bs=1048576 skip=$(((n - 1) * part_size / 1048576)) \
      count=$((part_size / 1048576)) status=none
  else
    dd if="$file" of="$work/part" bs=1 skip=$(((n - 1) * part_size)) count="$part_size" status=none
  fi
  part_bytes=$(wc -c < "$work/part" | tr -d ' ')
  md5=$(md5b64 "$work/part")
  call sign-parts "{\"token\":\"$token\",\"parts\":[{\"partNumber\":$n,\"size\":$part_bytes,\"contentMd5\":\"$md5\"}]}"
  signed=$(json "$work/sign-parts.json" parts.0)
  etag=$(put_part "$work/part" "$signed")
  parts+=("{\"partNumber\":$n,\"etag\":\"$etag\"}")
  echo "part $n/$part_count: $part_bytes bytes, ETag $etag" >&2
done

list=$(IFS=,; echo "${parts[*]}")
call complete "{\"token\":\"$token\",\"parts\":[$list]}"
cat "$work/complete.json"
echo

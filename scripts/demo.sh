#!/usr/bin/env bash
# The main job on the example policies, as a CI pipeline would run it:
# lint (with the production checks), run the policies' unit tests, compile
# the tables, and decide a few requests with the compiled tables.
set -euo pipefail
cd "$(dirname "$0")/.."
corsc=build/corsc

# Shows each command as one would type it (arguments with spaces or
# special characters in single quotes), then runs it.
step() {
  local shown="" arg
  for arg in "$@"; do
    if [[ "$arg" =~ ^[A-Za-z0-9_./:=,@%+-]+$ ]]; then
      shown+="$arg "
    else
      shown+="'${arg//\'/\'\\\'\'}' "
    fi
  done
  if [ -t 1 ]; then printf '\n\033[1m$ %s\033[0m\n' "$shown"; else printf '\n$ %s\n' "$shown"; fi
  "$@"
}

for policy in policies/storefront policies/react-api; do
  step "$corsc" lint "$policy"
  step "$corsc" lint --profile prod "$policy"
  step "$corsc" test "$policy"
done

step "$corsc" compile -o build/storefront.table policies/storefront
step "$corsc" compile --profile dev -o build/react-api.dev.table policies/react-api
step "$corsc" compile --profile prod -o build/react-api.prod.table policies/react-api

# A preflight from a shop subdomain: allowed, with every header spelled out.
step "$corsc" eval --table build/storefront.table -X OPTIONS --path /api/v1/users/42 \
  -H 'Origin: https://shop.example.com' \
  -H 'Access-Control-Request-Method: PUT' \
  -H 'Access-Control-Request-Headers: content-type'

# A look-alike domain: refused, and why.
step "$corsc" eval --table build/storefront.table --path /api/v1/users/42 \
  -H 'Origin: https://evil-example.com'

# The phone on the LAN calling the API: allowed in the dev profile only.
step "$corsc" eval --table build/react-api.dev.table -X OPTIONS --path /api/cart \
  -H 'Origin: http://192.168.1.23:3000' \
  -H 'Access-Control-Request-Method: PUT' \
  -H 'Access-Control-Request-Headers: content-type, authorization'
step "$corsc" eval --table build/react-api.prod.table -X OPTIONS --path /api/cart \
  -H 'Origin: http://192.168.1.23:3000' \
  -H 'Access-Control-Request-Method: PUT'

# Batch mode, as a gateway's log replay would use it: JSON Lines in and out.
printf '%s\n' \
  '{"method":"GET","path":"/public/logo.svg","headers":[["Origin","https://random.test"]]}' \
  '{"method":"GET","path":"/internal/metrics","headers":[["Origin","https://app.example.com"]]}' |
  step "$corsc" eval --table build/storefront.table --requests -

#!/bin/sh
# Regenerates the test-only TLS material in this directory. Needs the openssl CLI (tests do not).
set -eu
cd "$(dirname "$0")"
days=36500
# The test CA.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days $days \
  -subj "/CN=evoform test CA" -keyout ca-key.pem -out ca.pem \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
# A CA that signed nothing here: verifying the server against it must fail.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days $days \
  -subj "/CN=evoform other test CA" -keyout /dev/null -out other-ca.pem \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
# issue NAME SUBJECT SAN: a server certificate signed by the test CA.
issue() {
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$2" \
    -keyout "$1-key.pem" -out "$1.csr"
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days $days -extfile "$1.ext" -out "$1.pem"
  rm -f "$1.csr" "$1.ext"
}
# The simulator's certificate: valid for 127.0.0.1 and localhost.
issue server 127.0.0.1 "IP:127.0.0.1,DNS:localhost"
# A certificate for another name: serving it on 127.0.0.1 must fail the host name check.
issue wrong-host wrong-host.test "DNS:wrong-host.test"
rm -f ca.srl

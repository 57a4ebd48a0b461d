#!/bin/sh
# Makes a throw-away PKI for the signing tests in DIR (created if missing):
#   ca.pem/ca.key            test root CA
#   staff.p12, org.p12       signing certificates (RSA 2048, keyUsage
#                            digitalSignature+nonRepudiation), password $P12_PASS
#                            (default "test-secret"), chain includes the CA
#   staff.pem/.key, org.pem/.key
#   expired.p12              a certificate whose validity ended yesterday
#   nosign.p12               keyUsage keyEncipherment only (not for signing)
#   tsa.pem/tsa.key, tsa.cnf a TSA (extendedKeyUsage critical timeStamping) for `openssl ts -reply`
# Only the openssl CLI is used. Never use these keys for anything real.
set -eu
dir=${1:?usage: make-test-pki.sh DIR}
pass=${P12_PASS:-test-secret}
mkdir -p "$dir"
cd "$dir"
cat > ext.cnf <<'CNF'
[ca]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
[signer]
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,nonRepudiation
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
[nosign]
basicConstraints=CA:FALSE
keyUsage=critical,keyEncipherment
[tsa]
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=critical,timeStamping
CNF
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 \
  -subj "/C=VN/O=sohoa test/CN=sohoa test root CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null

issue() {  # name subject extension days-or-dates...
  name=$1 subject=$2 ext=$3
  shift 3
  openssl req -utf8 -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "$subject" 2>/dev/null
  openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -out "$name.pem" \
    -extfile ext.cnf -extensions "$ext" "$@" 2>/dev/null
  openssl pkcs12 -export -inkey "$name.key" -in "$name.pem" -certfile ca.pem -out "$name.p12" \
    -passout "pass:$pass" -name "$name"
}
issue staff "/C=VN/O=UBND xã Xuân Thành/CN=Nguyễn Văn An" signer -days 365
issue org "/C=VN/O=UBND xã Xuân Thành/CN=UBND xã Xuân Thành" signer -days 365
issue nosign "/C=VN/CN=not for signing" nosign -days 365
issue tsa "/C=VN/O=sohoa test/CN=sohoa test TSA" tsa -days 365
# Expired: `openssl x509 -req` cannot backdate in OpenSSL 3.0, `openssl ca` can.
mkdir -p expired-ca/newcerts
: > expired-ca/index.txt
echo 01 > expired-ca/serial
cat > expired-ca/ca.cnf <<CNF
[ca]
default_ca = ca_default
[ca_default]
dir = expired-ca
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
default_md = sha256
policy = anything
copy_extensions = none
[anything]
commonName = supplied
[signer]
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,nonRepudiation
CNF
openssl req -newkey rsa:2048 -nodes -keyout expired.key -out expired.csr -subj "/CN=expired signer" 2>/dev/null
openssl ca -batch -config expired-ca/ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr \
  -out expired.pem -startdate 20200101000000Z -enddate 20200102000000Z -extensions signer \
  -notext 2>/dev/null
openssl pkcs12 -export -inkey expired.key -in expired.pem -out expired.p12 -passout "pass:$pass"
cat > tsa.cnf <<CNF
[tsa]
default_tsa = tsa_config
[tsa_config]
dir = .
serial = ./tsaserial
signer_cert = ./tsa.pem
certs = ./ca.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
CNF
echo 01 > tsaserial
echo "test PKI in $dir"

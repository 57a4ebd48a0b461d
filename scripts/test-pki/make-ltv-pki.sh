#!/bin/sh
# Makes a throw-away two-level PKI with revocation services for the PAdES
# B-LT/B-LTA tests (issue 21) in DIR, its services under BASE_URL (a
# loopback server the test started: POST BASE_URL/ocsp, GET BASE_URL/root.crl):
#   root.pem/.key        root CA (the trust anchor), its CA database root/
#   ica.pem/.key         issuing CA, CRL distribution point BASE_URL/root.crl;
#                        its database ica/ (index.txt: revoke here, the OCSP
#                        responder reads it on every request)
#   signer.p12           signer (AIA OCSP BASE_URL/ocsp), chain ica + root,
#                        password $P12_PASS (default "test-secret")
#   tsa.pem/.key, tsa.cnf              TSA, 10 years, for `openssl ts -reply`
#   tsa-soon.pem/.key, tsa-soon.cnf    TSA whose certificate ends in 100 days
#   ocsp.pem/.key        OCSP responder (extendedKeyUsage OCSPSigning, ocsp-nocheck)
#   root.crl             the root's CRL (DER), regenerate with `make-ltv-pki.sh crl DIR`
#   chain.pem            ica + root (what the tokens embed)
# `make-ltv-pki.sh signer DIR NAME` issues one more signer (NAME.p12);
# `make-ltv-pki.sh revoke-from-start DIR NAME` revokes it as of its notBefore
# in ica/index.txt (the OCSP responder answers "revoked" at once) and writes
# ica.crl listing it.
# Only the openssl CLI is used. Never use these keys for anything real.
set -eu
if [ "${1:-}" = signer ]; then  # signer DIR NAME: one more signer, NAME.p12, for a test of its own
  cd "$2"
  openssl req -utf8 -newkey rsa:2048 -nodes -keyout "$3.key" -out "$3.csr" -subj "/C=VN/O=sohoa test/CN=$3" 2>/dev/null
  openssl ca -batch -utf8 -config ca.cnf -name ica -in "$3.csr" -out "$3.pem" -extensions signer -extfile ca.cnf \
    -notext -days 365 2>/dev/null
  openssl pkcs12 -export -inkey "$3.key" -in "$3.pem" -certfile chain.pem -out "$3.p12" \
    -passout "pass:${P12_PASS:-test-secret}" -name "$3"
  exit 0
fi
if [ "${1:-}" = revoke-from-start ]; then  # revoke-from-start DIR NAME: revoked as of its notBefore
  cd "$2"                                  # (a key compromised from the start), then the issuing CA's CRL
  openssl ca -config ca.cnf -name ica -revoke "$3.pem" 2>/dev/null
  serial=$(openssl x509 -in "$3.pem" -noout -serial | cut -d= -f2)
  since=$(date -u -d "$(openssl x509 -in "$3.pem" -noout -startdate | cut -d= -f2)" +%y%m%d%H%M%SZ)
  awk -F'\t' -v OFS='\t' -v s="$serial" -v t="$since" '$4 == s && $1 == "R" { $3 = t } { print }' \
    ica/index.txt > ica/index.txt.new
  mv ica/index.txt.new ica/index.txt
  "$0" crl "$2" ica
  exit 0
fi
if [ "${1:-}" = crl ]; then  # crl DIR [ica]: regenerate a CA's CRL
  cd "$2"
  ca=${3:-root}
  openssl ca -config ca.cnf -name "$ca" -gencrl -out "$ca.crl.pem" 2>/dev/null
  openssl crl -in "$ca.crl.pem" -outform DER -out "$ca.crl"
  exit 0
fi
dir=${1:?usage: make-ltv-pki.sh DIR BASE_URL}
base=${2:?usage: make-ltv-pki.sh DIR BASE_URL}
pass=${P12_PASS:-test-secret}
mkdir -p "$dir"
cd "$dir"
for ca in root ica; do
  mkdir -p "$ca/newcerts"
  : > "$ca/index.txt"
  echo 1000 > "$ca/serial"
  echo 1000 > "$ca/crlnumber"
done
cat > ca.cnf <<CNF
[root]
dir = root
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
crlnumber = \$dir/crlnumber
certificate = root.pem
private_key = root.key
default_md = sha256
default_days = 3650
default_crl_days = 30
policy = anything
unique_subject = no
copy_extensions = none
[ica]
dir = ica
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
crlnumber = \$dir/crlnumber
certificate = ica.pem
private_key = ica.key
default_md = sha256
default_days = 3650
default_crl_days = 30
policy = anything
unique_subject = no
copy_extensions = none
[anything]
countryName = optional
organizationName = optional
commonName = supplied
[v3_ica]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:$base/root.crl
[signer]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
authorityInfoAccess = OCSP;URI:$base/ocsp
[tsa]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
authorityInfoAccess = OCSP;URI:$base/ocsp
[ocsp]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,OCSPSigning
noCheck = ignored
CNF
openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.pem -days 3650 \
  -subj "/C=VN/O=sohoa test/CN=sohoa LTV test root" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
issue() {  # ca name subject extension [openssl ca options]
  ca=$1 name=$2 subject=$3 ext=$4
  shift 4
  openssl req -utf8 -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "$subject" 2>/dev/null
  openssl ca -batch -utf8 -config ca.cnf -name "$ca" -in "$name.csr" -out "$name.pem" -extensions "$ext" \
    -extfile ca.cnf -notext "$@" 2>/dev/null
}
issue root ica "/C=VN/O=sohoa test/CN=sohoa LTV issuing CA" v3_ica
cat ica.pem root.pem > chain.pem
issue ica signer "/C=VN/O=UBND xã Xuân Thành/CN=Trần Thị Bình" signer -days 365
openssl pkcs12 -export -inkey signer.key -in signer.pem -certfile chain.pem -out signer.p12 \
  -passout "pass:$pass" -name signer
issue ica tsa "/C=VN/O=sohoa test/CN=sohoa LTV TSA" tsa -days 3650
issue ica tsa-soon "/C=VN/O=sohoa test/CN=sohoa LTV TSA ending soon" tsa -days 100
issue ica ocsp "/C=VN/O=sohoa test/CN=sohoa LTV OCSP responder" ocsp -days 3650
for t in tsa tsa-soon; do
  cat > "$t.cnf" <<CNF
[tsa]
default_tsa = tsa_config
[tsa_config]
dir = .
serial = ./$t.serial
signer_cert = ./$t.pem
certs = ./chain.pem
signer_key = ./$t.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
CNF
  echo 01 > "$t.serial"
done
"$0" crl "$dir"
echo "LTV test PKI in $dir"

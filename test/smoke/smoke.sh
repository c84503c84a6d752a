#!/usr/bin/env bash
# Smoke test with the clients users type: the aws CLI and boto3 against a
# real `warden serve` on a loopback port. It creates a user, a key and a
# policy, and shows the new user denied, then allowed; enables a virtual
# MFA device and reads the credential report with the CLI; and with boto3
# makes an organization whose service control policies bind a member.
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v aws >/dev/null || { echo "smoke: the aws CLI is not installed (apt-get install awscli)"; exit 1; }
# boto3 may live with the python3 on PATH or with Debian's.
py=python3
$py -c 'import boto3' 2>/dev/null || py=/usr/bin/python3
$py -c 'import boto3' 2>/dev/null || { echo "smoke: boto3 is not installed (apt-get install python3-boto3)"; exit 1; }

work=$(mktemp -d)
port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
go build -o "$work/warden" ./cmd/warden

export WARDEN_ROOT_ACCESS_KEY_ID=AKIASMOKETESTROOT001
export WARDEN_ROOT_SECRET_ACCESS_KEY=smokeTestRootSecretKeyForLoopbackOnly000
"$work/warden" serve --dev --listen "127.0.0.1:$port" --data-dir "$work/data" >"$work/server.log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER=""
export AWS_ACCESS_KEY_ID=$WARDEN_ROOT_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$WARDEN_ROOT_SECRET_ACCESS_KEY

fail() { echo "smoke: FAIL: $*"; echo "--- server log"; cat "$work/server.log"; exit 1; }

echo "smoke: aws CLI $(aws --version 2>&1)"
aws sts get-caller-identity --query Arn --output text | grep -qx 'arn:aws:iam::123456789012:root' || fail "root identity"
aws iam create-user --user-name cli-user >/dev/null || fail "create-user"
read -r key secret < <(aws iam create-access-key --user-name cli-user --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
as_user() { AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret aws "$@"; }

if as_user iam list-users >/dev/null 2>"$work/err"; then fail "the new user was allowed before any policy"; fi
grep -q 'AccessDenied' "$work/err" || fail "denied without AccessDenied: $(cat "$work/err")"
grep -q 'is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::123456789012:user/ because no identity-based policy allows the iam:ListUsers action' "$work/err" \
  || fail "AccessDenied message: $(cat "$work/err")"

arn=$(aws iam create-policy --policy-name list-users \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}' \
  --query Policy.Arn --output text) || fail "create-policy"
aws iam attach-user-policy --user-name cli-user --policy-arn "$arn" || fail "attach-user-policy"
as_user iam list-users --query 'Users[].UserName' --output text | grep -qw cli-user || fail "allowed after the policy was attached"
echo "smoke: aws CLI: denied, then allowed after attach-user-policy"

# A virtual MFA device enabled with two consecutive codes, as a user types it.
serial=$(aws iam create-virtual-mfa-device --virtual-mfa-device-name cli-user-mfa \
  --outfile "$work/seed.txt" --bootstrap-method Base32StringSeed \
  --query VirtualMFADevice.SerialNumber --output text) || fail "create-virtual-mfa-device"
read -r code1 code2 < <("$py" test/smoke/totp.py "$(cat "$work/seed.txt")")
aws iam enable-mfa-device --user-name cli-user --serial-number "$serial" \
  --authentication-code1 "$code1" --authentication-code2 "$code2" || fail "enable-mfa-device"
aws iam list-mfa-devices --user-name cli-user --query 'MFADevices[].SerialNumber' --output text | grep -qx "$serial" \
  || fail "list-mfa-devices"
echo "smoke: aws CLI: a virtual MFA device enabled with two consecutive codes"

# The credential report, generated and read as the CLI gives it (base64 CSV).
state=""
for _ in $(seq 1 50); do
  state=$(aws iam generate-credential-report --query State --output text) || fail "generate-credential-report"
  [ "$state" = COMPLETE ] && break
  sleep 0.2
done
[ "$state" = COMPLETE ] || fail "the credential report stayed $state"
aws iam get-credential-report --query Content --output text | base64 -d >"$work/report.csv" || fail "get-credential-report"
head -1 "$work/report.csv" | grep -q '^user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,' \
  || fail "credential report header: $(head -1 "$work/report.csv")"
grep -q '^<root_account>,arn:aws:iam::123456789012:root,' "$work/report.csv" || fail "no root row: $(cat "$work/report.csv")"
grep '^cli-user,' "$work/report.csv" | cut -d, -f8,9 | grep -qx 'true,true' \
  || fail "cli-user's row (mfa_active, access_key_1_active): $(grep '^cli-user,' "$work/report.csv")"
echo "smoke: aws CLI: the credential report shows cli-user's MFA device and key"

"$py" test/smoke/smoke.py "http://127.0.0.1:$port" || fail "boto3"
"$py" test/smoke/organizations.py "http://127.0.0.1:$port" || fail "boto3 organizations"

# Organizations with the CLI (AWS JSON 1.1 on the same endpoint), in the
# organization the boto3 test made: a new account, made and described,
# and an exception as the CLI reports it.
req=$(aws organizations create-account --email smoke@example.com --account-name smoke \
  --query CreateAccountStatus.Id --output text) || fail "create-account"
aws organizations describe-create-account-status --create-account-request-id "$req" \
  --query CreateAccountStatus.State --output text | grep -qx SUCCEEDED || fail "create-account did not succeed"
if aws organizations describe-organizational-unit --organizational-unit-id ou-zzzz-zzzzzzzz >/dev/null 2>"$work/err"; then
  fail "an absent OU was described"
fi
grep -q 'OrganizationalUnitNotFoundException' "$work/err" || fail "absent OU: $(cat "$work/err")"
echo "smoke: aws CLI: organizations"
echo "smoke: 6 passed, 0 failed"

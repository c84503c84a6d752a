"""Smoke test with boto3: an organization whose service control policies
bind a member account, as a user of AWS Organizations would try it.

The management account's root makes the organization, a member account
and an OU; an administrator user of the management account assumes the
member's OrganizationAccountAccessRole (a root user cannot assume roles).
An SCP deny attached to the account blocks the member's administrator with
AWS's message, and detaching it lets the call through; then an allow-list
SCP on the OU, with FullAWSAccess detached from it, allows only what it
lists.
"""
import json
import os
import sys
import time

import boto3
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
region = dict(endpoint_url=endpoint, region_name="us-east-1")
root = dict(region, aws_access_key_id=os.environ["WARDEN_ROOT_ACCESS_KEY_ID"],
            aws_secret_access_key=os.environ["WARDEN_ROOT_SECRET_ACCESS_KEY"])
org = boto3.client("organizations", **root)
iam = boto3.client("iam", **root)


def denied(call, reason):
    """Runs call, which must fail with AccessDenied naming reason."""
    try:
        call()
    except ClientError as e:
        err = e.response["Error"]
        assert err["Code"] == "AccessDenied", e.response
        assert reason in err["Message"], err["Message"]
        return err["Message"]
    sys.exit("organizations: the call was allowed; want a denial " + reason)


o = org.create_organization(FeatureSet="ALL")["Organization"]
assert o["MasterAccountId"] == "123456789012", o
root_id = org.list_roots()["Roots"][0]["Id"]
org.enable_policy_type(RootId=root_id, PolicyType="SERVICE_CONTROL_POLICY")

status = org.create_account(Email="member@example.com", AccountName="member")["CreateAccountStatus"]
for _ in range(100):
    status = org.describe_create_account_status(CreateAccountRequestId=status["Id"])["CreateAccountStatus"]
    if status["State"] != "IN_PROGRESS":
        break
    time.sleep(0.1)
assert status["State"] == "SUCCEEDED", status
member = status["AccountId"]
ou = org.create_organizational_unit(ParentId=root_id, Name="workloads")["OrganizationalUnit"]["Id"]
org.move_account(AccountId=member, SourceParentId=root_id, DestinationParentId=ou)
assert org.list_parents(ChildId=member)["Parents"][0]["Id"] == ou

# An administrator of the management account assumes the member's role.
iam.create_user(UserName="org-admin")
iam.attach_user_policy(UserName="org-admin", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
key = iam.create_access_key(UserName="org-admin")["AccessKey"]
sts = boto3.client("sts", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"], **region)
creds = sts.assume_role(RoleArn=f"arn:aws:iam::{member}:role/OrganizationAccountAccessRole",
                        RoleSessionName="smoke")["Credentials"]
m_iam = boto3.client("iam", aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                     aws_session_token=creds["SessionToken"], **region)
m_iam.create_user(UserName="before-scp")

deny = org.create_policy(Name="no-new-users", Type="SERVICE_CONTROL_POLICY", Description="smoke",
                         Content=json.dumps({"Version": "2012-10-17", "Statement": [
                             {"Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"}]}))["Policy"]
deny_id = deny["PolicySummary"]["Id"]
org.attach_policy(PolicyId=deny_id, TargetId=member)
msg = denied(lambda: m_iam.create_user(UserName="under-deny"),
             "with an explicit deny in a service control policy")
assert f"arn:aws:sts::{member}:assumed-role/OrganizationAccountAccessRole/smoke" in msg, msg
org.detach_policy(PolicyId=deny_id, TargetId=member)
m_iam.create_user(UserName="after-detach")
print("smoke: boto3 organizations: an SCP deny blocks the member's admin, and detaching it lifts the block")

allow = org.create_policy(Name="read-only-iam", Type="SERVICE_CONTROL_POLICY", Description="smoke",
                          Content=json.dumps({"Version": "2012-10-17", "Statement": [
                              {"Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"}]}))["Policy"]
org.attach_policy(PolicyId=allow["PolicySummary"]["Id"], TargetId=ou)
org.detach_policy(PolicyId="p-FullAWSAccess", TargetId=ou)
names = [u["UserName"] for u in m_iam.list_users()["Users"]]
assert "after-detach" in names, names
denied(lambda: m_iam.create_user(UserName="under-allow-list"),
       "because no service control policy allows the iam:CreateUser action")
# The management account is never bound by SCPs.
iam.create_user(UserName="management-still-free")
print("smoke: boto3 organizations: an allow-list SCP on the OU allows only what it lists")

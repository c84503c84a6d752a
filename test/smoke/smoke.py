"""Smoke test with boto3: a new user is denied, then allowed by a policy."""
import json
import os
import sys

import boto3
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
root = dict(endpoint_url=endpoint, region_name="us-east-1",
            aws_access_key_id=os.environ["WARDEN_ROOT_ACCESS_KEY_ID"],
            aws_secret_access_key=os.environ["WARDEN_ROOT_SECRET_ACCESS_KEY"])
iam = boto3.client("iam", **root)

iam.create_user(UserName="boto-user", Tags=[{"Key": "team", "Value": "red"}])
key = iam.create_access_key(UserName="boto-user")["AccessKey"]
user = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                    aws_access_key_id=key["AccessKeyId"],
                    aws_secret_access_key=key["SecretAccessKey"])

try:
    user.get_user(UserName="boto-user")
    sys.exit("boto3: the new user was allowed before any policy")
except ClientError as e:
    assert e.response["Error"]["Code"] == "AccessDenied", e.response
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 403, e.response

doc = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Action": "iam:GetUser", "Resource": "*",
    "Condition": {"StringEquals": {"aws:PrincipalTag/team": "red"}}}]}
arn = iam.create_policy(PolicyName="get-user", PolicyDocument=json.dumps(doc))["Policy"]["Arn"]
iam.attach_user_policy(UserName="boto-user", PolicyArn=arn)

got = user.get_user(UserName="boto-user")["User"]
assert got["UserName"] == "boto-user", got
assert got["Arn"] == "arn:aws:iam::123456789012:user/boto-user", got
ident = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1",
                     aws_access_key_id=key["AccessKeyId"],
                     aws_secret_access_key=key["SecretAccessKey"]).get_caller_identity()
assert ident["Arn"] == got["Arn"], ident
print("smoke: boto3: denied, then allowed through a tag condition")
